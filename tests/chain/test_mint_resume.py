"""A mint killed mid-way (SIGKILL) and run again ends with every planned token minted exactly once."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import start_project
from tests.support.endpoint import Endpoint

BUYER = dev_account(2).address
OTHER = dev_account(3).address


def _records(journal: Path) -> list[dict]:
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_bytes().split(b"\n")[:-1] if line.strip()]


def test_killed_mint_is_completed_exactly_once(tmp_path: Path) -> None:
    # The cap (40) and the pinned items (20) are above the plan (14), so a double mint would
    # show as extra tokens.
    cli = start_project(tmp_path / "p", 20, max_supply=40)
    try:
        assert cli("deploy").returncode == 0
        assert cli("mint", "--to", OTHER, "--count", "2").returncode == 0
        project = Project(cli.cwd)
        journal = project.journal_dir / "mint-development.jsonl"
        args = ("mint", "--to", BUYER, "--count", "12", "--batch-size", "1")
        # Killed at a point it is seen to have reached, whatever the machine's load: through a
        # proxy that holds its 7th transaction (never sent to the chain). With 4 in flight, the
        # first 4 leave, then each later one after the receipt of the oldest: at the 7th, 3
        # batches are known mined, 6 sent, and the 7th journaled (with any signed ahead of it)
        # but not sent. (Killing after a wall-clock wait for journaled batches once saw none
        # in 60 s on a loaded machine.)
        state = json.loads((project.chain_dir / "chain.json").read_text())
        record = load_record(project.deployment_path("development"))
        contract = Chain(state["url"], 1337).collection(record.address)
        with Endpoint(state["url"]) as proxy:
            proxy.hold_at("eth_sendRawTransaction", 7)
            proc = cli.popen(*args, "--max-in-flight", "4", "-n", "development",
                             "--rpc-url", proxy.url, "--chain-id", "1337")
            try:
                assert proxy.held.wait(120), proc.communicate()
            finally:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
        run = _records(journal)[-1]["run"]  # the killed run's (the first mint's ended before)
        assert sum(r["type"] == "sent" and r["run"] == run for r in _records(journal)) >= 7
        deadline = time.monotonic() + 60  # the 6 sent: mined (the chain mines what it has)
        while contract.functions.totalMinted().call() < 2 + 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert contract.functions.totalMinted().call() == 2 + 6, "the kill must land mid-way"

        out = cli(*args, "--json")
        assert out.returncode == 0, out.stderr
        summary = json.loads(out.stdout)
        assert summary["resumed"] and (summary["first"], summary["last"]) == (3, 14)
        # what this run sent, not the whole plan: the stopped run had 6 mined (and the batches it
        # journaled unsent are settled by this run as that run's)
        assert summary["tokens_this_run"] <= 12 - 6

        assert contract.functions.totalMinted().call() == 14
        owners = contract.functions.ownersInRange(1, 40).call()
        assert owners == [OTHER] * 2 + [BUYER] * 12
        assert _records(journal)[-1]["type"] == "complete"

        again = cli(*args)
        assert again.returncode == 2 and "already completed" in again.stderr
        assert contract.functions.totalMinted().call() == 14
    finally:
        cli("chain", "stop")
