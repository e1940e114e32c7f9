"""Ctrl-C while a command is still loading (web3's import takes seconds, so a quick Ctrl-C lands
there) says what running it again does, as it does later: one line, not a bare `interrupted`
(trial of 2026-11-30)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import nft_toolkit.cli.app as app
from nft_toolkit.cli.commands import INTERRUPTED


def test_an_interrupt_while_the_command_loads_names_what_a_rerun_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(name: str):
        raise KeyboardInterrupt
    monkeypatch.setattr(app, "_load", interrupted)
    result = CliRunner().invoke(app.main, ["mint", "--to", "0x1", "--count", "1"])
    assert result.exit_code == 130
    assert result.stderr.strip() == f"interrupted: {INTERRUPTED['mint']}"
