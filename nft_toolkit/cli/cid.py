"""``nft-toolkit cid``: the root CID of a file or folder, like ``ipfs add -Q -r --only-hash``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from nft_toolkit.cli.options import json_option
from nft_toolkit.ipfs.importer import DEFAULT_PROFILE, PROFILES, ImportOptions, Importer


@click.command("cid")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--profile", type=click.Choice(list(PROFILES)), default=None,
              help=f"IPIP-499 import settings (default {DEFAULT_PROFILE}); unixfs-v1-2025: "
                   "CIDv1, raw leaves, 1 MiB chunks, 1024 links.")
@click.option("--cid-version", type=click.Choice(["0", "1"]), default=None,
              help="Without --profile: 0 is Kubo's default (unixfs-v0-2015); 1 adds raw leaves "
                   "and base32, as `ipfs add --cid-version 1`.")
@click.option("--hidden", is_flag=True, help="Include files whose names start with a dot.")
@json_option
def cid_command(path: Path, profile: str | None, cid_version: str | None, hidden: bool,
                as_json: bool) -> None:
    """Print the CID Kubo's `ipfs add -r` gives PATH, computed locally (nothing is stored)."""
    if profile is not None and cid_version is not None \
            and int(cid_version) != PROFILES[profile].cid_version:
        raise click.UsageError(f"--cid-version {cid_version} contradicts --profile {profile} "
                               f"(CIDv{PROFILES[profile].cid_version}); give one of them")
    options = replace(ImportOptions.of(profile, int(cid_version or 0)), hidden=hidden)
    if profile is None and options.cid_version == 0:
        profile = DEFAULT_PROFILE
    entry = Importer(options).add_path(path)
    if as_json:
        click.echo(json.dumps({"cid": str(entry.cid), "path": str(path), "size": entry.size,
                               "cid_version": options.cid_version, "profile": profile}))
    else:
        click.echo(str(entry.cid))
