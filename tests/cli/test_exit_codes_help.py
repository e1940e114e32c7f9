"""A command's --help that names its exit codes names every one it returns (DESIGN.md: 0
authentic, 1 not, 2 usage or configuration error, 3 unverifiable): a customer reading `prove
--help` met exit 2 for a token never minted, where the help listed 0, 1 and 3 only.

What each command returns in fact is tested where it runs (tests/cli/test_verify_cli.py,
tests/web/test_holding_api.py, ...); here, that its help tells them all."""

from __future__ import annotations

import re
from functools import cache

import click
import pytest
from click.testing import CliRunner

from nft_toolkit.cli import main
from nft_toolkit.cli.commands import COMMANDS

# commands whose answer is a verdict: every code of DESIGN.md's table
VERDICTS = ("verify", "verify-file", "audit", "certificate", "prove")


@cache
def helps() -> list[tuple[str, str]]:
    """(command path, --help text with its lines joined) of every command and subcommand."""
    found = []
    for name in sorted(COMMANDS):
        runner = CliRunner()
        out = runner.invoke(main, [name, "--help"], prog_name="nft-toolkit")
        assert out.exit_code == 0, out.output
        found.append((name, " ".join(out.output.split())))
        command = main.get_command(click.Context(main), name)
        if isinstance(command, click.Group):
            for sub in command.list_commands(click.Context(command)):
                out = runner.invoke(main, [name, sub, "--help"], prog_name="nft-toolkit")
                found.append((f"{name} {sub}", " ".join(out.output.split())))
    return found


def codes_part(text: str) -> str:
    """The help's description, where it names exit codes (the options follow it)."""
    return text.split(" Options:")[0]


@pytest.mark.parametrize("name,text", helps(), ids=[name for name, _ in helps()])
def test_a_help_naming_exit_codes_names_the_usage_error(name: str, text: str) -> None:
    described = codes_part(text)
    if not re.search(r"\bexits?\b", described, re.IGNORECASE):
        return  # the help names no codes at all
    # every command can meet a usage error (a bad option, no project): exit 2
    assert re.search(r"\b2\b[^.;]*usage error", described), f"{name}: {described}"


@pytest.mark.parametrize("name", VERDICTS)
def test_a_verdicts_help_names_every_code(name: str) -> None:
    described = codes_part(dict(helps())[name])
    for code in "0123":
        assert re.search(rf"(Exit|exit|;|,) {code}\b", described), f"{name}: no {code}: {described}"
