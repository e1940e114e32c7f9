"""More than one confirmation on a chain that mines only when a transaction comes: never a hang."""

from __future__ import annotations

import json

import pytest

from nft_toolkit.chain.accounts import PRIVATE_KEY_ENV, dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ChainError
from nft_toolkit.project import Project
from tests.support.cli import CUSTOMER, Cli


def test_a_development_chain_waits_for_one_confirmation(cli: Cli) -> None:
    project = Project(cli.cwd)
    url = json.loads((project.chain_dir / "chain.json").read_text())["url"]
    # Reached as a plain RPC URL, not as `development`: the node itself is recognised.
    other = Cli(cli.cwd, dict(cli.env, **{PRIVATE_KEY_ENV: dev_account(0).key.hex()}))
    target = ("--network", "second", "--rpc-url", url, "--chain-id", "1337", "--confirmations", "3")
    out = other("deploy", *target, "--json", timeout=60)
    assert out.returncode == 0, out.stderr
    assert "waiting for 1 confirmation, not 3" in out.stderr
    out = other("mint", *target, "--to", CUSTOMER, "--count", "2", "--json", timeout=60)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["count"] == 2 and "not 3" in out.stderr
    assert load_record(project.deployment_path("second")).chain_id == 1337

    chain = Chain(url, 1337)
    assert chain.confirmations_for(1) == (1, None)
    assert chain.confirmations_for(5)[0] == 1
    last = summary["transactions"][-1]  # the newest block: nothing will confirm it
    with pytest.raises(ChainError, match="no new block for 0 s"):  # a stall is an error, not a hang
        chain.wait(last, confirmations=2, stall=0.2)
