"""`nft-toolkit serve`: the verification pages and JSON API for customers (nft_toolkit.web)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import click

from nft_toolkit.cli.options import network_options, project_option
from nft_toolkit.cli.verify import trust_options
from nft_toolkit.errors import InputError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; they share nothing, so instances scale out alike.")
@click.option("--replay-store", metavar="PATH|redis://HOST:PORT/DB", envvar="NFT_TOOLKIT_PROOF_STORE",
              help="Where proofs of holding are recorded as used (each is accepted once): an "
              "SQLite file, shared by the workers of this host (default: in the project's "
              "state folder), or a Redis server shared by instances on several hosts (then "
              "every instance needs the same $NFT_TOOLKIT_PROOF_SECRET).")
@trust_options
@network_options
@project_option
def serve_command(host: str, port: int, workers: int, replay_store: str | None, contract: str | None, issuer: str | None,
                  gateway: str | None, network: str | None, rpc_url: str | None,
                  chain_id: int | None, project_dir: Path | None) -> None:
    """Serve the verification pages and JSON API for the collection, until Ctrl-C.

    Pages: / and /token/ID; API: GET /api/v1/tokens/ID (as `verify --json`) and
    POST /api/v1/verify-file (as `verify-file --json`).
    """
    import uvicorn

    from nft_toolkit.holding import prepare_env
    from nft_toolkit.web.app import ENV_OPTIONS, create_app
    from nft_toolkit.web.holding import default_store
    from nft_toolkit.web.service import Options, Service

    _check_free(host, port)
    options = Options(str(project_dir.resolve()) if project_dir else None, network, rpc_url,
                      chain_id, contract, issuer, gateway)
    service = Service(options)  # resolves the options now: a mistake is one line, before binding
    for said in prepare_env(default_store(service), replay_store):  # proofs' secret and store
        click.echo(f"warning: {said}", err=True)
    click.echo(f"serving {service.trust.contract} on {reachable_at(host, port)} "
               f"({workers} worker{'s' if workers > 1 else ''}); Ctrl-C stops", err=True)
    if workers == 1:
        uvicorn.run(create_app(service), host=host, port=port, log_level="warning",
                    timeout_keep_alive=5)
    else:
        os.environ[ENV_OPTIONS] = json.dumps(options.as_json())
        uvicorn.run("nft_toolkit.web.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level="warning", timeout_keep_alive=5)


def reachable_at(host: str, port: int, lan: str | None = None) -> str:
    """Where a browser reaches a service listening on `host`:`port`: a wildcard address
    (0.0.0.0, ::) is no address to open, so this machine's loopback and its LAN address (`lan`,
    else the one the routing table picks; no packet is sent)."""
    if host not in ("0.0.0.0", "::", ""):
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    if lan is None:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing address
                lan = str(probe.getsockname()[0])
        except OSError:
            lan = socket.gethostname()
    return (f"http://127.0.0.1:{port}/ (this machine; from others: http://{lan}:{port}/, all "
            "addresses)")


def _check_free(host: str, port: int) -> None:
    """One line (exit 2) for an address that cannot be listened on, before uvicorn, which would
    log its own error and exit otherwise."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose "
                         "another --port or --host)") from None
