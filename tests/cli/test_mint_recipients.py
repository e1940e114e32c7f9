"""`mint` refuses, in one line naming the option or CSV line, a recipient that would lose the
token: the zero address, and a contract that does not accept ERC-721 tokens (issue 9, kind 4).
Nothing is sent and nothing is journaled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import ZERO_ADDRESS, Chain
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import Cli, start_project

A, B = dev_account(1).address, dev_account(2).address


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory):
    cli = start_project(tmp_path_factory.mktemp("mint-recipients") / "p", 6)
    try:
        assert cli("deploy").returncode == 0
        yield cli
    finally:
        cli("chain", "stop")


def collection(cli: Cli) -> str:
    return load_record(Project(cli.cwd).deployment_path("development")).address


def minted(cli: Cli) -> int:
    state = json.loads((Project(cli.cwd).chain_dir / "chain.json").read_text())
    chain = Chain(state["url"], 1337)
    return chain.call(chain.collection(collection(cli)).functions.totalMinted())


def journaled(cli: Cli) -> list[dict]:
    path = Project(cli.cwd).journal_dir / "mint-development.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def refused(out, *parts: str) -> str:  # type: ignore[no-untyped-def]
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    for part in parts:
        assert part.lower() in lines[0].lower(), lines[0]
    return lines[0]


def csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "drop.csv"
    path.write_text("address,count\n" + "".join(f"{r}\n" for r in rows))
    return path


def test_mint_to_the_zero_address_is_refused(deployed: Cli) -> None:
    # It used to exit 0 saying it minted, with nothing minted and the batch journaled done.
    refused(deployed("mint", "--to", ZERO_ADDRESS, "--count", "1"), "zero address")
    assert minted(deployed) == 0 and journaled(deployed) == []


def test_an_airdrop_row_with_the_zero_address_is_named(deployed: Cli, tmp_path: Path) -> None:
    # It used to end in exit 3 with an undecoded revert.
    path = csv(tmp_path, f"{A},1", f"{ZERO_ADDRESS},1", f"{B},1")
    refused(deployed("mint", "--airdrop", str(path)), f"{path}:3", "zero address")
    assert minted(deployed) == 0 and journaled(deployed) == []


def test_mint_to_the_collection_itself_is_refused(deployed: Cli) -> None:
    # It used to lock the token in the collection's own address, with exit 0.
    address = collection(deployed)
    refused(deployed("mint", "--to", address, "--count", "1"),
            f"--to: recipient {address} is a contract that does not accept ERC-721 tokens")
    assert minted(deployed) == 0 and journaled(deployed) == []


def test_an_airdrop_row_naming_a_non_receiver_is_found_before_sending(deployed: Cli,
                                                                      tmp_path: Path) -> None:
    address = collection(deployed)
    path = csv(tmp_path, f"{A},2", f"{B},1", f"{address.lower()},1", f"{dev_account(3).address},1")
    refused(deployed("mint", "--airdrop", str(path)),
            f"{path}:4: recipient {address} is a contract")
    assert minted(deployed) == 0 and journaled(deployed) == []


def test_accounts_are_still_minted(deployed: Cli, tmp_path: Path) -> None:
    path = csv(tmp_path, f"{A},2", f"{B},1")
    out = deployed("mint", "--airdrop", str(path))
    assert out.returncode == 0, out.stderr
    assert minted(deployed) == 3
