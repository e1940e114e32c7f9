"""The issuer known by its domain (nft_toolkit.identity): the statement, its signature, the
HTTPS fetch against a real TLS server with a test certificate authority, and the engine's
issuer_domain check over a real pinned collection (the CLI tests run it on ganache)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.errors import InputError
from nft_toolkit.identity import (WELL_KNOWN_PATH, AnchorCache, BadStatement, Collection, DomainAnchor,
                                  DomainUnreachable, canonical, fetch_statement, judge,
                                  parse_domain, resolve, sign_statement, statement_bytes)
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, verify_token
from tests.support.collection import build_collection
from tests.support.https import HttpsSite, CertAuthority
from tests.support.stated import CONTRACT, ISSUER, StatedChain

ISSUER_KEY = dev_account(0)  # ISSUER
OTHER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
HORSE = Collection(1337, CONTRACT, "Test Horse")


def statement(domain: str = "bank.example", collections=(HORSE,), key=ISSUER_KEY) -> bytes:
    return statement_bytes(sign_statement(key, domain, list(collections)))


def test_issuer_key_is_the_stated_issuer() -> None:
    assert ISSUER_KEY.address == ISSUER


def test_a_signed_statement_vouches_for_its_contract() -> None:
    st, problem = judge("bank.example", statement(), CONTRACT, 1337)
    assert problem is None and st.issuer == ISSUER and st.signer() == ISSUER
    # lower-case contract as a customer may type it
    assert judge("bank.example", statement(), CONTRACT.lower(), 1337)[1] is None


def test_canonical_bytes_are_sorted_compact_json_anyone_can_redo() -> None:
    obj = json.loads(statement())
    signature = obj.pop("signature")
    redone = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    assert canonical(obj) == redone
    from eth_account import Account
    from eth_account.messages import encode_defunct
    assert Account.recover_message(encode_defunct(redone), signature=signature) == ISSUER


def test_contract_not_listed_or_other_chain_is_refused() -> None:
    _, problem = judge("bank.example", statement(), OTHER, 1337)
    assert problem and "does not list" in problem.detail and OTHER in problem.detail
    _, problem = judge("bank.example", statement(), CONTRACT, 1)
    assert problem and "on chain 1 " in problem.detail


def test_statement_not_signed_by_the_issuer_it_names_is_refused() -> None:
    forged = json.loads(statement(key=dev_account(3)))
    forged["issuer"] = ISSUER  # claims the bank's address, signed by someone else
    _, problem = judge("bank.example", json.dumps(forged).encode(), CONTRACT, 1337)
    assert problem and f"names issuer {ISSUER}" in problem.detail and "not by that issuer" in problem.detail


def test_a_collection_added_after_signing_breaks_the_signature() -> None:
    doc = json.loads(statement())
    doc["collections"].append({"chain_id": 1337, "contract": OTHER, "name": "look-alike"})
    _, problem = judge("bank.example", json.dumps(doc).encode(), OTHER, 1337)
    assert problem and "not by that issuer" in problem.detail


def test_a_statement_copied_to_another_domain_vouches_for_nothing_there() -> None:
    _, problem = judge("evil.example", statement("bank.example"), CONTRACT, 1337)
    assert problem and "bank.example's, not evil.example's" in problem.detail


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"[1]", b'{"type": "x"}', b"{" * 100000,
                                  b'{"type": "nft-issuer-statement/1", "issuer": 5}'])
def test_bytes_that_are_no_statement_are_bad(data: bytes) -> None:
    with pytest.raises(BadStatement):
        judge("bank.example", data, CONTRACT, 1337)


def test_unknown_unsigned_keys_are_refused() -> None:
    doc = json.loads(statement())
    doc["note"] = "trust us"
    with pytest.raises(BadStatement, match="unknown keys"):
        judge("bank.example", json.dumps(doc).encode(), CONTRACT, 1337)


@pytest.mark.parametrize("text,domain", [("bank.example", "bank.example"),
                                         ("Bank.Example.", "bank.example"),
                                         ("localhost:8443", "localhost:8443")])
def test_domains(text: str, domain: str) -> None:
    assert parse_domain(text) == domain


@pytest.mark.parametrize("text", ["https://bank.example", "bank.example/x", "bank..example",
                                  "-bank.example", "bank.example:0", "bank.example:99999", "",
                                  "银行.example"])
def test_not_domains(text: str) -> None:
    with pytest.raises(InputError, match="--issuer"):
        parse_domain(text)


# --- over HTTPS, with a test certificate authority ----------------------------------------

@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> CertAuthority:
    return CertAuthority(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def trusted(authority: CertAuthority, monkeypatch: pytest.MonkeyPatch) -> CertAuthority:
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert_file))
    return authority


def served(body: bytes, status: int = 200) -> dict[str, tuple[int, dict[str, str], bytes]]:
    return {WELL_KNOWN_PATH: (status, {"Content-Type": "application/json"}, body)}


def test_fetched_over_https_with_the_test_authority(trusted: CertAuthority) -> None:
    with HttpsSite({}, trusted.server_context()) as site:
        site.routes.update(served(statement(site.domain)))
        data = fetch_statement(site.domain)
        assert judge(site.domain, data, CONTRACT, 1337)[1] is None


def test_untrusted_certificate_is_unreachable(authority: CertAuthority,
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path) -> None:
    other = CertAuthority(tmp_path)  # the server's CA is not the one trusted
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert_file))
    with HttpsSite(served(b"{}"), other.server_context()) as site:
        with pytest.raises(DomainUnreachable, match="certificate"):
            fetch_statement(site.domain)


def test_certificate_for_another_name_is_unreachable(trusted: CertAuthority) -> None:
    with HttpsSite(served(b"{}"), trusted.server_context("bank.example")) as site:
        with pytest.raises(DomainUnreachable, match="certificate"):
            fetch_statement(site.domain)


def test_plain_http_is_never_used(trusted: CertAuthority) -> None:
    with HttpsSite(served(statement()), None) as site:
        with pytest.raises(DomainUnreachable):
            fetch_statement(site.domain)


def test_redirect_within_the_domain_is_followed_off_it_refused(trusted: CertAuthority) -> None:
    with HttpsSite({}, trusted.server_context()) as site:
        site.routes["/issuer.json"] = (200, {}, statement(site.domain))
        site.routes[WELL_KNOWN_PATH] = (302, {"Location": "/issuer.json"}, b"")
        assert judge(site.domain, fetch_statement(site.domain), CONTRACT, 1337)[1] is None
        for target in ("https://evil.example/x.json", f"http://{site.domain}/issuer.json",
                       "https://localhost:1/issuer.json"):
            site.routes[WELL_KNOWN_PATH] = (302, {"Location": target}, b"")
            with pytest.raises(DomainUnreachable, match="redirects off the domain"):
                fetch_statement(site.domain)
        site.routes[WELL_KNOWN_PATH] = (302, {"Location": WELL_KNOWN_PATH}, b"")  # a loop
        with pytest.raises(DomainUnreachable, match="redirects"):
            fetch_statement(site.domain)


def test_missing_or_huge_statement_is_unreachable(trusted: CertAuthority) -> None:
    with HttpsSite(served(b"no", 404), trusted.server_context()) as site:
        with pytest.raises(DomainUnreachable, match="HTTP 404"):
            fetch_statement(site.domain)
        site.routes.update(served(b" " * (65 * 1024)))
        with pytest.raises(DomainUnreachable, match="over 65536 bytes"):
            fetch_statement(site.domain)


def test_nothing_listening_is_an_anchor_with_a_problem(trusted: CertAuthority) -> None:
    from nft_toolkit.chain.local import free_port
    anchor = resolve(f"localhost:{free_port()}", seconds=2)
    assert anchor.data is None and "cannot be reached" in str(anchor.problem)


# --- in the one engine ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory):
    project = build_collection(tmp_path_factory.mktemp("domain") / "c", 3)
    manifest = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash, 3, 3)
    return StatedChain(facts), IpfsContent(BlockStore(project.store_dir))


def verify(stated, anchor: DomainAnchor, contract: str = CONTRACT):
    chain, content = stated
    return verify_token(chain, content, Trust(contract, "", 1337, domain=anchor), 1)


def test_engine_anchors_on_the_domain(stated) -> None:
    report = verify(stated, DomainAnchor("bank.example", statement()))
    assert report.verdict is Verdict.AUTHENTIC, report.checks
    assert report.checks[0].name == "issuer_domain" and report.checks[0].ok
    assert "bank.example names issuer " + ISSUER in report.checks[0].detail
    assert report.as_json()["issuer_domain"] == "bank.example"


@pytest.mark.parametrize("anchor,verdict,detail", [
    (DomainAnchor("bank.example", None, "https://bank.example cannot be reached: timeout"),
     Verdict.UNVERIFIABLE, "cannot check: https://bank.example cannot be reached"),
    (DomainAnchor("bank.example", statement(collections=[replace(HORSE, chain_id=1)])),
     Verdict.COUNTERFEIT, "does not list"),
    (DomainAnchor("bank.example", b"<html>"), Verdict.COUNTERFEIT, "is no issuer statement"),
    (DomainAnchor("evil.example", statement()), Verdict.COUNTERFEIT, "copied"),
])
def test_engine_refuses(stated, anchor: DomainAnchor, verdict: Verdict, detail: str) -> None:
    report = verify(stated, anchor)
    assert report.verdict is verdict and detail in report.checks[-1].detail
    assert report.checks[-1].name == "issuer_domain" and "issuer_domain" not in report.as_json()


def test_engine_issuer_mismatch_with_a_valid_statement_is_counterfeit(stated) -> None:
    """The domain lists the contract and is signed, but the contract's issuer() is another
    account (a look-alike the statement's signer never made): the issuer check says so."""
    st = statement(key=dev_account(3), collections=[HORSE])  # signer 3 lists the bank's contract
    report = verify(stated, DomainAnchor("bank.example", st))
    assert report.verdict is Verdict.COUNTERFEIT
    assert report.checks[-1].name == "issuer" and "not the trusted issuer" in report.checks[-1].detail


def test_a_service_fetches_the_statement_again_when_due() -> None:
    """Up to date without a restart: again after `fresh` seconds, sooner after a failure."""
    now = [0.0]
    first = DomainAnchor("bank.example", statement())
    answers = [first, DomainAnchor("bank.example", b"updated")]
    fetched: list[str] = []

    def fetch(domain: str) -> DomainAnchor:
        fetched.append(domain)
        return answers.pop(0)

    cache = AnchorCache(DomainAnchor("bank.example", None, "down"), fresh=300, retry=15,
                        fetch=fetch, clock=lambda: now[0])
    assert cache.get().problem == "down" and fetched == []
    now[0] = 15  # a failure is retried soon
    assert cache.get() is first and fetched == ["bank.example"]
    now[0] = 314
    assert cache.get() is first and len(fetched) == 1  # still fresh
    now[0] = 315
    assert cache.get().data == b"updated" and len(fetched) == 2
