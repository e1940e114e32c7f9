"""`nft-toolkit deploy --network N`: deploy the collection contract and record it."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from nft_toolkit.chain.connect import chain_session, network_for
from nft_toolkit.chain.deployer import (abandon_pending, deploy_project, deploy_state_path,
                                       refuse_redeploy)
from nft_toolkit.chain.recorded_network import recorded_network
from nft_toolkit.cli.options import (json_option, keystore_option, network_options, project_option,
                                     resolve_project)
from nft_toolkit.cli.resumable import resumes_on_chain_failure
from nft_toolkit.cli.signing import (confirmations_option, signer_and_confirmations,
                                     signer_options)
from nft_toolkit.consistency import check_deployable
from nft_toolkit.errors import ConfigError


@click.command("deploy")
@project_option
@network_options
@keystore_option
@signer_options
@click.option("--force", is_flag=True, help="Deploy again although the network has a deployment "
              "(its record is kept in deployments/history/, superseded).")
@click.option("--replace-minted", is_flag=True,
              help="With --force: deploy again although the existing contract has minted tokens.")
@click.option("--abandon", is_flag=True,
              help="Drop the interrupted deployment (its unsent steps); sends nothing.")
@confirmations_option
@json_option
def deploy_command(project_dir: Path | None, network: str | None, rpc_url: str | None,
                   chain_id: int | None, keystore: Path | None, signer_url: str | None,
                   from_address: str | None, force: bool, replace_minted: bool,
                   abandon: bool, confirmations: int | None, as_json: bool) -> None:
    """Deploy the collection contract, set its base URI and provenance hash from the pin
    manifest, freeze the metadata if collection.yaml asks, and write deployments/<network>.json.

    Re-run after an interruption to finish the same deployment: no step is done twice.
    """
    project = resolve_project(project_dir)
    cfg = project.load_config()
    net = network_for(project.root, network, rpc_url, chain_id)
    if abandon:
        dropped = abandon_pending(deploy_state_path(project, net.name))
        if dropped is None:
            click.echo(f"no unfinished deployment on {net.name}")
        else:
            left = (f"; its contract {dropped.address} stays on chain {dropped.chain_id}, "
                    "unrecorded" if dropped.address else "")
            click.echo(f"abandoned the unfinished deployment on {net.name} by {dropped.issuer}"
                       f"{left}")
        return
    if net.chain_id is None:
        raise ConfigError("--rpc-url needs --chain-id to deploy: the chain ID is checked before "
                          "anything is sent")
    with resumes_on_chain_failure():  # a chain holding this deployment under another name
        net = recorded_network(project, net, deploying=True)
    # The consistency rule, before a chain is started or a password asked for.
    manifest = check_deployable(project, cfg.contract.max_supply, cfg.royalty.receiver,
                                cfg.royalty.bps)

    def progress(step: str, what: str) -> None:
        if not as_json:
            click.echo(f"  {step:<13} {what}", err=True)

    with resumes_on_chain_failure(), chain_session(net, project.chain_dir, start=True) as chain:
        # before asking for a keystore password
        refuse_redeploy(chain, project, net.name, force=force, replace_minted=replace_minted)
        signer, confirmations = signer_and_confirmations(net, keystore, chain, confirmations,
                                                         signer_url, from_address)
        record = deploy_project(project, chain, signer, net.name, confirmations=confirmations,
                                force=force, replace_minted=replace_minted, progress=progress,
                                manifest=manifest)
    record_path = project.deployment_path(net.name)
    if as_json:
        click.echo(json.dumps({**asdict(record), "record": str(record_path)}))
    else:
        click.echo(f"{cfg.name} deployed on {net.name} (chain {record.chain_id}) at {record.address}, "
                   f"issuer {record.issuer}; record: {record_path}")
