"""One engine: every token of every forgery case gets the same verdict, decided by the same
check, from `verify` (one token at a time) and from `audit` (bulk reads), and `verify-file`
agrees for the pictures of minted tokens.

The cases: tests/verify/forgeries.py (the forgery suite of tests/reliability/test_forgery.py
and tests/verify, over stated chain facts). Tokens 0 to 9 cover an ID below 1, minted, burned,
pinned but never minted, and beyond the cap of 8.
"""

from __future__ import annotations

import pytest

from nft_toolkit.verify.audit import audit, deciding_check
from nft_toolkit.verify.identify import identify
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.trust import verify_token
from tests.support.collection import tiny_png
from tests.verify.forgeries import Case, cases, pinned_collection

TOKENS = range(0, 10)

# what verify says about tokens 1..4 in each case (the ganache suite holds the same)
EXPECTED = {
    "honest": ("authentic", ""),
    "honest, no manifest": ("authentic", ""),
    "unfrozen": ("authentic", ""),
    "admin handed over": ("authentic", ""),
    "other code": ("counterfeit", "runtime_code"),
    "other chain": ("counterfeit", "contract"),
    "other issuer": ("counterfeit", "issuer"),
    "not created by the issuer": ("counterfeit", "issuer"),
    "other provenance": ("tampered", "provenance"),
    "no provenance": ("tampered", "provenance"),
    "base URI names no CID": ("tampered", "token_uri"),
    "base URI moved to the images": ("tampered", "metadata"),
    "metadata renamed after minting, images-only commitment": ("authentic", ""),
    "2N items read the other way": ("tampered", "provenance"),
    "gateway not trustless": ("unverifiable", "metadata"),
}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("same")
    pinned = pinned_collection(tmp / "c")
    with cases(pinned, tmp) as found:
        yield found


def by_verify(case: Case, token_id: int) -> tuple[str, str]:
    report = verify_token(case.chain, case.content, case.trust, token_id)
    deciding = deciding_check(report)
    return report.verdict.value, deciding.name if deciding else ""


def test_every_case_is_covered(suite) -> None:
    assert len(suite) >= 20 and len({c.name for c in suite}) == len(suite)


def test_verify_and_audit_agree_on_every_token(suite) -> None:
    differ = []
    for case in suite:
        result = audit(case.chain, case.content, case.trust)
        for token_id in TOKENS:
            audited = result.result(token_id)
            if (audited.verdict.value, audited.check) != by_verify(case, token_id):
                differ.append((case.name, token_id, by_verify(case, token_id),
                               (audited.verdict.value, audited.check)))
    assert differ == []


def test_the_cases_are_caught_as_the_forgery_suite_expects(suite) -> None:
    for case in suite:
        if case.name in EXPECTED:
            assert {by_verify(case, t) for t in range(1, 5)} == {EXPECTED[case.name]}, case.name


def test_the_deciding_checks_of_the_cases(suite) -> None:
    """What each case is caught by, token by token (the verdicts the forgery suite expects)."""
    seen = {c.name: [by_verify(c, t) for t in (1, 2, 3, 5)] for c in suite}
    assert seen["burned"][1] == ("not_minted", "token")
    assert seen["honest"][3] == ("not_minted", "token")  # pinned, never minted
    assert seen["metadata altered, manifest"] == [("authentic", ""), ("tampered", "metadata"),
                                                  ("authentic", ""), ("not_minted", "token")]
    # without the manifest the provenance list is rebuilt from the altered content
    assert seen["metadata altered, no manifest"][:3] == [
        ("tampered", "provenance"), ("tampered", "metadata"), ("tampered", "provenance")]
    assert seen["image swapped, manifest"][2] == ("tampered", "image")
    assert seen["images traded after minting, manifest"][0] == ("tampered", "provenance")
    assert seen["images traded after minting, no manifest"][0] == ("tampered", "provenance")
    assert seen["metadata renamed after minting"][0] == ("tampered", "provenance")
    assert seen["another token's metadata malformed"][:3] == [
        ("tampered", "provenance"), ("tampered", "provenance"), ("tampered", "metadata")]
    assert seen["image URI names no CID"][1] == ("tampered", "image")


def test_verify_file_agrees_for_minted_pictures(suite) -> None:
    """The picture of a minted token, found and verified by `verify-file`, gets the verdict and
    deciding check `verify` gives the token it was found as (a forgery may show it as another)."""
    for case in suite:
        for token_id in (1, 3):
            report = identify(case.chain, case.content, case.trust, tiny_png(token_id), None)
            if report.token_id is None:  # not found: decided before any token was judged
                assert report.verdict is not Verdict.AUTHENTIC, case.name
                continue
            deciding = deciding_check(report)
            assert (report.verdict.value, deciding.name if deciding else "") == by_verify(
                case, report.token_id), case.name
