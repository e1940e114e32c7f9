"""verify-file's answer to a picture that is a copy of one of two near twins which nothing in it
tells apart (hidden, changed, or shown too small): not "no item", but a ``copy`` of token A or
token B, each verified by the same engine as a named copy, both named with their holders."""

from __future__ import annotations

from collections.abc import Callable

from nft_toolkit.copies.likeness import Miss
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.trust import Stop

# when no twin is authentic: the verdict they share, else the first of these any of them has
# (one that cannot be checked now may be the authentic one: unverifiable comes first)
_PRECEDENCE = (Verdict.UNVERIFIABLE, Verdict.TAMPERED, Verdict.COUNTERFEIT, Verdict.NOT_MINTED)


def either_verdict(verdicts: list[Verdict]) -> Verdict:
    """The verdict on a picture of one of tokens whose own verdicts are `verdicts`: ``copy``
    when any is authentic (the picture shows an authentic item and is not its file)."""
    if Verdict.AUTHENTIC in verdicts:
        return Verdict.COPY
    return next(v for v in (*_PRECEDENCE, *verdicts) if v in verdicts)


def copy_of_either(report: Report, miss: Miss, check: Callable[[Report, int], None]) -> Report:
    """`report` (its contract checked, no token named) completed for `miss`'s two candidates:
    each one's links 3 to 7 by `check(candidate_report, token_id)` (which may raise Stop) into
    ``report.candidates``, then the ``image_match`` check naming both, and the verdict
    (:func:`either_verdict`). ``token_id`` stays None; ``similarity`` is the closer's."""
    first, second = miss.candidates
    if miss.closest is not None:  # 1.0 is the file itself's
        report.similarity = min(round(miss.closest.similarity, 4), 0.9999)
    for token_id in miss.candidates:
        one = Report(token_id, report.contract, chain_id=report.chain_id)
        try:
            check(one, token_id)
        except Stop:
            pass
        report.candidates.append(one)
    verdict = either_verdict([one.verdict for one in report.candidates])
    pair = f"a copy of token {first} or token {second}, not the file of either"
    why = miss.reason.partition(": ")[2] or "what tells them apart is hidden or changed"
    sizes: dict[str, int] = {}
    if miss.too_small:  # `why` says the picture's size and the size that would do
        assert miss.shown is not None and miss.needed is not None
        report.too_small = (miss.shown, miss.needed)
        sizes = {"shown": miss.shown, "needed": miss.needed}
    return report.failed("image_match", f"{pair}: {why}; it proves nothing about holding "
                         "either", verdict, "image_match.either_small" if sizes else
                         "image_match.either", token=first, other=second, **sizes)
