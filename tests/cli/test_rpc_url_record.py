"""`--rpc-url URL` without `--network` (trial of 2026-11-30): the chain's ID is checked first, in
one line, and the deployment is found by the chain it answers as, never "deployments/custom.json
does not exist: deploy first" (which led an operator to deploy a second contract)."""

from __future__ import annotations

import json
from pathlib import Path

from nft_toolkit.chain.accounts import PRIVATE_KEY_ENV, dev_account
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.anvil import anvil
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.collection import build_collection


def error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert lines and lines[-1].startswith("error: ") and "Traceback" not in stderr, stderr
    return lines[-1]


def test_an_rpc_url_finds_the_deployment_of_its_chain(cli) -> None:
    project = Project(cli.cwd)
    url = json.loads((project.chain_dir / "chain.json").read_text())["url"]
    record = load_record(project.deployment_path("development"))

    out = cli("mint", "--rpc-url", url, "--chain-id", "1", "--to", CUSTOMER, "--count", "1")
    assert out.returncode == 2 and "answers as chain 1337, not --chain-id 1" in error_line(out.stderr)

    # the record found by the chain: the mint reaches its own rules (here the cap), nothing sent
    out = cli("mint", "--rpc-url", url, "--chain-id", "1337", "--to", CUSTOMER, "--count", "100")
    line = error_line(out.stderr)
    assert out.returncode == 2 and "would pass the cap" in line and "does not exist" not in line

    code, report = cli.json("check", "--rpc-url", url)
    assert code == 0, report["findings"]
    assert (report["network"]["name"], report["network"]["deployed"]) == ("development",
                                                                         record.address)

    out = cli("deploy", "--rpc-url", url, "--chain-id", "1337")
    assert out.returncode == 2 and f"already deployed on development at {record.address}" in \
        error_line(out.stderr)
    assert not project.deployment_path("custom").exists()

    code, report = cli.json("verify", "1", "--rpc-url", url)
    assert code == 0 and report["verdict"] == "authentic" and report["contract"] == record.address


def test_a_project_deployed_elsewhere_names_that_deployment_when_no_network_is_given(
        tmp_path: Path) -> None:
    """A project deployed with `--rpc-url` only (deployments/custom.json; the trial's second
    collection on the first one's chain), then `verify`, `audit`, `mint` without it: one line
    naming the deployment and how to reach it. Before, "development.json does not exist: deploy
    first", which sends the user to deploy a second contract."""
    project = build_collection(tmp_path / "p", 3)
    cli = Cli(project.root, {**cli_env(), PRIVATE_KEY_ENV: dev_account(0).key.hex()})
    with anvil(chain_id=8848) as node:
        assert cli("deploy", "--rpc-url", node.url, "--chain-id", "8848").returncode == 0
        address = load_record(project.deployment_path("custom")).address
        for args in (("verify", "1"), ("audit",), ("mint", "--to", CUSTOMER, "--count", "1")):
            out = cli(*args)
            line = error_line(out.stderr)
            assert out.returncode == 2 and "not deployed on development" in line, line
            assert f"custom (chain 8848, contract {address})" in line and "--rpc-url" in line
        code, report = cli.json("check")
        warned = {f["name"]: f["detail"] for f in report["findings"]}
        assert "not deployed on development" in warned["record"]
        code, report = cli.json("verify", "1", "--rpc-url", node.url)  # its chain: found
        assert report["contract"] == address and report["verdict"] == "not_minted"
