"""An append-only journal of JSON records, one per line, each on disk before the call returns.

Used by `mint` to record its plan and every transaction *before* it is sent (several signed
transactions may be journaled with one sync, all before the first of them is sent). A crash can
at worst leave a torn last line; it is dropped (its transaction was never sent, because sending
happens only after the record is durable) before anything else is appended.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nft_toolkit.errors import InputError


class Journal:
    """The journal file at `path` (created on the first append)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> list[dict[str, Any]]:
        """Every complete record, in order; a torn final line is ignored. InputError when an
        earlier line is not a record (damaged or edited by hand): nothing is guessed."""
        return list(self)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The records as :meth:`records`, read a line at a time: a journal of many large runs
        is never held whole."""
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise InputError(f"cannot read the journal {self.path}: {exc.strerror}") from None
        with fh:
            for number, line in enumerate(fh, start=1):
                if not line.endswith(b"\n"):
                    return  # a torn final line: its record was never complete
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if not isinstance(record, dict) or "type" not in record:
                    raise InputError(f"{self.path}:{number} is not a journal record; restore the "
                                     "file or move it away (then check the chain by hand)")
                yield record

    def append(self, record: dict[str, Any]) -> None:
        """Appends `record` and fsyncs the file (and, when it is new, its folder)."""
        self.append_many([record])

    def append_many(self, records: Sequence[dict[str, Any]]) -> None:
        """Appends `records` in order with one write and one fsync (and, when the file is new,
        one of its folder): all of them on disk when it returns. A crash during it leaves a
        prefix of them, and at worst a torn last line, which is dropped as in :meth:`append`."""
        if not records:
            return
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = b"".join(json.dumps(r, sort_keys=True, separators=(",", ":")).encode() + b"\n"
                         for r in records)
        with open(self.path, "ab+") as fh:
            size = fh.seek(0, os.SEEK_END)
            if size:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":  # drop a torn record left by a crash
                    fh.seek(0)
                    keep = fh.read().rfind(b"\n") + 1
                    fh.truncate(keep)
            fh.write(lines)
            fh.flush()
            os.fsync(fh.fileno())
        if new:
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
