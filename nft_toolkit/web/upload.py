"""What the answer to an uploaded picture says first, in the page's language: which token the
picture shows and whether it is that token's file or a copy of it, then what the customer needs
of the token itself (authentic and held by whom; or never minted, tampered…), so nobody reads
the verified original shown below as their own upload, nor "some item" for a named token.

Pure: a report and a catalogue in, sentences out (:func:`upload_lines`); the words live in
:mod:`nft_toolkit.web.i18n` (``upload.*``, ``transform.*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.web.i18n import detail, wording


def is_copy(report: Report) -> bool:
    """Whether the picture was found as a copy of its token (not the token's own file)."""
    return report.similarity is not None and report.similarity < 1


def upload_lines(report: Report, words: Mapping[str, str]) -> list[str]:
    """The banner's sentences for the picture `report` answers: the token it shows, or the two
    near twins it shows one of, or that it is too small to tell (empty when it matched nothing:
    the verdict's own sentence says it then)."""
    token = report.token_id
    if token is None:
        return _either_lines(report, words) if report.candidates else _too_small_lines(
            report, words)
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


def _either_lines(report: Report, words: Mapping[str, str]) -> list[str]:
    """A copy of one of two near twins: both named, why neither is named alone (too small, or
    what tells them apart not shown), then each twin's own verdict and holder."""
    first, second = report.candidates
    params = {"token": str(first.token_id), "other": str(second.token_id)}
    said = [wording(words, "upload.either", params)]
    if report.too_small:
        shown, needed = report.too_small
        said.append(wording(words, "upload.either.small",
                            {"shown": str(shown), "needed": str(needed)}))
    else:
        said.append(wording(words, "upload.either.hidden", {}))
    for one in report.candidates:
        mine = {"token": str(one.token_id)}
        if one.verdict is Verdict.AUTHENTIC:
            said.append(wording(words, "upload.candidate_held",
                                {**mine, **({"owner": one.owner} if one.owner else {})}))
        else:
            said.append(wording(words, "upload.candidate_verdict",
                                {**mine, "verdict": words[f"verdict.{one.verdict.value}"],
                                 "say": words[f"say.{one.verdict.value}"]}))
    said.append(wording(words, "upload.either.proves", {}))
    return [line for line in said if line]


def _too_small_lines(report: Report, words: Mapping[str, str]) -> list[str]:
    """A picture too small to tell what it shows: its size and the size that certainly does (or,
    for a picture under the floor, the floor)."""
    if report.too_small is None:
        return []
    shown, needed = report.too_small
    key = "upload.tiny" if report.too_small_picture else "upload.too_small"
    said = wording(words, key, {"shown": str(shown), "needed": str(needed)})
    return [said] if said else []


def headline(report: Report, words: Mapping[str, str]) -> str:
    """The banner's title: the verdict's words, or "too small to tell" for a picture too small to
    tell what it shows (:attr:`Report.too_small_to_tell`: "not an item" would be a guess)."""
    if report.too_small_to_tell:
        return words["verdict.too_small"]
    return words[f"verdict.{report.verdict.value}"]


def original_caption(report: Report, words: Mapping[str, str]) -> str:
    """The caption under the picture the page shows: the token's original image (verified by
    its CID), so it is not taken for the customer's own upload."""
    return wording(words, "upload.original", {"token": str(report.token_id)}) or ""


def token_link(token_id: int, words: Mapping[str, str]) -> str:
    """The words of the link to token `token_id`'s own verification page (``/token/<id>``)."""
    return wording(words, "upload.token_page", {"token": str(token_id)}) or f"/token/{token_id}"


@dataclass(frozen=True)
class Shown:
    """One of the near twins an upload may show, as the answer shows it beside the other: its
    own verdict and holder, its original image (the CID the engine verified, None when it did
    not: a token never minted), the words under that picture (or in its place) and of the link
    to the token's own page. Strings are hostile until the template escapes them."""

    token_id: int
    verdict: Verdict
    owner: str | None
    image_cid: str | None
    caption: str
    link: str


def shown_candidates(report: Report, words: Mapping[str, str]) -> list[Shown]:
    """Each near twin of `report` (:attr:`Report.candidates`, the closer first) as the upload's
    answer shows it (the same as a named copy shows its token: the original image verified by
    its CID, the holder, a link to its own page); empty when the picture named one token or
    none."""
    shown = []
    for one in report.candidates:
        if one.token_id is None:
            continue
        token = str(one.token_id)
        cid = one.verified_image
        caption = wording(words, "upload.candidate_original", {"token": token}) if cid else \
            wording(words, "upload.candidate_no_image",
                    {"token": token, "verdict": words[f"verdict.{one.verdict.value}"]})
        shown.append(Shown(one.token_id, one.verdict, one.owner, cid, caption or "",
                           token_link(one.token_id, words)))
    return shown
