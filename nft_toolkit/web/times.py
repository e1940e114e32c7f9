"""Times and durations on the pages, in the page's words (:mod:`nft_toolkit.web.i18n`).

A block timestamp is shown in the reader's time: Beijing time on Chinese pages (UTC+8, said so:
China keeps one time zone and no daylight saving), UTC on English ones. The JSON answers keep
ISO 8601 UTC (:func:`nft_toolkit.policy.iso`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from nft_toolkit.web.i18n import fill

ZONES = {"zh": timezone(timedelta(hours=8)), "en": timezone.utc}


def local_time(timestamp: int, lang: str, words: Mapping[str, str]) -> str:
    """`timestamp` (seconds since the epoch) to the minute in `lang`'s zone, named by the
    catalogue's ``time.local`` (``2026-11-30 18:28（北京时间 UTC+8）``, ``2026-11-30 10:28 UTC``)."""
    when = datetime.fromtimestamp(timestamp, ZONES.get(lang, timezone.utc))
    return fill(words["time.local"], {"time": when.strftime("%Y-%m-%d %H:%M")})


def amount(n: int, unit: str, words: Mapping[str, str]) -> str:
    """`n` of `unit` ("day", "hour") in the catalogue's words: ``1 day``, ``2 days``, ``2 天``."""
    return fill(words[f"unit.{unit}" if n == 1 else f"unit.{unit}s"], {"n": str(n)})
