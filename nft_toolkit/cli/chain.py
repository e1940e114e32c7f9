"""`nft-toolkit chain start|stop|status`: the project's local development chain."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nft_toolkit.chain.fees import parse_gas_price
from nft_toolkit.chain.local import CLIENTS, ClientSettings, LocalChain, rpc
from nft_toolkit.cli.options import json_option, project_option, resolve_project
from nft_toolkit.errors import EXIT_UNVERIFIABLE


@click.group("chain")
def chain_group() -> None:
    """The local development chain (ganache), its state kept in the project.

    `chain start --client anvil` runs anvil instead (with --hardfork and --gas-price, a chain
    without a fee market)."""


def _local(project_dir: Path | None) -> LocalChain:
    """The development chain of the project named by --project (or around the working folder)."""
    return LocalChain(resolve_project(project_dir).chain_dir)


@chain_group.command("start")
@project_option
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port on 127.0.0.1 (default: the last one, else 8545, else a free one).")
@click.option("--client", type=click.Choice(CLIENTS), default=None,
              help="The chain client (default: the one of the last start, else ganache).")
@click.option("--hardfork", default=None, metavar="NAME",
              help="The EVM hardfork, e.g. berlin (no fee market), shanghai (default: the client's).")
@click.option("--gas-price", "gas_price", default=None, metavar="PRICE",
              help="The node's gas price: wei, or with a unit (\"1 gwei\"); 0 for free gas.")
@json_option
def start(project_dir: Path | None, port: int | None, client: str | None, hardfork: str | None,
          gas_price: str | None, as_json: bool) -> None:
    """Start the development chain (no-op when it already runs). `--client anvil --hardfork
    berlin --gas-price 0` is a chain without a fee market, as many permissioned chains are;
    the client and its settings stay with the chain's data."""
    local = _local(project_dir)
    settings = None
    if client is not None or hardfork is not None or gas_price is not None:
        settings = ClientSettings(client or local.settings().client, hardfork,
                                  None if gas_price is None
                                  else parse_gas_price(gas_price, "--gas-price"))
    was = local.status()
    state = local.start(port, settings)
    used = local.settings()
    if as_json:
        click.echo(json.dumps({"running": True, "url": state.url, "chain_id": state.chain_id,
                               "pid": state.pid, "started": was is None,
                               "client": used.client, "hardfork": used.hardfork,
                               "gas_price": used.gas_price}))
    else:
        verb = "already running" if was else "started"
        extra = "".join(f", {k} {v}" for k, v in (("hardfork", used.hardfork),
                                                  ("gas price", used.gas_price)) if v is not None)
        click.echo(f"development chain ({used.client}{extra}) {verb} at {state.url} "
                   f"(chain {state.chain_id}, data in {local.data_dir})")


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
    """Whether the development chain runs, and where. Exit 0 when it runs, 3 when it does not,
    2 usage error (no project)."""
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
