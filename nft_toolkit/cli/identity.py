"""`nft-toolkit publish-identity --domain DOMAIN`: the issuer's signed statement for its domain."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nft_toolkit import atomic
from nft_toolkit.chain.accounts import signer_for
from nft_toolkit.chain.connect import network_for
from nft_toolkit.cli.options import json_option, keystore_option, project_option, resolve_project
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ConfigError
from nft_toolkit.identity import (WELL_KNOWN_PATH, Collection, parse_domain, sign_statement,
                                  statement_bytes)


@click.command("publish-identity")
@click.option("--domain", required=True, metavar="DOMAIN",
              help="The issuer's web domain (bank.example) that will serve the statement.")
@click.option("--network", "-n", "networks", multiple=True, metavar="NAME",
              help="List only this network's deployment (repeatable; default: every record "
                   "in deployments/).")
@keystore_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: public/.well-known/nft-issuer.json in the "
                   "project).")
@project_option
@json_option
def publish_identity_command(domain: str, networks: tuple[str, ...], keystore: Path | None,
                             output: Path | None, project_dir: Path | None,
                             as_json: bool) -> None:
    """Write the issuer's statement binding its collections to its web domain, signed by the
    issuer key (EIP-191), to serve at https://DOMAIN/.well-known/nft-issuer.json.

    It lists every deployment record of the project (chain ID, contract, collection name); each
    must be the signing key's. The key comes from $NFT_TOOLKIT_PRIVATE_KEY or --keystore (the
    development chain's issuer account when every listed record is on `development`).
    """
    domain = parse_domain(domain, "--domain")
    project = resolve_project(project_dir)
    name = project.load_config().name
    paths = ([project.deployment_path(n) for n in networks] if networks
             else project.deployment_record_paths())
    if not paths:
        raise ConfigError("no deployment record in deployments/: deploy first (`nft-toolkit "
                          "deploy`), then publish the identity")
    records = [(path, load_record(path)) for path in paths]
    nets = [network_for(project.root, record.network, None, None) for _, record in records]
    development = all(net.is_development for net in nets)
    keystore = keystore or next((net.keystore for net in nets if net.keystore), None)
    signer = signer_for(development, keystore,
                        ask_password=lambda prompt: click.prompt(prompt, hide_input=True, err=True))
    for path, record in records:
        if record.issuer != signer.address:
            raise ConfigError(f"{path} was issued by {record.issuer}, but the key given is "
                              f"{signer.address}'s: sign with the issuer's key (--keystore or "
                              "$NFT_TOOLKIT_PRIVATE_KEY)")
    collections = sorted({Collection(r.chain_id, r.address, name) for _, r in records},
                         key=lambda c: (c.chain_id, c.contract))
    statement = sign_statement(signer, domain, collections)
    target = output or project.root / "public" / WELL_KNOWN_PATH.lstrip("/")
    atomic.write_bytes(target, statement_bytes(statement))
    url = f"https://{domain}{WELL_KNOWN_PATH}"
    if as_json:
        click.echo(json.dumps({"path": str(target), "url": url, "statement": statement.as_json()}))
        return
    click.echo(f"wrote {target}, signed by the issuer {signer.address}")
    for c in collections:
        click.echo(f"  lists {c.contract} on chain {c.chain_id} ({c.name})")
    click.echo(f"serve it at {url} (HTTPS, a certificate browsers trust; no redirect to another "
               f"domain); then customers verify with --issuer {domain}")
