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
    """A failure worth retrying (connection refused, timeout, HTTP 429 or 5xx); `retry_after`:
    the seconds the remote asked to wait (its ``Retry-After``), None when it said nothing."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries with backoff base*2^n (at most `max_delay` s) between failures. A remote
    that names its own wait (Retry-After) is waited for exactly that long, up to `max_retry_after`
    s, and such a throttled try does not use up an attempt (at most `max_throttled` of them)."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 900.0
    max_throttled: int = 30

    def run(self, what: str, fn: Callable[[], T],
            pause: Callable[[float], None] = time.sleep) -> T:
        """Calls `fn` until it succeeds; `pause(seconds)` waits between Transient failures (a
        backend with a rate limit passes its hold, so the wait holds every request)."""
        attempt = throttled = 0
        while True:
            try:
                return fn()
            except Transient as exc:
                if exc.retry_after is not None and throttled < self.max_throttled:
                    if exc.retry_after > self.max_retry_after:
                        raise PinningError(f"{what}: the remote asks to wait {exc.retry_after:.0f} s "
                                           f"(Retry-After, {exc}); run it again later") from None
                    throttled += 1
                    pause(exc.retry_after)
                    continue
                attempt += 1
                if attempt >= self.attempts:
                    raise PinningError(f"{what}: {exc} (tried {attempt} times)") from None
                pause(min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def same_content(local: Cid, remote: str, what: str) -> None:
    """Raises PinningError unless the remote's CID names the same block as ours."""
    try:
        theirs = Cid.parse(remote)
    except Exception:
        raise PinningError(f"{what}: the remote answered an invalid CID {remote!r}") from None
    if theirs.to_v1() != local.to_v1():
        raise PinningError(f"{what}: the remote reports CID {theirs}, computed here {local}")
