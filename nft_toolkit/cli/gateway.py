"""``nft-toolkit gateway``: serve the project's block store as a trustless gateway on 127.0.0.1."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from nft_toolkit.cli.options import project_option, resolve_project
from nft_toolkit.errors import InputError
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.pinning import project_store


def _port(text: str) -> int:
    """The --port value, or an InputError (one line, exit 2) naming the accepted range."""
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:  # "²".isdigit() holds
        raise InputError(f"--port {text!r}: give a port number from 1 to 65535, or 0 for any free port")
    return int(text)


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the gateway the way Ctrl-C does


@click.command("gateway")
@click.option("--port", "port_text", default="8080", show_default=True, metavar="PORT",
              help="Port on 127.0.0.1 (0: any free port).")
@project_option
def gateway_command(port_text: str, project_dir: Path | None) -> None:
    """Serve /ipfs/<cid>/<path> from the local store: raw blocks, CAR, and files for browsers.

    Runs until Ctrl-C or SIGTERM, then closes its socket and exits with 0; exit 2 for a usage
    error (no project, a bad port, a port in use).
    """
    port = _port(port_text)
    project = resolve_project(project_dir)
    try:
        gw = Gateway(project_store(project), "127.0.0.1", port)
    except OSError as exc:
        raise InputError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    click.echo(f"gateway on {gw.url}/ipfs/<cid>  (Ctrl-C stops it)")
    if project.manifest_path.is_file():
        m = Manifest.load(project.manifest_path)
        click.echo(f"metadata: {gw.url}/ipfs/{m.metadata_cid}/1.json")
        click.echo(f"images:   {gw.url}/ipfs/{m.images_cid}/")
    in_main = threading.current_thread() is threading.main_thread()  # signals go there only
    previous = signal.signal(signal.SIGTERM, _stop) if in_main else None
    try:
        gw.serve_forever()
    except KeyboardInterrupt:
        click.echo("gateway stopped", err=True)
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
        gw.httpd.server_close()
