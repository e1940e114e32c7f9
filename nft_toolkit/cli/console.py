"""The rich console every command prints with."""

from __future__ import annotations

from rich.console import Console as RichConsole


class Console(RichConsole):
    """rich's Console, except for a reader that went away (`verify 7 | head -1`): rich exits 1,
    which reads as "not authentic"; this raises BrokenPipeError for the CLI's one handler
    (``cli/app.py``: the shell's SIGPIPE code, 141)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError
