"""A client-side request rate limit (token bucket) and the HTTP ``Retry-After`` header.

A pinning service publishes its limit as requests per minute; the bucket holds `burst` tokens,
refilled at ``per_minute / 60`` a second, and every request the backend makes (look-ups, pin
requests, status polls, retries) takes one first. So in any span of ``t`` seconds at most
``burst + t * per_minute / 60`` requests leave. A 429 answer's ``Retry-After`` (RFC 9110 10.2.3:
seconds, or an HTTP date) holds the bucket: no request leaves before that moment.
"""

from __future__ import annotations

import email.utils
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], float]


class RateLimit:
    """At most `burst` requests at once and `per_minute` a minute on average (None: no limit).

    The clock and sleep are the monotonic ones unless a caller passes its own (tests).
    Thread-safe: callers in several threads share one budget.
    """

    def __init__(self, per_minute: float | None, burst: int = 1, *,
                 clock: Clock = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if per_minute is not None and not (per_minute > 0 and math.isfinite(per_minute)):
            raise ValueError(f"requests per minute must be a positive number, got {per_minute!r}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst!r}")
        self.per_minute = per_minute
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._stamp = clock()
        self._hold_until = -math.inf

    def __repr__(self) -> str:
        return f"RateLimit(per_minute={self.per_minute!r}, burst={self.burst})"

    def acquire(self) -> None:
        """Waits until a request may leave, and counts it."""
        while True:
            with self._lock:
                wait = self._take()
            if wait <= 0:
                return
            self._sleep(wait)

    def _take(self) -> float:
        """Takes a token and answers 0, or answers how long to wait for one (lock held)."""
        now = self._clock()
        if now < self._hold_until:
            return self._hold_until - now
        if self.per_minute is None:
            return 0.0
        rate = self.per_minute / 60.0
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / rate

    def hold(self, seconds: float) -> None:
        """No request leaves for `seconds` from now (a service's Retry-After); then one may, and
        the bucket refills from there, so the wait is not followed by a burst."""
        with self._lock:
            until = self._clock() + max(0.0, seconds)
            if until > self._hold_until:
                self._hold_until = until
                self._tokens = 1.0
                self._stamp = until


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header value (delta-seconds or an HTTP date), or
    None when it is absent or unreadable. `now` is the Unix time (default: the system's)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = datetime.now(timezone.utc).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)
