"""A key the contract would refuse is found out before anything is journaled (trial of 2026-11-30):
`mint` with a key that lacks MINTER_ROLE is one line, exit 2, the journal untouched; `check`
names the deployment's issuer from its record and fails a "minter" rule for that key; a plan of
another account that never sent a transaction blocks no one."""

from __future__ import annotations

import json
from pathlib import Path

from web3 import HTTPProvider, Web3

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.minter import MintPlan, PlanRecord, mint_record_json, plan_batches
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import CUSTOMER, Cli

STRANGER = dev_account(2)  # a development account that never got MINTER_ROLE


def as_stranger(cli: Cli) -> Cli:
    return Cli(cli.cwd, dict(cli.env, NFT_TOOLKIT_PRIVATE_KEY=STRANGER.key.hex()))


def journal(cli: Cli) -> Path:
    return Project(cli.cwd).journal_dir / "mint-development.jsonl"


def error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def test_a_key_without_the_role_is_refused_before_the_plan_is_journaled(cli) -> None:
    before = journal(cli).read_bytes()
    out = as_stranger(cli)("mint", "--to", CUSTOMER, "--count", "1")
    line = error_line(out.stderr)
    assert out.returncode == 2, out.stderr
    assert STRANGER.address in line and "MINTER_ROLE" in line and "grantRole" in line
    issuer = load_record(Project(cli.cwd).deployment_path("development")).issuer
    assert issuer in line  # the key that holds it
    assert journal(cli).read_bytes() == before  # nothing planned, nothing to abandon


def test_check_names_the_recorded_issuer_and_fails_a_key_without_the_role(cli) -> None:
    issuer = load_record(Project(cli.cwd).deployment_path("development")).issuer
    out = as_stranger(cli)("check", "--to", CUSTOMER, "--count", "1", "--json")
    assert out.returncode == 2, out.stderr
    report = json.loads(out.stdout)
    assert (report["issuer"], report["signer"]) == (issuer, STRANGER.address)
    failed = [f for f in report["findings"] if not f["ok"]]
    assert [f["name"] for f in failed] == ["minter"], failed
    assert "MINTER_ROLE" in failed[0]["detail"] and STRANGER.address in failed[0]["detail"]

    text = as_stranger(cli)("check")
    said = " ".join(text.stdout.split())  # rich wraps long lines
    assert text.returncode == 2 and f"issuer {issuer} (signing now as {STRANGER.address})" in said

    ok = cli("check", "--json")  # the issuer's own key holds the role
    assert ok.returncode == 0, ok.stdout
    assert any(f["name"] == "minter" and f["ok"] for f in json.loads(ok.stdout)["findings"])


def test_another_accounts_plan_that_sent_nothing_blocks_no_one(cli) -> None:
    record = load_record(Project(cli.cwd).deployment_path("development"))
    allocations = ((CUSTOMER, 100),)  # above the cap: the run after it stops before sending
    stale = MintPlan("stale0000000000", record.address, 1337, STRANGER.address, allocations, 7,
                     plan_batches(allocations, 7, 100))
    with journal(cli).open("a") as f:
        f.write(json.dumps(mint_record_json(PlanRecord(stale))) + "\n")
    out = cli("mint", "--to", CUSTOMER, "--count", "100")
    line = error_line(out.stderr)
    assert out.returncode == 2 and "started by" not in line and "cap" in line, line
    last = json.loads(journal(cli).read_text().splitlines()[-1])
    assert last == {"type": "abandoned", "run": "stale0000000000"}


def test_a_paused_collection_is_refused_before_the_plan_is_journaled(cli) -> None:
    project = Project(cli.cwd)
    record = load_record(project.deployment_path("development"))
    url = json.loads((project.chain_dir / "chain.json").read_text())["url"]
    w3 = Web3(HTTPProvider(url))
    contract = w3.eth.contract(address=record.address, abi=load_artifact().abi)
    issuer = dev_account(0)

    def send(fn) -> None:
        tx = fn.build_transaction({"from": issuer.address, "chainId": 1337,
                                   "nonce": w3.eth.get_transaction_count(issuer.address)})
        signed = issuer.sign_transaction(tx)
        assert w3.eth.wait_for_transaction_receipt(
            w3.eth.send_raw_transaction(signed.raw_transaction))["status"] == 1
    before = journal(cli).read_bytes()
    send(contract.functions.pauseMinting())
    try:
        out = cli("mint", "--to", CUSTOMER, "--count", "1")
        assert out.returncode == 2 and "minting is paused" in error_line(out.stderr)
        assert journal(cli).read_bytes() == before
    finally:
        send(contract.functions.unpauseMinting())
