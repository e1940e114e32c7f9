"""Click options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from nft_toolkit.project import Project, find_project

F = TypeVar("F", bound=Callable[..., Any])  # a command function, decorated by click

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")

project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The collection project folder (default: the one containing the working directory).",
)


def resolve_project(project_dir: Path | None) -> Project:
    """The project named by --project, or the one around the working directory."""
    return find_project(project_dir) if project_dir is not None else find_project()


def network_options(fn: F) -> F:
    """--network, --rpc-url and --chain-id: which chain a command talks to (nft_toolkit.chain)."""
    fn = click.option("--chain-id", "chain_id", type=click.IntRange(min=1), default=None,
                      help="The chain ID the endpoint must report (checked before anything is sent).")(fn)
    fn = click.option("--rpc-url", "rpc_url", default=None, metavar="URL",
                      help="A JSON-RPC endpoint instead of a named network.")(fn)
    fn = click.option("--network", "-n", "network", default=None, metavar="NAME",
                      help="`development` (the local chain, default) or a name from networks.yaml.")(fn)
    return fn


keystore_option = click.option(
    "--keystore", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="An encrypted keystore to sign with; its password from $NFT_TOOLKIT_KEYSTORE_PASSWORD "
         "or a prompt.",
)
