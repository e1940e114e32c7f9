"""`nft-toolkit publish-identity --domain DOMAIN`: the issuer's signed statement for its domain."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nft_toolkit.cli.prompts import ask_password
from nft_toolkit import atomic
from nft_toolkit.chain.accounts import signer_for
from nft_toolkit.chain.connect import network_for
from nft_toolkit.chain.networks import Network
from nft_toolkit.cli.options import json_option, keystore_option, project_option, resolve_project
from nft_toolkit.cli.signing import message_signer_options
from nft_toolkit.consistency import superseded_records
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
@message_signer_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: public/.well-known/nft-issuer.json in the "
                   "project).")
@project_option
@json_option
def publish_identity_command(domain: str, networks: tuple[str, ...], keystore: Path | None,
                             signer_url: str | None, from_address: str | None,
                             output: Path | None, project_dir: Path | None,
                             as_json: bool) -> None:
    """Write the issuer's statement binding its collections to its web domain, signed by the
    issuer key (EIP-191), to serve at https://DOMAIN/.well-known/nft-issuer.json.

    It lists every deployment record of the project (chain ID, contract, collection name),
    those `deploy --force` replaced (deployments/history/) too, since their tokens exist; each
    must be the signing key's. The key comes from $NFT_TOOLKIT_PRIVATE_KEY, --keystore or an
    external signer (--signer-url/--from, which signs by personal_sign), or is the development
    chain's issuer account when every listed record is on `development`.
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
    official = {(r.chain_id, r.address) for _, r in records}
    # A contract `deploy --force` replaced is not official, but its tokens are the issuer's:
    # the statement keeps listing it, or its holders would be counterfeit by this domain.
    superseded = [(path, record) for path, record in superseded_records(project)
                  if not networks or record.network in networks]
    records += superseded
    found = [_network(project.root, record.network) for _, record in records]
    nets = [net for net in found if net is not None]
    development = len(nets) == len(found) and all(net.is_development for net in nets)
    if signer_url is None and keystore is None:
        signer_url = next((net.signer_url for net in nets if net.signer_url), None)
        from_address = from_address or next((n.from_address for n in nets if n.from_address), None)
    keystore = keystore or (None if signer_url else
                            next((net.keystore for net in nets if net.keystore), None))
    signer = signer_for(development, keystore,
                        ask_password=ask_password,
                        signer_url=signer_url, from_address=from_address)
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
        note = "" if (c.chain_id, c.contract) in official else ", superseded by `deploy --force`"
        click.echo(f"  lists {c.contract} on chain {c.chain_id} ({c.name}{note})")
    click.echo(f"serve it at {url} (HTTPS, a certificate browsers trust; no redirect to another "
               f"domain); then customers verify with --issuer {domain}")


def _network(root: Path, name: str) -> Network | None:
    """The networks.yaml entry a deployment was made on; None for one deployed with --rpc-url
    under a name networks.yaml does not hold (its key comes from the options or environment)."""
    try:
        return network_for(root, name, None, None)
    except ConfigError:
        return None
