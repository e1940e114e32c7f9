"""The pinning backend interface, the retry policy every backend shares, and the CID check."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from nft_toolkit.errors import PinningError
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.retrieval import BlockSource

T = TypeVar("T")

# on_progress(done, total, description): the CLI draws it with rich; the library draws nothing.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PinTarget:
    """A root to pin: its CID as computed here, a name, and the source of its blocks."""

    name: str
    cid: Cid


@dataclass(frozen=True)
class PinResult:
    name: str
    cid: str
    status: str  # "pinned" (now) or "already-pinned" (found pinned: nothing sent)


class PinBackend(Protocol):
    """Pins DAGs whose blocks `source` holds; resumes (skips what is pinned) and checks CIDs."""

    name: str

    def pin(self, targets: list[PinTarget], source: BlockSource,
            on_progress: Progress | None = None) -> list[PinResult]: ...


class Transient(Exception):
    """A failure worth retrying (connection refused, timeout, HTTP 429 or 5xx)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0

    def run(self, what: str, fn: Callable[[], T]) -> T:
        """Calls `fn` until it succeeds, sleeping base*2^n between Transient failures."""
        for attempt in range(1, self.attempts + 1):
            try:
                return fn()
            except Transient as exc:
                if attempt == self.attempts:
                    raise PinningError(f"{what}: failed after {attempt} attempts ({exc})") from None
                time.sleep(min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))
        raise AssertionError("unreachable")


def same_content(local: Cid, remote: str, what: str) -> None:
    """Raises PinningError unless the remote's CID names the same block as ours."""
    try:
        theirs = Cid.parse(remote)
    except Exception:
        raise PinningError(f"{what}: the remote answered an invalid CID {remote!r}") from None
    if theirs.to_v1() != local.to_v1():
        raise PinningError(f"{what}: the remote reports CID {theirs}, computed here {local}")
