"""Click options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from nft_toolkit.project import Project, find_project

F = TypeVar("F", bound=Callable[..., Any])  # a command function, decorated by click

JSON_ASKED = "nft_toolkit.json"  # ctx.meta (shared by nested contexts): --json was given


def _json_asked(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Remembers --json for the CLI's one error handler (``cli/app.py``), which then prints an
    error as a JSON object too; eager, so an error in any other parameter finds it set."""
    if value:
        ctx.meta[JSON_ASKED] = True
    return value


json_option = click.option("--json", "as_json", is_flag=True, is_eager=True, callback=_json_asked,
                           help="Print machine-readable JSON (an error too: "
                                '{"error": ..., "exit_code": ...}).')


def locale_language(environ: Mapping[str, str]) -> str:
    """The language of a command line's locale: the first of ``LC_ALL``, ``LC_MESSAGES`` and
    ``LANG`` that is set (POSIX's order), Chinese when it names Chinese (``zh_CN.UTF-8``), else
    English (a terminal's ``C`` or ``POSIX`` locale, and every other language)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh" if value.split("_")[0].split(".")[0].split("-")[0].lower() == "zh" \
                else "en"
    return "en"


lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None,
    help="The answer's language: zh (the verification page's words) or en (default: the "
         "locale's, LC_ALL, LC_MESSAGES or LANG; JSON stays English).")

project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The collection project folder (default: the one containing the working directory).",
)


def _once(ctx: click.Context, param: click.Parameter, values: tuple[object, ...]) -> object:
    """One value of an option that click would otherwise let a repeat override silently: a
    second ``--to`` must not quietly take the first recipient's tokens."""
    if len(values) > 1:
        shown = ", ".join(str(v) for v in values)
        raise click.BadParameter(f"given {len(values)} times ({shown}); give it once, or list "
                                 "several recipients in --airdrop FILE.csv")
    return values[0] if values else None


recipient_options = (
    click.option("--to", "to", multiple=True, callback=_once, metavar="ADDR",
                 help="The receiver of --count tokens."),
    click.option("--count", type=click.IntRange(min=1), multiple=True, callback=_once,
                 help="How many tokens --to receives."),
    click.option("--airdrop", "airdrop", type=click.Path(dir_okay=False, path_type=Path),
                 default=None, help="A CSV of `address,count` rows (count defaults to 1)."),
    click.option("--batch-size", type=click.IntRange(1, 1000), default=100, show_default=True,
                 help="Tokens per transaction."),
)


def mint_request_options(fn: F) -> F:
    """--to, --count, --airdrop and --batch-size: what a mint sends, for `mint` and `check`."""
    for option in reversed(recipient_options):
        fn = option(fn)
    return fn


def resolve_project(project_dir: Path | None) -> Project:
    """The project named by --project, or the one around the working directory."""
    return find_project(project_dir) if project_dir is not None else find_project()


def _endpoints(ctx: click.Context, param: click.Parameter,
               values: tuple[str, ...]) -> str | None:
    """A repeated ``--rpc-url`` as the one text nft_toolkit.chain.networks.split_rpc_urls
    reads: URLs separated by commas (None when not given)."""
    return ",".join(values) if values else None


def network_options(fn: F) -> F:
    """--network, --rpc-url and --chain-id: which chain a command talks to (nft_toolkit.chain)."""
    fn = click.option("--chain-id", "chain_id", type=click.IntRange(min=1), default=None,
                      help="The chain ID the endpoint must report (checked before anything is sent).")(fn)
    fn = click.option("--rpc-url", "rpc_url", multiple=True, callback=_endpoints, metavar="URL",
                      help="A JSON-RPC endpoint instead of a named network; repeat it (or "
                           "separate URLs by commas) for several endpoints of one chain.")(fn)
    fn = click.option("--network", "-n", "network", default=None, metavar="NAME",
                      help="`development` (the local chain, default) or a name from networks.yaml.")(fn)
    return fn


keystore_option = click.option(
    "--keystore", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="An encrypted keystore to sign with; its password from $NFT_TOOLKIT_KEYSTORE_PASSWORD "
         "or a prompt.",
)
