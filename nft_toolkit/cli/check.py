"""`nft-toolkit check`: every rule of the issuer's path checked, nothing written or sent."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import click
from nft_toolkit.cli.console import Console, rows_table
from rich.markup import escape

from nft_toolkit.address import parse_address
from nft_toolkit.chain.airdrop import MAX_LISTED, load_airdrop
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.connect import network_for
from nft_toolkit.chain.delivery import Discrepancy, completed_run, discrepancies
from nft_toolkit.chain.minter import Minter, MintPlan, deployment_id, mint_journal_path
from nft_toolkit.chain.minting_rights import check_minting_rights
from nft_toolkit.chain.readiness import check_chain
from nft_toolkit.chain.recorded_network import recorded_network
from nft_toolkit.cli.options import (json_option, keystore_option, mint_request_options,
                                     network_options, project_option, resolve_project)
from nft_toolkit.cli.signing import signer_options, signing_network
from nft_toolkit.cli.verify import mark
from nft_toolkit.consistency import Finding, committed_items
from nft_toolkit.deployment import DeploymentRecord, deployed_elsewhere, load_record
from nft_toolkit.errors import EXIT_OK, EXIT_USAGE, InputError, NftToolkitError
from nft_toolkit.journal import Journal
from nft_toolkit.preflight import Preflight, check_build, check_fresh_mint, check_mint
from nft_toolkit.project import Project


@click.command("check")
@project_option
@network_options
@keystore_option
@signer_options
@mint_request_options
@json_option
def check_command(project_dir: Path | None, network: str | None, rpc_url: str | None,
                  chain_id: int | None, keystore: Path | None, signer_url: str | None,
                  from_address: str | None, to: str | None, count: int | None,
                  airdrop: Path | None, batch_size: int, as_json: bool) -> None:
    """Check the build, the pin manifest, the deployments and (with --to/--airdrop) a mint
    against the issuer's rules, and print what deploy and mint would do. Sends nothing.

    Exit 0 when every rule holds (warnings allowed); 2 when one fails, or a usage error; 3 when
    the chain stops answering while the mint is read.
    """
    project = resolve_project(project_dir)
    out = check_build(project)
    net = network_for(project.root, network, rpc_url, chain_id)
    net = signing_network(net, keystore, signer_url, from_address)  # as deploy and mint sign
    try:
        net = recorded_network(project, net, deploying=True)  # check describes a deploy too
    except NftToolkitError as exc:  # several records of that chain, or not that chain
        out.findings.append(Finding("record", False, str(exc)))
    record_path = project.deployment_path(net.name)
    record = None
    elsewhere = deployed_elsewhere(project, net.name)
    if elsewhere is not None:  # a forgotten --rpc-url, or a deployment on a second chain
        out.warn("record", f"{elsewhere}: to check that deployment, give its chain's --rpc-url "
                 f"or --network NAME; deploy (below) would add one on {net.name}")
    if record_path.exists():
        def recorded() -> str:
            nonlocal record
            record = load_record(record_path)
            return f"deployed on {net.name} (chain {record.chain_id}) at {record.address}"
        out.rule("record", recorded)
    if net.chain_id is None and record is not None:
        net = replace(net, chain_id=record.chain_id)
    chain = check_chain(out, net, project.chain_dir)
    out.network = {"name": net.name, "chain_id": net.chain_id,
                   "deployed": None if record is None else record.address,
                   "transfer_policy": None if record is None else record.transfer_policy,
                   "hold_days": None if record is None else record.hold_days}
    if record is not None:  # the deployment's issuer is the record's, whoever signs now
        out.issuer = record.issuer
    may_mint = True
    if record is not None and chain is not None and out.signer is not None:
        may_mint = out.rule("minter", lambda: _minting_rights(chain, record, str(out.signer)))
    if to is not None or count is not None or airdrop is not None:
        allocations: list[tuple[str, int]]
        where: Callable[[int], str]
        if airdrop is not None and to is None and count is None:
            drop = load_airdrop(airdrop)
            allocations, where = drop.allocations, drop.where
        elif airdrop is None and to is not None and count is not None:
            allocations, where = [(parse_address(to, "--to"), count)], (lambda i: "--to")
        else:
            raise InputError("give --to ADDR --count K, or --airdrop FILE.csv, to check a mint")
        if record is None and not record_path.exists():
            check_fresh_mint(out, allocations, batch_size)
        elif record is not None and chain is not None:
            # a signer refused above: the rest of the mint is checked as the issuer would mint
            _check_mint(out, project, net.name, chain, record, allocations, batch_size, where,
                        out.signer if may_mint and out.signer else record.issuer)
        elif record is not None:
            out.warn("mint", "the chain was not read: the mint is not checked")
    if as_json:
        click.echo(json.dumps(out.as_json()))
    else:
        _render(out)
    sys.exit(EXIT_OK if out.ok else EXIT_USAGE)


def _check_mint(out: Preflight, project: Project, network: str, chain: Chain,
                record: DeploymentRecord, allocations: list[tuple[str, int]], batch_size: int,
                where: Callable[[int], str], account: str) -> None:
    """The mint rules on the deployed contract of `network`, read from `chain`, for a mint
    signed by `account`."""
    # A dry run signs nothing: only the address of the minting account is needed.
    minter = Minter(chain, SimpleNamespace(address=account), record.address,
                    Journal(mint_journal_path(project, network)),
                    content_limit=lambda base_uri: committed_items(base_uri, project),
                    deployment=deployment_id(chain, record))
    done = completed_run(minter, allocations)
    if done is None:
        check_mint(out, minter, chain.chain_id, allocations, batch_size, where)
    else:  # the list was minted: check its recipients hold it, rather than plan it again
        _check_delivery(out, chain, done, where)


def _minting_rights(chain: Chain, record: DeploymentRecord, account: str) -> str:
    """The "minter" rule: `account` may mint on the deployed contract now (MINTER_ROLE, not
    paused); ConfigError naming the account and the role when it may not."""
    check_minting_rights(chain, chain.collection(record.address), account)
    return f"{account} holds MINTER_ROLE on {record.address}, and minting is not paused"


def _check_delivery(out: Preflight, chain: Chain, plan: MintPlan,
                    where: Callable[[int], str]) -> None:
    """A finding per token of the completed run `plan` that its recipient does not hold (at
    most MAX_LISTED, then how many more), or one held finding when every recipient holds its
    tokens."""
    found: list[Discrepancy] = []

    def delivered() -> str:
        found.extend(discrepancies(chain, plan))
        recipients = len({a for a, _ in plan.allocations})
        if not found:
            return (f"every one of the {recipients} recipient(s) holds the token(s) the list gave "
                    f"it (IDs {plan.first}..{plan.last}, minted by the completed run, read from "
                    "the chain)")
        raise InputError(f"{len(found)} of the {plan.count} token(s) the list gave (IDs "
                         f"{plan.first}..{plan.last}, minted) are not held by their recipient:")
    if out.rule("delivery", delivered):
        return
    for d in found[:MAX_LISTED]:
        out.findings.append(Finding("delivery", False, d.line(where)))
    if len(found) > MAX_LISTED:
        out.findings.append(Finding("delivery", False, f"and {len(found) - MAX_LISTED} more"))


def _render(out: Preflight) -> None:
    console = Console()
    table = rows_table(3)
    for f in out.findings:
        table.add_row(mark(f), f.name, escape(f.detail))
    console.print(table)
    n = out.network or {}
    where = f"{n.get('name')} (chain {n.get('chain_id') or 'not stated'})"
    if n.get("deployed"):
        policy = n["transfer_policy"] or "not recorded"
        hold = f" after {n['hold_days']} day(s) held" if n["hold_days"] else ""
        signs = "" if out.signer in (None, out.issuer) else f" (signing now as {out.signer})"
        console.print(escape(f"already deployed on {where} at {n['deployed']}, issuer "
                             f"{out.issuer}{signs}, transfer policy {policy}{hold}"))
    elif out.deploy:
        d = out.deploy
        hold = f" after {d['hold_days']} day(s) held" if d["hold_days"] else ""
        console.print(escape(f"deploy would commit on {where}, issuer {out.issuer or 'not read'}: "
                             f"{d['name']} ({d['symbol']}), {d['items']:,} item(s) "
                             f"of a cap of {d['max_supply']:,}, base URI {d['base_uri']}, royalty "
                             f"{d['royalty_bps']} bps to {d['royalty_receiver']}, "
                             f"{'frozen' if d['freeze'] else 'NOT frozen'}, transfer policy "
                             f"{d['transfer_policy']}{hold} (fixed forever)"))
    if out.mint:
        m = out.mint
        console.print(escape(f"mint would give IDs {m['first']}..{m['last']} to {m['recipients']} "
                             f"recipient(s) in {m['transactions']} transaction(s)"
                             + (f" from {m['contract']}" if m["contract"] else " (after deploy)")))
    failed = len({f.name for f in out.findings if not f.ok})  # a rule may list several lines
    console.print("[green]every rule holds[/]" if not failed
                  else f"[red]{failed} rule(s) fail[/]: nothing would be safe to deploy or mint")
