"""What the answer to an uploaded picture says first, in the page's language: which token the
picture shows and whether it is that token's file or a copy of it, then what the customer needs
of the token itself (authentic and held by whom; or never minted, tampered…), so nobody reads
the verified original shown below as their own upload, nor "some item" for a named token.

Pure: a report and a catalogue in, sentences out (:func:`upload_lines`); the words live in
:mod:`nft_toolkit.web.i18n` (``upload.*``, ``transform.*``).
"""

from __future__ import annotations

from collections.abc import Mapping

from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.web.i18n import detail, wording


def is_copy(report: Report) -> bool:
    """Whether the picture was found as a copy of its token (not the token's own file)."""
    return report.similarity is not None and report.similarity < 1


def upload_lines(report: Report, words: Mapping[str, str]) -> list[str]:
    """The banner's sentences for the picture `report` answers (empty when it matched no token:
    the verdict's own sentence says it then)."""
    token = report.token_id
    if token is None:
        return []
    params = {"token": str(token)}
    how = words.get(f"transform.{report.transform}") if report.transform else None
    if how is not None:
        params["how"] = how
    shows = wording(words, "upload.copy" if is_copy(report) else "upload.file", params)
    lines = [shows] if shows else []
    verdict = report.verdict
    if verdict in (Verdict.AUTHENTIC, Verdict.COPY):
        key = "upload.held_copy" if is_copy(report) else "upload.held"
        held = wording(words, key, {**params, **({"owner": report.owner} if report.owner else {})})
    elif verdict is Verdict.NOT_MINTED:
        why = next((c for c in report.checks if c.name == "token" and not c.ok), None)
        held = wording(words, "upload.not_minted",
                       {**params, **({"why": detail(why, words)} if why is not None else {})})
    else:
        held = wording(words, "upload.token_verdict",
                       {**params, "verdict": words[f"verdict.{verdict.value}"],
                        "say": words[f"say.{verdict.value}"]})
    return lines + ([held] if held else [])


def original_caption(report: Report, words: Mapping[str, str]) -> str:
    """The caption under the picture the page shows: the token's original image (verified by
    its CID), so it is not taken for the customer's own upload."""
    return wording(words, "upload.original", {"token": str(report.token_id)}) or ""
