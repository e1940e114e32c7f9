"""The CLI's prompts, defined once: each asks only at a terminal; without one (a pipe, CI,
`</dev/null`) it is a configuration error naming where the answer can come from instead, never
Python's GetPassWarning and click's ``Aborted!`` (exit 1, no documented code)."""

from __future__ import annotations

import sys

import click

from nft_toolkit.chain.accounts import PASSWORD_ENV
from nft_toolkit.errors import ConfigError


def has_terminal() -> bool:
    """Whether standard input is a terminal a person can answer on."""
    stdin = sys.stdin
    return stdin is not None and stdin.isatty()


def ask_password(prompt: str) -> str:
    """A keystore's password, asked at the terminal without echo (on stderr, so `--json` output
    stays clean); ConfigError when there is no terminal, or the answer never comes (end of
    input)."""
    if not has_terminal():
        raise ConfigError(f"no terminal to ask the keystore password on: set ${PASSWORD_ENV}, "
                          "or run the command in a terminal")
    try:
        answer: str = click.prompt(prompt, hide_input=True, err=True)
    except click.exceptions.Abort:  # end of input (Ctrl-D); Ctrl-C is an interruption
        raise ConfigError(f"no keystore password given: set ${PASSWORD_ENV}, or type it at the "
                          "prompt") from None
    return answer
