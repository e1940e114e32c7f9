"""Ctrl-C prints one line saying what applies to the command stopped: a journal to resume from
for deploy and mint, the kept report for audit, nothing to resume elsewhere."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from nft_toolkit.cli.app import _load, main


def _stopped(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(("command", "said", "not_said"), [
    ("audit", "the last complete report is kept", "journal"),
    ("mint", "mint resumes from its journal", "deploy"),
    ("deploy", "deploy resumes from its journal", "mint"),
    ("generate", "", "journal"),
])
def test_each_command_says_what_applies_to_it(monkeypatch: pytest.MonkeyPatch, command: str,
                                             said: str, not_said: str) -> None:
    monkeypatch.setattr(_load(command), "callback", _stopped)
    out = CliRunner().invoke(main, [command])
    assert out.exit_code == 130
    line = out.output.strip()
    assert line.startswith("interrupted") and "\n" not in line
    assert said in line and not_said not in line
