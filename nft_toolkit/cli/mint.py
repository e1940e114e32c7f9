"""`nft-toolkit mint`: batch mint to one address or an airdrop list; resumable, never twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from nft_toolkit.cli.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nft_toolkit.address import parse_address
from nft_toolkit.chain.airdrop import load_airdrop
from nft_toolkit.chain.connect import chain_session, network_for
from nft_toolkit.chain.inflight import IN_FLIGHT_BLOCKS, MAX_IN_FLIGHT
from nft_toolkit.chain.minter import BatchResult, MintPlan, MintResult, project_minter
from nft_toolkit.chain.recorded_network import recorded_network
from nft_toolkit.cli.options import (json_option, keystore_option, mint_request_options,
                                     network_options, project_option, resolve_project)
from nft_toolkit.cli.resumable import kept_batches_note, resumes_on_chain_failure
from nft_toolkit.cli.signing import (confirmations_option, signer_and_confirmations,
                                     signer_options)
from nft_toolkit.deployment import network_record
from nft_toolkit.errors import InputError


@click.command("mint")
@project_option
@network_options
@keystore_option
@signer_options
@mint_request_options
@confirmations_option
@click.option("--again", is_flag=True, help="Mint although the same mint completed last time.")
@click.option("--resume", is_flag=True, help="Finish the interrupted mint, whatever it was.")
@click.option("--abandon", is_flag=True, help="Drop the interrupted mint's unsent batches.")
@click.option("--max-in-flight", "max_in_flight", type=click.IntRange(min=1), default=None,
              metavar="K",
              help=f"Transactions in flight at once, at consecutive nonces (default {MAX_IN_FLIGHT}; "
                   f"never more gas than {IN_FLIGHT_BLOCKS} blocks hold; 1: each batch after the "
                   "previous one's receipt).")
@json_option
def mint_command(project_dir: Path | None, network: str | None, rpc_url: str | None,
                 chain_id: int | None, keystore: Path | None, signer_url: str | None,
                   from_address: str | None, to: str | None, count: int | None,
                 airdrop: Path | None, batch_size: int, confirmations: int | None, again: bool, resume: bool,
                 abandon: bool, max_in_flight: int | None, as_json: bool) -> None:
    """Mint tokens of the deployed collection, in batches, with a journal: a run stopped at any
    point and run again mints every planned token exactly once."""
    modes = sum([to is not None or count is not None, airdrop is not None, resume, abandon])
    if modes != 1:
        raise InputError("give one of: --to ADDR --count K, --airdrop FILE.csv, --resume, --abandon")
    allocations = None
    where: Callable[[int], str] | None = None  # where each allocation came from, for refusals
    if airdrop is not None:
        drop = load_airdrop(airdrop)
        allocations, where = drop.allocations, drop.where
    elif not (resume or abandon):
        if to is None or count is None:
            raise InputError("--to and --count go together")
        allocations = [(parse_address(to, "--to"), count)]
        where = lambda i: "--to"  # noqa: E731
    project = resolve_project(project_dir)
    with resumes_on_chain_failure():
        net = recorded_network(project, network_for(project.root, network, rpc_url, chain_id))
    record = network_record(project, net.name)
    if net.chain_id is None:  # --rpc-url alone: the record names the chain it must be
        net = replace(net, chain_id=record.chain_id)
    console = Console(stderr=True)
    progress = Progress(TextColumn("minting"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("tokens"), TimeElapsedColumn(), console=console,
                        disable=as_json or not console.is_terminal)
    task = progress.add_task("mint", total=None)

    given = click.get_current_context().get_parameter_source("batch_size")
    asked_batch_size = given is not None and given.name != "DEFAULT"

    def on_plan(plan: MintPlan, resumed: bool) -> None:
        progress.update(task, total=plan.count)
        if resumed and not as_json:
            console.print(f"resuming the interrupted mint of IDs {plan.first}..{plan.last}")
            note = kept_batches_note(plan, batch_size) if asked_batch_size else None
            if note:
                console.print(note)

    def on_batch(res: BatchResult, plan: MintPlan) -> None:
        progress.advance(task, sum(res.batch.counts))

    with resumes_on_chain_failure(), chain_session(net, project.chain_dir, start=True) as chain:
        signer, confirmations = signer_and_confirmations(net, keystore, chain, confirmations,
                                                         signer_url, from_address)
        minter = project_minter(project, chain, signer, net.name, confirmations)
        if abandon:
            plan = minter.abandon()
            click.echo(f"abandoned the unfinished mint of IDs {plan.first}..{plan.last}" if plan
                       else "no unfinished mint")
            return
        with progress:
            result = minter.mint(allocations, batch_size, again, on_batch=on_batch,
                                 on_plan=on_plan, where=where, max_in_flight=max_in_flight)
    if as_json:
        click.echo(json.dumps(_summary(result, record.address)))
    else:
        _report(result, record.address)


def _sent_this_run(result: MintResult) -> list[BatchResult]:
    """The batches whose transaction this run sent (not one a stopped run sent, settled now)."""
    return [b for b in result.batches if b.gas_used and not b.resumed]


def _summary(result: MintResult, contract: str) -> dict[str, Any]:
    plan = result.plan
    return {"contract": contract, "first": plan.first, "last": plan.last, "count": plan.count,
            "resumed": result.resumed, "transactions": [b.tx for b in result.batches],
            # tokens of the batches this run sent; the rest were sent by a run that was stopped
            "tokens_this_run": sum(sum(b.batch.counts) for b in _sent_this_run(result)),
            "gas_used": result.gas_used, "cost_wei": result.cost_wei, "notes": result.notes,
            # each transaction this run sent: when it left and its receipt was seen (Unix
            # seconds), its block and gas; a pipeline's timeline for benchmarks
            "timeline": [{"batch": b.batch.index, "tx": b.tx, "sent_at": b.sent_at,
                          "receipt_at": b.receipt_at, "block": b.block, "gas_used": b.gas_used}
                         for b in result.batches if b.sent_at is not None]}


def _report(result: MintResult, contract: str) -> None:
    plan = result.plan
    console = Console()
    table = Table(title=f"gas report: {plan.count} token(s), IDs {plan.first}..{plan.last}",
                  title_justify="left")
    for column in ("batch", "tokens", "transaction", "gas used", "gas/token", "gwei"):
        table.add_column(column, justify="right" if column != "transaction" else "left")
    for b in result.batches:
        n = sum(b.batch.counts)
        table.add_row(str(b.batch.index + 1), str(n),
                      (b.tx[:18] + "…") if b.tx else "(found on chain)",
                      f"{b.gas_used:,}" if b.gas_used else "-",
                      f"{b.gas_used / n:,.0f}" if b.gas_used else "-",
                      f"{b.gas_price / 1e9:.2f}" if b.gas_used else "-")  # 0 on a free chain
    console.print(table)
    sent = _sent_this_run(result)
    tokens = sum(sum(b.batch.counts) for b in sent)
    gas = sum(b.gas_used for b in sent)
    cost = sum(b.gas_used * b.gas_price for b in sent)
    per = f", {gas / tokens:,.0f} gas/token" if tokens else ""
    before = plan.count - tokens
    console.print(f"minted IDs {plan.first}..{plan.last} on {contract}: this run sent "
                  f"{len(sent)} transaction(s) for {tokens:,} token(s), {gas:,} gas{per}, "
                  f"{cost / 1e18:.6f} ETH"
                  + (f"; the other {before:,} token(s) were sent by the run that was stopped"
                     if before else ""))
    for note in result.notes:
        console.print(f"note: {note}")
