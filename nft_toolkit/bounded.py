"""Reading a file a user names, bounded: it may be /dev/zero, a pipe or a huge file by mistake,
and reading it whole must not exhaust memory."""

from __future__ import annotations

from pathlib import Path

from nft_toolkit.errors import InputError


def read_bounded(path: Path, limit: int, label: str, too_large: str) -> bytes:
    """At most `limit` bytes of `path`; one InputError line otherwise, naming it as `label`
    ("airdrop file x.csv") and, when it is over `limit`, saying `too_large` (the fix)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{label} does not exist") from None
    except OSError as exc:
        raise InputError(f"cannot read {label}: {exc.strerror or exc}") from None
    if len(data) > limit:
        size = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"  # not "0 MiB"
        raise InputError(f"{label} is over {size}: {too_large}")
    return data
