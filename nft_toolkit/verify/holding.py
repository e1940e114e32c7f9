"""What a verifier says about a collection's transfer policy and one token's hold.

Pure: built from the contract's policy (:mod:`nft_toolkit.policy`, read by
:class:`~nft_toolkit.verify.sources.ContractFacts`), the block timestamp at which the owner received
the token (``heldSince``) and the latest block's timestamp, so every caller of the report (CLI
panel, JSON, a web page) shows the same figures. Times are UTC ISO 8601 with a ``Z``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nft_toolkit.policy import DAY, iso

__all__ = ["TransferRules", "count", "iso"]


@dataclass(frozen=True)
class TransferRules:
    """The collection's transfer policy and, under gift_after_hold, the current holder's hold.

    `held_since`, `as_of` are block timestamps (seconds); None when the policy has no hold.
    """

    policy: str  # free | non_transferable | gift_after_hold
    hold_days: int = 0
    held_since: int | None = None  # when the current owner received the token
    as_of: int | None = None  # the latest block's timestamp, the "now" of the figures

    @property
    def transferable_at(self) -> int | None:
        """The first block timestamp at which the holder may give the token (gift_after_hold)."""
        return None if self.held_since is None else self.held_since + self.hold_days * DAY

    @property
    def held_seconds(self) -> int | None:
        if self.held_since is None or self.as_of is None:
            return None
        return max(0, self.as_of - self.held_since)

    @property
    def held_for(self) -> tuple[int, int] | None:
        """How long the holder has held the token, in whole (days, hours); None without a hold."""
        held = self.held_seconds
        return None if held is None else (held // DAY, held % DAY // 3600)

    @property
    def transferable_now(self) -> bool | None:
        """Whether the holder may give the token as of :attr:`as_of`; None without a hold."""
        at = self.transferable_at
        return None if at is None or self.as_of is None else self.as_of >= at

    def describe(self) -> str:
        """One line for people: the rule, and for a held token how long and until when."""
        if self.policy == "free":
            return "free: the holder may transfer or sell it"
        if self.policy == "non_transferable":
            return "non-transferable (soulbound, ERC-5192): it never leaves its holder"
        rule = ("gift after hold: only the holder may give it, after holding it "
                f"{count(self.hold_days, 'day')}")
        at, held, now = self.transferable_at, self.held_for, self.transferable_now
        if at is None or held is None or now is None:
            return rule
        when = "may be given now" if now else f"may be given from {iso(at)}"
        return (f"{rule}; held {count(held[0], 'day')} {count(held[1], 'hour')} since "
                f"{iso(self.held_since or 0)}, {when}")

    def as_json(self) -> dict[str, Any]:
        """``{"policy", "hold_days"}``, and for a held token ``"held_since"``, ``"held_seconds"``,
        ``"transferable_at"`` (ISO times), ``"transferable_now"``, ``"as_of"`` (the block time)."""
        out: dict[str, Any] = {"policy": self.policy, "hold_days": self.hold_days}
        at, held = self.transferable_at, self.held_seconds
        if at is not None and held is not None and self.as_of is not None and self.held_since is not None:
            out.update(held_since=iso(self.held_since), held_seconds=held, transferable_at=iso(at),
                       transferable_now=self.transferable_now, as_of=iso(self.as_of))
        return out


def count(n: int, unit: str) -> str:
    """`n` `unit`s in English: ``1 day``, ``2 days``, ``0 hours``."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
