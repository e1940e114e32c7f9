"""``nft-toolkit cid``: the root CID of a file or folder, like ``ipfs add -Q -r --only-hash``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from nft_toolkit.cli.options import json_option
from nft_toolkit.ipfs.importer import ImportOptions, Importer


@click.command("cid")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--cid-version", type=click.Choice(["0", "1"]), default="0", show_default=True,
              help="0: Kubo's default (dag-pb leaves); 1: raw leaves, base32.")
@click.option("--hidden", is_flag=True, help="Include files whose names start with a dot.")
@json_option
def cid_command(path: Path, cid_version: str, hidden: bool, as_json: bool) -> None:
    """Print the CID Kubo's `ipfs add -r` gives PATH, computed locally (nothing is stored)."""
    options = ImportOptions(cid_version=0 if cid_version == "0" else 1, hidden=hidden)
    entry = Importer(options).add_path(path)
    if as_json:
        click.echo(json.dumps({"cid": str(entry.cid), "path": str(path), "size": entry.size,
                               "cid_version": options.cid_version}))
    else:
        click.echo(str(entry.cid))
