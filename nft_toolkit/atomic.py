"""Atomic writes: a file or folder appears complete under its final name, or not at all.

Everything is first written under a temporary name in the destination's own folder (so the
final rename stays on one file system), flushed, then renamed into place.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path, default: int) -> int:
    """The mode the written file or folder gets: the one it replaces keeps its own (a file the
    user made private stays so); a new one gets what ``open``/``mkdir`` would give it under the
    umask. The temporary names are private (0600/0700), and the published files (metadata, the
    deployment record, the CAR) must not stay so when renamed into place."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return default & ~_umask()


@contextmanager
def open_write(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """Yields a binary file that becomes `path` when the block ends without an exception.

    For writers that stream (a CAR, a large file); parent folders are created. `durable=False`
    skips the fsync, for many small files that are checked when read (store blocks).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_for(path, 0o666))
        with os.fdopen(fd, "wb") as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Writes `data` to `path` atomically, creating parent folders."""
    with open_write(path) as fh:
        fh.write(data)


def write_batch(files: Iterable[tuple[Path, bytes]]) -> int:
    """Writes each (path, data) atomically, then makes them all durable at once; returns how
    many were written. One ``fsync`` per file costs a journal commit each (~10 ms on a loaded
    disk: 17 minutes for 100,000 metadata files); one ``sync`` after the renames costs one, and
    the caller writes what records the batch (the manifest) only after this returns."""
    count = 0
    for path, data in files:
        with open_write(path, durable=False) as fh:
            fh.write(data)
        count += 1
    if count:
        os.sync()
    return count


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def json_bytes(obj: Any, *, indent: int | None = 2) -> bytes:
    """`obj` as the bytes :func:`write_json` writes: UTF-8 JSON, sorted keys, a final newline.

    Computing them apart from writing lets `pin` know a file's CID before it changes any file.
    """
    return (json.dumps(obj, indent=indent, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, obj: Any, *, indent: int | None = 2) -> None:
    """Writes `obj` as UTF-8 JSON with sorted keys and a final newline, atomically."""
    write_bytes(path, json_bytes(obj, indent=indent))


@contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Yields an empty temporary folder beside `final`; on success it replaces `final`.

    On an exception the temporary folder is removed and `final` is left as it was. The old
    `final`, if any, is moved aside before the rename and deleted after it, so at every instant
    either the old or the new complete folder is in place.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"))
    os.chmod(tmp, _mode_for(final, 0o777))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".old"))
        os.replace(final, old / final.name)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
