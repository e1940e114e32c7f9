"""A command that starts the development chain itself leaves nothing running when it fails
(issue 9, kind 10): its inputs are checked before the chain starts, and a failure after the
start stops the chain again; a chain that was already running is left running."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.project import Project
from tests.support.cli import Cli, start_project
from tests.support.collection import build_collection


def fresh(root: Path) -> Cli:
    """A pinned project whose chain has never been started."""
    build_collection(root, 4)
    env = dict(os.environ, NFT_TOOLKIT_CHAIN_PORT=str(free_port()), COLUMNS="200")
    env.pop("NFT_TOOLKIT_PRIVATE_KEY", None)
    return Cli(root, env)


def running(cli: Cli) -> bool:
    out = cli("chain", "status", "--json")
    return bool(json.loads(out.stdout)["running"])


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def test_deploy_without_a_manifest_starts_no_chain(tmp_path: Path) -> None:
    cli = fresh(tmp_path / "p")
    Project(cli.cwd).manifest_path.unlink()
    out = cli("deploy")
    assert out.returncode == 2 and "nft-toolkit pin" in one_line_error(out.stderr)
    assert not running(cli) and not (Project(cli.cwd).chain_dir / "chain.json").exists()


def test_mint_without_a_deployment_starts_no_chain(tmp_path: Path) -> None:
    cli = fresh(tmp_path / "p")
    out = cli("mint", "--to", dev_account(1).address, "--count", "1")
    assert out.returncode == 2, out.stderr
    assert not running(cli)


def test_a_deploy_failing_after_the_start_stops_the_chain_it_started(tmp_path: Path) -> None:
    cli = fresh(tmp_path / "p")
    out = cli("deploy", "--keystore", str(tmp_path / "missing.json"))
    assert out.returncode == 2, out.stderr
    one_line_error(out.stderr)
    assert not running(cli)


def test_a_mint_failing_after_the_start_stops_the_chain_it_started(tmp_path: Path) -> None:
    cli = fresh(tmp_path / "p")
    assert cli("deploy").returncode == 0
    assert running(cli)  # a command that succeeds leaves its chain running for the next
    assert cli("chain", "stop").returncode == 0
    shutil.rmtree(Project(cli.cwd).chain_dir / "db")  # a chain without the deployed contract
    out = cli("mint", "--to", dev_account(1).address, "--count", "1")
    assert out.returncode == 2 and "is not a ZodiacCollection" in one_line_error(out.stderr)
    assert not running(cli)


def test_a_chain_that_was_running_is_left_running(tmp_path: Path) -> None:
    cli = start_project(tmp_path / "p", 4)
    try:
        out = cli("deploy", "--keystore", str(tmp_path / "missing.json"))
        assert out.returncode == 2, out.stderr
        assert running(cli)
    finally:
        cli("chain", "stop")
