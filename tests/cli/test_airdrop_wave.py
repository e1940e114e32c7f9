"""An airdrop wave as a bank runs it (T1 findings 6, 7, 8, 11): its export with more columns and
every bad row named in one run; `check --airdrop` after the wave checks that each recipient holds
what the list gave it; a mint or deploy stopped by the chain says that running it again resumes,
and a resumed mint says it keeps its original batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import free_port
from nft_toolkit.chain.minter import MintPlan, plan_batches
from nft_toolkit.cli.resumable import RESUME_HINT, kept_batches_note, resumes_on_chain_failure
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ChainError
from nft_toolkit.project import Project
from tests.support.cli import Cli, start_project

A, B, C = dev_account(1), dev_account(2), dev_account(3)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory):
    cli = start_project(tmp_path_factory.mktemp("airdrop-wave") / "p", 6)
    try:
        assert cli("deploy").returncode == 0
        yield cli
    finally:
        cli("chain", "stop")


def chain_of(cli: Cli) -> tuple[Chain, str]:
    state = json.loads((Project(cli.cwd).chain_dir / "chain.json").read_text())
    record = load_record(Project(cli.cwd).deployment_path("development"))
    return Chain(state["url"], 1337), record.address


def journaled(cli: Cli) -> list[str]:
    path = Project(cli.cwd).journal_dir / "mint-development.jsonl"
    return path.read_text().splitlines() if path.exists() else []


def test_a_bank_export_with_bad_rows_names_them_all_and_sends_nothing(deployed: Cli,
                                                                       tmp_path: Path) -> None:
    # Before: `expected address,count, got 5 columns` for line 2; after a fix, one row a run.
    typo = A.address[:-1] + "G"  # not hex
    path = tmp_path / "export.csv"
    path.write_text("姓名,手机号,钱包地址,数量,网点\n"
                    f"张三,13800138000,{A.address},1,北京分行\n"
                    f"李四,13900139000,{typo},1,上海分行\n"
                    f"王五,13700137000,{B.address},二,深圳分行\n"
                    f"赵六,13600136000,{A.address},1,北京分行\n", encoding="utf-8")
    out = deployed("mint", "--airdrop", str(path))
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and lines[0].startswith("error: ") and "3 rows" in lines[0], out.stderr
    assert [line.split(": ")[0].strip() for line in lines[1:]] == [f"{path}:{n}" for n in (3, 4, 5)]
    assert "Traceback" not in out.stderr and journaled(deployed) == []


def test_check_after_a_completed_wave_checks_its_recipients(deployed: Cli, tmp_path: Path) -> None:
    path = tmp_path / "wave.csv"
    path.write_text(f"name,address,count,branch\nA,{A.address},2,HQ\nB,{B.address},1,HQ\n")
    assert deployed("mint", "--airdrop", str(path)).returncode == 0
    # Before: "✗ mint  minting 3 token(s) would pass the cap" (or would mint the list again).
    code, report = deployed.json("check", "--airdrop", str(path))
    delivery = [f for f in report["findings"] if f["name"] == "delivery"]
    assert code == 0 and [f["ok"] for f in delivery] == [True], report
    assert "2 recipient(s)" in delivery[0]["detail"] and report["mint"] is None
    shown = deployed("check", "--airdrop", str(path)).stdout.splitlines()
    assert [line.split()[0] for line in shown if " delivery " in line] == ["✓"], shown

    chain, contract = chain_of(deployed)
    holders = [h.lower() for h in chain.owners(contract, 1, 6)]
    token = next(i + 1 for i, h in enumerate(holders) if h == A.address.lower())
    fn = chain.collection(contract).functions.transferFrom(A.address, C.address, token)
    signed = chain.sign(A, fn, chain.nonce(A.address, "pending"))
    chain.send(signed)
    chain.wait(signed.hash)
    code, report = deployed.json("check", "--airdrop", str(path))
    wrong = [f["detail"] for f in report["findings"] if f["name"] == "delivery" and not f["ok"]]
    assert code == 2 and len(wrong) == 2 and "1 of the 3 token(s)" in wrong[0], report
    assert wrong[1] == (f"{path}:2: token {token}, given to {A.address}, is held by {C.address}")


def test_a_deploy_the_chain_stops_says_running_again_resumes(deployed: Cli) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    out = deployed("deploy", "--rpc-url", dead, "--chain-id", "1337")
    line = out.stderr.strip().splitlines()[-1]
    assert out.returncode == 3 and line.startswith("error: ") and line.endswith(RESUME_HINT), out.stderr


def test_only_a_chain_that_does_not_answer_adds_the_hint() -> None:
    for cause in (requests.Timeout("read timed out"), requests.ConnectionError("refused")):
        with pytest.raises(ChainError) as exc, resumes_on_chain_failure():
            raise ChainError("the chain at http://x timed out (gas estimate)") from cause
        assert str(exc.value).endswith(f"(gas estimate); {RESUME_HINT}")
    with pytest.raises(ChainError) as exc, resumes_on_chain_failure():
        raise ChainError("chain 5 is not the expected 1337")
    assert RESUME_HINT not in str(exc.value)


def test_a_resumed_mint_with_another_batch_size_says_it_keeps_its_batches() -> None:
    allocations = ((A.address, 25), (B.address, 5))
    plan = MintPlan("r", C.address, 1337, A.address, allocations, 1,
                    plan_batches(allocations, 1, 10))
    assert kept_batches_note(plan, 10) is None
    note = kept_batches_note(plan, 4)
    assert note is not None and "3 batch(es) of up to 10 token(s)" in note and "4" in note
