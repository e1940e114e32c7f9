"""`nft-toolkit certificate` on ganache: the QR code of the PNG and of the PDF, read by a real
decoder, verifies the same token through `verify`'s CAIP-19 path; only an authentic token gets a
certificate; the mint named is the chain's."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from nft_toolkit.caip19 import AssetId, parse_verification_url
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.deployment import load_record
from nft_toolkit.identity import WELL_KNOWN_PATH
from nft_toolkit.project import Project
from nft_toolkit.verify import mint as mint_lookup
from nft_toolkit.verify.mint import find_mint
from tests.cli.test_verify_cli import block_path, one_line_error
from tests.support.cli import CUSTOMER, Cli
from tests.support.https import CertAuthority, HttpsSite
from tests.support.qr import decode_qr, pdf_page

BASE = "https://verify.bank.example/nft"


def _chain(cli: Cli) -> Chain:
    return Chain(json.loads((Project(cli.cwd).chain_dir / "chain.json").read_text())["url"], 1337)


def test_png_and_pdf_qr_codes_verify_the_token(cli: Cli, tmp_path: Path) -> None:
    record = load_record(Project(cli.cwd).deployment_path("development"))
    png, pdf = tmp_path / "cert.png", tmp_path / "cert.pdf"
    out = cli("certificate", "4", "-o", str(png), "--url-base", BASE)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == str(png)
    with Image.open(png) as image:
        url = decode_qr(image)
    assert url.startswith(BASE + "/v/")
    assert parse_verification_url(url) == (AssetId(1337, record.address, 4), record.issuer)
    code, report = cli.json("verify", url)
    assert (code, report["verdict"], report["token_id"]) == (0, "authentic", 4)

    out = cli("certificate", "4", "-o", str(pdf), "--pdf", "--lang", "zh", "--url-base", BASE)
    assert out.returncode == 0, out.stderr
    assert decode_qr(pdf_page(pdf.read_bytes())) == url
    # the same command again: the same bytes
    again = tmp_path / "again.pdf"
    assert cli("certificate", "4", "-o", str(again), "--pdf", "--lang", "zh",
               "--url-base", BASE).returncode == 0
    assert again.read_bytes() == pdf.read_bytes()


def test_only_an_authentic_token_gets_a_certificate(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "c.png"
    out = cli("certificate", "9", "-o", str(target), "--url-base", BASE)  # not minted
    assert out.returncode == 1 and "is not minted, not authentic" in one_line_error(out)
    path = block_path(cli, 5)
    original = path.read_bytes()
    try:
        path.write_bytes(original.replace(b"test", b"TEST"))
        out = cli("certificate", "5", "-o", str(target), "--url-base", BASE)
        assert out.returncode == 1 and "is tampered" in one_line_error(out)
    finally:
        path.write_bytes(original)
    assert not target.exists()
    for args, words in [((), "--url-base http://127.0.0.1:8000 to try it"),
                        (("--url-base", "verify.bank.example"), "http(s) URL"),
                        (("--url-base", BASE, "--pdf"), "does not end in .pdf")]:
        out = cli("certificate", "1", "-o", str(target), *args)
        assert out.returncode == 2 and words in one_line_error(out), out.stderr
    assert not target.exists()


def test_the_mint_is_the_chains_whichever_way_it_is_found(cli: Cli, monkeypatch) -> None:
    chain = _chain(cli)
    contract = load_record(Project(cli.cwd).deployment_path("development")).address
    found = find_mint(chain, contract, 5)
    assert found is not None and found.to == CUSTOMER
    receipt = chain.receipt(found.transaction)
    assert receipt is not None and receipt["blockNumber"] == found.block
    assert find_mint(chain, contract, 11) is None  # not minted
    # a node without past state: bounded windows of logs find the same mint
    monkeypatch.setattr(mint_lookup, "WINDOW", 2)
    monkeypatch.setattr(mint_lookup, "_minted_at", _no_past_state)
    assert find_mint(chain, contract, 5) == found
    monkeypatch.setattr(mint_lookup, "WINDOW", 1)
    monkeypatch.setattr(mint_lookup, "MAX_WINDOWS", 1)  # the mint lies beyond the windows asked
    assert find_mint(chain, contract, 1) is None


def _no_past_state(*args: object) -> int:
    from nft_toolkit.errors import ChainError
    raise ChainError("missing trie node (a pruned node)")


def test_an_issuer_known_by_its_domain_is_named_on_the_certificate(cli: Cli,
                                                                    tmp_path: Path) -> None:
    """The QR code carries the domain, the trust anchor the customer was given; the URL verifies
    through the domain's signed statement."""
    authority = CertAuthority(tmp_path)
    with HttpsSite({}, authority.server_context()) as https:
        bank = Cli(cli.cwd, {**cli.env, "SSL_CERT_FILE": str(authority.cert_file),
                             "NFT_TOOLKIT_PRIVATE_KEY": dev_account(0).key.hex()})
        statement = tmp_path / "nft-issuer.json"
        out = bank("publish-identity", "--domain", https.domain, "-o", str(statement))
        assert out.returncode == 0, out.stderr
        https.routes[WELL_KNOWN_PATH] = (200, {}, statement.read_bytes())
        png = tmp_path / "cert.png"
        out = bank("certificate", "2", "--issuer", https.domain, "-o", str(png), "--url-base", BASE)
        assert out.returncode == 0, out.stderr
        url = decode_qr(png.read_bytes())
        assert url.endswith(f"/2?issuer={https.domain}")
        code, report = bank.json("verify", url)
        assert (code, report["verdict"], report["issuer_domain"]) == (0, "authentic", https.domain)
