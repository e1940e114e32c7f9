"""The root click group: commands loaded on demand, and the one place where errors become exit
codes."""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import sys
import traceback
from typing import Any

import click

from nft_toolkit import __version__
from nft_toolkit.cli.commands import COMMANDS, INTERRUPTED
from nft_toolkit.cli.options import JSON_ASKED
from nft_toolkit.errors import EXIT_USAGE, NftToolkitError, RowErrors


def _one_line(text: str) -> str:
    """`text` with control characters escaped: a path or a key holding a newline or a carriage
    return (a user's typo, a hostile file) must not break the one-line error."""
    return re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: repr(m.group())[1:-1], text)


def _load(name: str) -> click.Command:
    """The command `name` of the registry, its module imported now (click's lazy loading)."""
    module_name, attribute = COMMANDS[name][0].split(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{COMMANDS[name][0]} is not a click command")
    return command


class _RedactUrls(logging.Filter):
    """Every URL in a log line (web3's debug lines name each endpoint it calls) without its
    credentials or query: `-v` must not print a signer's password or an RPC API key."""

    def filter(self, record: logging.LogRecord) -> bool:
        from nft_toolkit.chain.networks import redact_text

        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class _Plain(logging.Formatter):
    """`warning: <message>`, as the commands' own warnings read; the logger's name is for -v."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


_LOADING = "nft_toolkit.loading"  # ctx.meta: the subcommand being loaded
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports it: never a verdict's exit code


def _closed_pipe() -> None:
    """The reader of stdout went away (`verify 7 | head -1`): exit with the shell's SIGPIPE
    code, not click's 1, which would read as "not authentic"."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail again
    sys.exit(EXIT_CLOSED_PIPE)


def _json_error(ctx: click.Context, said: str, exit_code: int, rows: list[str] | None = None) -> None:
    """With --json, the error as the one object on stdout, ``{"error": "<the line>",
    "exit_code": N}`` (the web API's ``{"error": ...}`` shape, with ``"rows"`` for a file's
    several bad rows), besides the line on stderr: a script reading stdout always gets JSON."""
    if ctx.meta.get(JSON_ASKED):
        click.echo(json.dumps({"error": said, "exit_code": exit_code,
                               **({"rows": rows} if rows else {})}))


class _Group(click.Group):
    """Loads each command of :data:`COMMANDS` only when it is asked for (the root's ``--help``
    shows the registry's one-line help and imports none), and maps every
    :class:`NftToolkitError`, and click's usage errors of the commands, to one line on stderr
    and its exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            # named before its module loads (seconds for web3): an interruption meanwhile still
            # says what running the command again does (click sets invoked_subcommand later)
            ctx.meta[_LOADING] = cmd_name
            return _load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's listing, from the declared help: listing must not import every command."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:
                declared = click.Command(name, help=COMMANDS[name][1])  # click's own shortening
                rows.append((name, declared.get_short_help_str(limit)))
            else:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            try:  # what is still buffered, before the interpreter's own flush would fail
                sys.stdout.flush()
            except BrokenPipeError:
                _closed_pipe()

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _closed_pipe()
        except click.exceptions.NoArgsIsHelpError:
            raise  # a bare group: click prints its help
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else ctx.command_path
            said = f"{_one_line(exc.format_message())} (see `{where} --help`)"
            click.echo(f"error: {said}", err=True)
            _json_error(ctx, said, exc.exit_code)
            sys.exit(exc.exit_code)
        except NftToolkitError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            said = _one_line(str(exc))
            click.echo(f"error: {said}", err=True)
            rows = [_one_line(row) for row in (exc.rows if isinstance(exc, RowErrors) else ())]
            for row in rows:
                click.echo(f"  {row}", err=True)
            _json_error(ctx, said, exc.exit_code, rows)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            what = INTERRUPTED.get(ctx.invoked_subcommand or ctx.meta.get(_LOADING) or "")
            click.echo(f"interrupted: {what}" if what else "interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show details and tracebacks.")
@click.version_option(__version__, prog_name="nft-toolkit")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Issue and verify NFT digital collections."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_RedactUrls())
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s")
                             if verbose else _Plain())


# click's own usage errors already exit with 2 (EXIT_USAGE); keep them aligned.
assert click.UsageError.exit_code == EXIT_USAGE
