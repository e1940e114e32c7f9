"""The rich console every command prints with."""

from __future__ import annotations

from rich.console import Console as RichConsole
from rich.table import Table


class Console(RichConsole):
    """rich's Console, except for a reader that went away (`verify 7 | head -1`): rich exits 1,
    which reads as "not authentic"; this raises BrokenPipeError for the CLI's one handler
    (``cli/app.py``: the shell's SIGPIPE code, 141)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def rows_table(columns: int) -> Table:
    """A borderless table of `columns` without a header whose cells wrap, and fold a word too
    long for the terminal (an address, a CID, a CAIP-19 ID) onto the next line: never cut with
    an ellipsis, rich's default, at any width (``COLUMNS=40``)."""
    table = Table(show_header=False, box=None, pad_edge=False)
    for _ in range(columns):
        table.add_column(overflow="fold")
    return table
