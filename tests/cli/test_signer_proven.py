"""A signer that does not hold `--from` is found out before anything is journaled or pinned (trial
of 2026-11-30), and an unfinished deployment that never signed a transaction blocks no one; one
that did is dropped by `deploy --abandon`, which the refusal names."""

from __future__ import annotations

from pathlib import Path

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.deployer import PendingDeployment
from nft_toolkit.chain.client import SignedTx
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import CUSTOMER, copy_on_bank2

WRONG = "0x1111111111111111111111111111111111111111"


def error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert lines and lines[-1].startswith("error: ") and "Traceback" not in stderr, stderr
    return lines[-1]


def test_a_signer_that_does_not_hold_from_is_refused_before_anything_is_written(
        cli, tmp_path: Path) -> None:
    copy, url = copy_on_bank2(cli, tmp_path / "copy")
    project = Project(copy.cwd)
    built = project.contract_metadata_path.read_bytes()
    for command in (("deploy", "--network", "bank2"),
                    ("mint", "--network", "development", "--rpc-url", url, "--chain-id", "1337",
                     "--to", CUSTOMER, "--count", "1")):
        out = copy(*command, "--signer-url", url, "--from", WRONG)
        line = error_line(out.stderr)
        assert out.returncode == 2 and "does not hold 0x1111" in line, out.stderr
        assert dev_account(0).address in line  # one it does hold
    assert not project.pending_deployment_path("bank2").exists()
    assert project.contract_metadata_path.read_bytes() == built  # no royalty receiver 0x1111…
    assert not (project.journal_dir / "mint-development.jsonl").read_text().count(WRONG.lower())


def test_a_pending_deployment_that_sent_nothing_blocks_no_one(cli, tmp_path: Path) -> None:
    copy, url = copy_on_bank2(cli, tmp_path / "copy")
    project = Project(copy.cwd)
    pending = project.pending_deployment_path("bank2")
    pending.parent.mkdir(parents=True, exist_ok=True)
    PendingDeployment(1337, WRONG, {"other": "parameters"}, "bank2").save(pending)
    out = copy("deploy", "--network", "bank2", "--signer-url", url, "--from",
               dev_account(0).address)
    assert out.returncode == 0, out.stderr
    assert "sent nothing: replaced" in out.stderr and not pending.exists()
    assert load_record(project.deployment_path("bank2")).issuer == dev_account(0).address

    # one that signed a transaction is refused, naming the option that drops it
    tx = SignedTx("0x" + "ab" * 32, 0, "0x00")
    PendingDeployment(1337, WRONG, {"other": "parameters"}, "bank2", {"deploy": tx}).save(pending)
    out = copy("deploy", "--network", "bank2", "--signer-url", url, "--from",
               dev_account(0).address)
    line = error_line(out.stderr)
    assert out.returncode == 2 and "deploy --abandon" in line and "delete" not in line, line
    out = copy("deploy", "--network", "bank2", "--abandon")
    assert out.returncode == 0 and "abandoned" in out.stdout and not pending.exists(), out.stderr
