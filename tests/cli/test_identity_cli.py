"""`publish-identity` and `verify --issuer DOMAIN` end to end: the statement written from the
deployment record, served over real HTTPS (a test certificate authority trusted through
$SSL_CERT_FILE), and the verdicts the domain gives on ganache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.deployment import load_record
from eth_account.messages import encode_defunct

from nft_toolkit.identity import (WELL_KNOWN_PATH, Collection, canonical, sign_statement,
                                  statement_bytes)
from nft_toolkit.project import Project
from tests.support.cli import Cli
from tests.support.https import CertAuthority, HttpsSite


@pytest.fixture(scope="module")
def issuer_site(cli: Cli, tmp_path_factory: pytest.TempPathFactory):
    authority = CertAuthority(tmp_path_factory.mktemp("ca"))
    with HttpsSite({}, authority.server_context()) as issuer_site:
        yield issuer_site, Cli(cli.cwd, {**cli.env, "SSL_CERT_FILE": str(authority.cert_file)})


def publish(cli: Cli, domain: str, *args: str) -> Path:
    """Runs publish-identity with `args` (ending in ``-o FILE``); returns FILE."""
    # -n: other modules' tests deploy more collections in the shared project (test_confirmations)
    out = cli("publish-identity", "--domain", domain, "-n", "development", *args)
    assert out.returncode == 0, out.stderr
    return Path(args[-1])


def test_published_statement_verifies_issued_by_the_domain(issuer_site) -> None:
    https, cli = issuer_site
    key = dev_account(0).key.hex()
    cli = Cli(cli.cwd, {**cli.env, "NFT_TOOLKIT_PRIVATE_KEY": key})
    out = cli("publish-identity", "--domain", https.domain, "-n", "development")
    assert out.returncode == 0, out.stderr
    assert key.removeprefix("0x") not in out.stdout + out.stderr  # never printed
    path = Project(cli.cwd).root / "public/.well-known/nft-issuer.json"
    record = load_record(Project(cli.cwd).deployment_path("development"))
    doc = json.loads(path.read_bytes())
    assert doc["issuer"] == record.issuer and doc["domain"] == https.domain
    assert doc["collections"] == [{"chain_id": 1337, "contract": record.address,
                                   "name": "Test Horse"}]
    assert f"https://{https.domain}/.well-known/nft-issuer.json" in out.stdout
    https.routes[WELL_KNOWN_PATH] = (200, {}, path.read_bytes())
    code, report = cli.json("verify", "1", "--issuer", https.domain)
    assert (code, report["verdict"], report["issuer_domain"]) == (0, "authentic", https.domain)
    assert [c["name"] for c in report["checks"]][:2] == ["issuer_domain", "contract"]
    out = cli("verify", "1", "--issuer", https.domain)
    assert out.returncode == 0 and f"issued by {https.domain}" in out.stdout


def test_a_contract_the_domain_does_not_list_is_counterfeit(issuer_site, tmp_path) -> None:
    https, cli = issuer_site
    other = tmp_path / "other.json"
    # The domain lists a collection on another chain only (the same contract on chain 1).
    doc = json.loads(publish(cli, https.domain, "-o", str(other)).read_bytes())
    moved = sign_statement(dev_account(0), https.domain,
                           [Collection(1, doc["collections"][0]["contract"], "Test Horse")])
    https.routes[WELL_KNOWN_PATH] = (200, {}, statement_bytes(moved))
    code, report = cli.json("verify", "2", "--issuer", https.domain)
    assert (code, report["verdict"]) == (1, "counterfeit")
    assert "does not list" in report["checks"][-1]["detail"] and "issuer_domain" not in report


def test_a_statement_signed_by_another_key_is_counterfeit(issuer_site, tmp_path) -> None:
    """The bank's statement, word for word, with another account's signature over it."""
    https, cli = issuer_site
    doc = json.loads(publish(cli, https.domain, "-o", str(tmp_path / "s.json")).read_bytes())
    body = canonical({k: v for k, v in doc.items() if k != "signature"})
    doc["signature"] = "0x" + bytes(dev_account(4).sign_message(encode_defunct(body)).signature).hex()
    https.routes[WELL_KNOWN_PATH] = (200, {}, json.dumps(doc).encode())
    code, report = cli.json("verify", "2", "--issuer", https.domain)
    assert (code, report["verdict"]) == (1, "counterfeit")
    detail = report["checks"][-1]["detail"]
    assert f"names issuer {doc['issuer']}" in detail and dev_account(4).address in detail


def test_publishing_with_another_key_is_refused(cli: Cli, tmp_path) -> None:
    other = Cli(cli.cwd, {**cli.env, "NFT_TOOLKIT_PRIVATE_KEY": dev_account(4).key.hex()})
    out = other("publish-identity", "--domain", "bank.example", "-n", "development",
                "-o", str(tmp_path / "x.json"))
    assert out.returncode == 2 and "sign with the issuer's key" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.json").exists()


def test_unreachable_domain_is_unverifiable(issuer_site) -> None:
    _, cli = issuer_site
    code, report = cli.json("verify", "1", "--issuer", f"localhost:{free_port()}")
    assert (code, report["verdict"]) == (3, "unverifiable")
    assert report["checks"][-1]["name"] == "issuer_domain"


def test_a_bad_domain_is_one_line(cli: Cli) -> None:
    out = cli("verify", "1", "--issuer", "https://bank.example/")
    assert out.returncode == 2 and "is neither a domain such as bank.example nor a 0x address" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_audit_and_verify_file_anchor_on_the_domain_too(issuer_site, tmp_path) -> None:
    https, cli = issuer_site
    https.routes[WELL_KNOWN_PATH] = (200, {}, publish(cli, https.domain, "-o",
                                                      str(tmp_path / "s.json")).read_bytes())
    out = cli("audit", "--issuer", https.domain, "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    out = cli("verify-file", "build/images/2.png", "--issuer", https.domain, "--json")
    report = json.loads(out.stdout)
    assert (out.returncode, report["verdict"], report["issuer_domain"]) == (0, "authentic",
                                                                             https.domain)
    https.routes[WELL_KNOWN_PATH] = (200, {}, b"<html>moved</html>")
    out = cli("audit", "--issuer", https.domain)
    assert out.returncode == 1 and "no issuer statement" in out.stdout


def test_a_deployment_made_with_rpc_url_is_published_too(cli: Cli, tmp_path) -> None:
    """A record of `deploy --network second --rpc-url …` names a network networks.yaml does not
    hold; publish-identity lists it (it once stopped at 'unknown network')."""
    project = Project(cli.cwd)
    record = json.loads(project.deployment_path("development").read_text())
    second = project.deployment_path("elsewhere")
    assert not second.exists()
    second.write_text(json.dumps({**record, "network": "elsewhere"}))
    try:
        keyed = Cli(cli.cwd, {**cli.env, "NFT_TOOLKIT_PRIVATE_KEY": dev_account(0).key.hex()})
        out = keyed("publish-identity", "--domain", "bank.example", "-n", "development",
                    "-n", "elsewhere", "-o", str(tmp_path / "s.json"))
        assert out.returncode == 0, out.stderr
        listed = json.loads((tmp_path / "s.json").read_text())["collections"]
        assert [c["contract"] for c in listed] == [record["address"]]  # one contract, one chain
    finally:
        second.unlink()
