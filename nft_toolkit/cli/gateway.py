"""``nft-toolkit gateway``: serve the project's block store as a trustless gateway on 127.0.0.1."""

from __future__ import annotations

import click

from nft_toolkit.cli.app import main
from nft_toolkit.cli.options import project_option, resolve_project
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.pinning import project_store


@main.command("gateway")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@project_option
def gateway_command(port: int, project_dir) -> None:
    """Serve /ipfs/<cid>/<path> from the local store: raw blocks, CAR, and files for browsers."""
    project = resolve_project(project_dir)
    try:
        gw = Gateway(project_store(project), "127.0.0.1", port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    click.echo(f"gateway on {gw.url}/ipfs/<cid>  (Ctrl-C stops it)", err=False)
    if project.manifest_path.is_file():
        m = Manifest.load(project.manifest_path)
        click.echo(f"metadata: {gw.url}/ipfs/{m.metadata_cid}/1.json")
        click.echo(f"images:   {gw.url}/ipfs/{m.images_cid}/")
    try:
        gw.serve_forever()
    finally:
        gw.httpd.server_close()
