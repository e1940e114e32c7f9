"""`verify` given a CAIP-19 asset ID or a certificate's verification URL: the chain and contract
(and issuer) come from it, a conflicting option is a usage error, and a claim of another chain is
never answered with this chain's verdict."""

from __future__ import annotations

import json
from pathlib import Path

from nft_toolkit.caip19 import AssetId, format_verification_url
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.deployment import load_record
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from tests.cli.test_verify_cli import one_line_error
from tests.support.cli import Cli


def _record(cli: Cli):
    return load_record(Project(cli.cwd).deployment_path("development"))


def _rpc_url(cli: Cli) -> str:
    return json.loads((Project(cli.cwd).chain_dir / "chain.json").read_text())["url"]


def test_asset_id_in_the_project_verifies_as_the_id_does(cli: Cli) -> None:
    record = _record(cli)
    asset = AssetId(1337, record.address, 3)
    code, by_asset = cli.json("verify", str(asset))
    assert code == 0 and by_asset["verdict"] == "authentic"
    assert by_asset == cli.json("verify", "3")[1]
    # lower-case contract, as many tools print it: the same token
    code, lowered = cli.json("verify", str(asset).replace(record.address, record.address.lower()))
    assert (code, lowered["token_id"], lowered["contract"]) == (0, 3, record.address)


def test_verification_url_outside_any_project(cli: Cli, tmp_path: Path) -> None:
    """A customer with only the certificate's URL, a chain endpoint and a gateway."""
    record = _record(cli)
    outside = Cli(tmp_path, cli.env)
    asset = AssetId(1337, record.address, 2)
    with Gateway(BlockStore(Project(cli.cwd).store_dir)) as gateway:
        common = ("--rpc-url", _rpc_url(cli), "--gateway", gateway.url)
        url = format_verification_url("https://verify.bank.example", asset, record.issuer)
        code, report = outside.json("verify", url, *common)
        assert (code, report["verdict"], report["token_id"]) == (0, "authentic", 2)
        assert report["chain_id"] == 1337 and report["contract"] == record.address
        # the same token under another issuer's name is no item of that issuer
        forged = format_verification_url("https://verify.bank.example", asset,
                                         dev_account(4).address)
        code, report = outside.json("verify", forged, *common)
        assert (code, report["verdict"]) == (1, "counterfeit")
        assert report["checks"][-1]["name"] == "issuer"
        # an asset ID carries no issuer: it must still be given
        out = outside("verify", str(asset), *common)
        assert out.returncode == 2 and "--issuer" in one_line_error(out)
        code, report = outside.json("verify", str(asset), *common, "--issuer", record.issuer)
        assert (code, report["verdict"]) == (0, "authentic")


def test_a_claim_of_another_chain_is_not_this_chains_token(cli: Cli, tmp_path: Path) -> None:
    """The same contract address exists on every chain the issuer deploys with the same nonce: a
    certificate claiming chain 1 must not verify against the test chain 1337."""
    record = _record(cli)
    claim = str(AssetId(1, record.address, 1))
    code, report = cli.json("verify", claim, "--rpc-url", _rpc_url(cli), "--issuer", record.issuer)
    assert (code, report["verdict"]) == (1, "counterfeit")
    assert report["checks"][0]["name"] == "contract" and "1337" in report["checks"][0]["detail"]
    out = cli("verify", claim)  # inside the project: no network of that chain
    assert out.returncode == 2 and "no network of this project is chain 1" in one_line_error(out)


def test_conflicting_options_are_usage_errors(cli: Cli) -> None:
    record = _record(cli)
    asset = AssetId(1337, record.address, 1)
    url = format_verification_url("http://127.0.0.1:1", asset, record.issuer)
    cases = [
        (("verify", str(asset), "--chain-id", "5"), "--chain-id 5 differs"),
        (("verify", str(asset), "--contract", dev_account(5).address), "--contract"),
        (("verify", url, "--issuer", dev_account(4).address), "verification URL's issuer"),
        (("verify", "eip155:1337/erc721:" + record.address.lower()[:-1] + "/1"),
         "not an Ethereum address"),
        (("verify", f"eip155:1337/erc20:{record.address}/1"), "not an ERC-721"),
        (("verify", "--", "-1"), "is not a token ID"),
    ]
    for args, words in cases:
        out = cli(*args)
        assert out.returncode == 2 and words in one_line_error(out), (args, out.stderr)
    code, report = cli.json("verify", str(asset), "--chain-id", "1337", "--contract",
                            record.address.lower(), "--issuer", record.issuer)
    assert (code, report["verdict"]) == (0, "authentic")  # agreeing options are fine
