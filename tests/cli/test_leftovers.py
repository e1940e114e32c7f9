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


def _ganaches(db_dir: Path) -> list[int]:
    """PIDs of live ganache processes serving the chain database `db_dir`."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if str(db_dir).encode() in cmdline and any(b"ganache" in part for part in cmdline):
            pids.append(int(entry.name))
    return pids


def test_ctrl_c_while_the_chain_starts_leaves_no_ganache(tmp_path: Path) -> None:
    """Found by a new user: Ctrl-C before ganache answered left a process nothing knew of,
    holding the database lock, so every later start failed."""
    import signal
    import time

    cli = fresh(tmp_path / "p")
    db = Project(cli.cwd).chain_dir / "db"
    proc = cli.popen("chain", "start")
    deadline = time.monotonic() + 30
    while not _ganaches(db) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _ganaches(db), "ganache never started"
    proc.send_signal(signal.SIGINT)  # before it answers: it takes seconds to open its database
    proc.communicate(timeout=30)
    assert proc.returncode == 130
    deadline = time.monotonic() + 10
    while _ganaches(db) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _ganaches(db)
    out = cli("chain", "start")  # and the chain starts again
    try:
        assert out.returncode == 0, out.stderr
    finally:
        cli("chain", "stop")


def test_chain_start_comes_back_on_the_port_of_its_last_start(tmp_path: Path) -> None:
    """Found by a user: started with --port P, stopped, started again, it came up on 8545 though
    the help says the default is the last one (its URL in networks.yaml or a wallet changed)."""
    cli = fresh(tmp_path / "p")
    del cli.env["NFT_TOOLKIT_CHAIN_PORT"]  # the user's shell: no port set
    port = free_port()
    try:
        code, first = cli.json("chain", "start", "--port", str(port))
        assert code == 0 and first["url"] == f"http://127.0.0.1:{port}"
        assert cli("chain", "stop").returncode == 0
        code, again = cli.json("chain", "start")
        assert code == 0 and again["started"] and again["url"] == first["url"]
    finally:
        cli("chain", "stop")
