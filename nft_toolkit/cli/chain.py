"""`nft-toolkit chain start|stop|status`: the project's local development chain."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nft_toolkit.chain.local import LocalChain, rpc
from nft_toolkit.cli.options import json_option, project_option, resolve_project
from nft_toolkit.errors import EXIT_UNVERIFIABLE


@click.group("chain")
def chain_group() -> None:
    """The local development chain (ganache), its state kept in the project."""


def _local(project_dir: Path | None) -> LocalChain:
    """The development chain of the project named by --project (or around the working folder)."""
    return LocalChain(resolve_project(project_dir).chain_dir)


@chain_group.command("start")
@project_option
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port on 127.0.0.1 (default: the last one, else 8545, else a free one).")
@json_option
def start(project_dir: Path | None, port: int | None, as_json: bool) -> None:
    """Start the development chain (no-op when it already runs)."""
    local = _local(project_dir)
    was = local.status()
    state = local.start(port)
    if as_json:
        click.echo(json.dumps({"running": True, "url": state.url, "chain_id": state.chain_id,
                               "pid": state.pid, "started": was is None}))
    else:
        verb = "already running" if was else "started"
        click.echo(f"development chain {verb} at {state.url} (chain {state.chain_id}, "
                   f"data in {local.db_dir})")


@chain_group.command("stop")
@project_option
@json_option
def stop(project_dir: Path | None, as_json: bool) -> None:
    """Stop the development chain; its data stays for the next start."""
    stopped = _local(project_dir).stop()
    if as_json:
        click.echo(json.dumps({"stopped": stopped}))
    else:
        click.echo("development chain stopped" if stopped else "development chain was not running")


@chain_group.command("status")
@project_option
@json_option
def status(project_dir: Path | None, as_json: bool) -> None:
    """Whether the development chain runs, and where. Exit 3 when it does not."""
    local = _local(project_dir)
    state = local.status()
    if as_json:
        out = {"running": state is not None, "data": str(local.db_dir)}
        if state:
            out |= {"url": state.url, "chain_id": state.chain_id, "pid": state.pid}
            out["block"] = _block(state.url)
        click.echo(json.dumps(out))
    elif state:
        click.echo(f"development chain running at {state.url} (chain {state.chain_id}, "
                   f"block {_block(state.url)}, pid {state.pid})")
    else:
        click.echo(f"development chain not running (data in {local.db_dir})")
    if state is None:
        raise SystemExit(EXIT_UNVERIFIABLE)


def _block(url: str) -> int:
    """The chain's newest block number."""
    return int(str(rpc(url, "eth_blockNumber")), 16)
