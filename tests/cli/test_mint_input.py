"""`mint` and `verify` given addresses and airdrop files as people give them, on a real ganache:
a mistyped, zero or ENS address and a bad airdrop row end in one `error:` line, exit 2, with
nothing minted and nothing journaled; a spreadsheet's CSV mints every recipient."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from web3.contract import Contract

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import Cli, start_project

A, B, C = (dev_account(i).address for i in (1, 2, 3))
TYPO = "0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266"  # dev account 0 with one letter's case flipped
ZERO = "0x" + "0" * 40


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = start_project(tmp_path_factory.mktemp("mint-input") / "horse", 4, max_supply=40)
    try:
        out = cli("deploy")
        assert out.returncode == 0, out.stderr
        yield cli
    finally:
        cli("chain", "stop")


def collection(cli: Cli) -> Contract:
    project = Project(cli.cwd)
    record = load_record(project.deployment_path("development"))
    state = json.loads((project.chain_dir / "chain.json").read_text())
    return Chain(state["url"], 1337).collection(record.address)


def journal(cli: Cli) -> bytes:
    path = Project(cli.cwd).journal_dir / "mint-development.jsonl"
    return path.read_bytes() if path.exists() else b""


def one_error(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    assert "Traceback" not in out.stderr
    return lines[0]


@pytest.mark.parametrize("to,words", [
    (TYPO, ("--to", "wrong EIP-55 checksum", "mistyped")),  # was re-checksummed and minted
    (ZERO, ("--to", "zero address")),  # was "minted" (nothing) and journaled as done
    ("horse.eth", ("--to", "ENS name", "0x address")),
])
def test_mint_to_a_bad_address_mints_nothing(deployed: Cli, to: str, words: tuple[str, ...]) -> None:
    contract = collection(deployed)
    minted, journaled = contract.functions.totalMinted().call(), journal(deployed)
    line = one_error(deployed("mint", "--to", to, "--count", "1"))
    assert all(word in line for word in words), line
    assert contract.functions.totalMinted().call() == minted
    assert journal(deployed) == journaled


@pytest.mark.parametrize("rows,where,words", [
    (f"{A},1\n{ZERO},1\n", 2, ("zero address",)),  # was exit 3 with an undecoded revert
    (f"{A},1\n{B},1\n{A},2\n", 3, ("is also on line 1",)),  # was minted twice
    (f"{A[2:]},1\n{B},1\n", 1, ("not an Ethereum address",)),  # was skipped as a "header"
    (f"{A},1\n{TYPO},1\n", 2, ("wrong EIP-55 checksum",)),
    (f"{A};1,5\n", 1, ("count '1,5'",)),
])
def test_a_bad_airdrop_row_mints_nothing(deployed: Cli, rows: str, where: int,
                                         words: tuple[str, ...]) -> None:
    path = deployed.cwd / "bad.csv"
    path.write_text(rows)
    contract = collection(deployed)
    minted, journaled = contract.functions.totalMinted().call(), journal(deployed)
    line = one_error(deployed("mint", "--airdrop", "bad.csv"))
    assert line.startswith(f"error: bad.csv:{where}: "), line
    assert all(word in line for word in words), line
    assert contract.functions.totalMinted().call() == minted
    assert journal(deployed) == journaled


def test_an_excel_csv_mints_every_recipient(deployed: Cli) -> None:
    # Excel's "CSV UTF-8" in a decimal-comma locale: BOM, `;`, CRLF, a header, quoted cells. The
    # BOM used to hide the first address from the header check: its tokens were never minted.
    path = deployed.cwd / "excel.csv"
    rows = f'Wallet;Tokens\r\n{A};2\r\n"{B}";"1"\r\n{C.lower()};1.0\r\n;\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + rows.encode())
    contract = collection(deployed)
    first = contract.functions.totalMinted().call() + 1
    out = deployed("mint", "--airdrop", "excel.csv", "--json")
    assert out.returncode == 0, out.stderr
    assert (json.loads(out.stdout)["first"], json.loads(out.stdout)["count"]) == (first, 4)
    assert contract.functions.ownersInRange(first, first + 3).call() == [A, A, B, C]


@pytest.mark.parametrize("option", ["--contract", "--issuer"])
def test_verify_refuses_a_mistyped_trust_anchor(deployed: Cli, option: str) -> None:
    record = load_record(Project(deployed.cwd).deployment_path("development"))
    given = {"--contract": record.address, "--issuer": record.issuer}
    given[option] = given[option][:2] + given[option][2:].swapcase()  # every letter flipped
    line = one_error(deployed("verify", "1", "--contract", given["--contract"],
                             "--issuer", given["--issuer"]))
    assert f"error: {option} " in line and "wrong EIP-55 checksum" in line, line


def test_check_reads_addresses_and_airdrops_as_mint_does(deployed: Cli) -> None:
    line = one_error(deployed("check", "--to", TYPO, "--count", "1"))
    assert line.startswith("error: --to ") and "wrong EIP-55 checksum" in line, line
    (deployed.cwd / "dup.csv").write_text(f"{A},1\n{A},1\n")
    line = one_error(deployed("check", "--airdrop", "dup.csv"))
    assert line.startswith("error: dup.csv:2: ") and "also on line 1" in line, line


@pytest.mark.parametrize("command", ["mint", "check"])
def test_a_repeated_recipient_option_is_refused_not_overridden(command: str, tmp_path: Path) -> None:
    """Found by a new user: `mint --to A --to B --count 1` minted to B and silently dropped A."""
    from click.testing import CliRunner

    from nft_toolkit.cli import main

    a, b = dev_account(1).address, dev_account(2).address
    out = CliRunner().invoke(main, [command, "--project", str(tmp_path), "--to", a, "--to", b,
                                    "--count", "1"])
    assert out.exit_code == 2 and "given 2 times" in out.output and "--airdrop" in out.output
    out = CliRunner().invoke(main, [command, "--project", str(tmp_path), "--to", a,
                                    "--count", "1", "--count", "5"])
    assert out.exit_code == 2 and "given 2 times (1, 5)" in out.output
