"""Transfer policies of the collection contract: their names, on-chain codes and meaning.

A policy is fixed at deployment (``contract.transfer_policy`` in collection.yaml, an immutable of
the contract): ``free`` (tokens move as any ERC-721's), ``non_transferable`` (soulbound, ERC-5192:
only mint and burn move a token), ``gift_after_hold`` (only the holder may give a token, once it
has held it ``hold_days`` whole days since it arrived by mint or gift; no approvals or operators,
so no marketplace can move it). The contract's ``transferPolicy()`` returns the index of the name
in :data:`TRANSFER_POLICIES`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

TransferPolicy = Literal["free", "non_transferable", "gift_after_hold"]
TRANSFER_POLICIES: tuple[TransferPolicy, ...] = ("free", "non_transferable", "gift_after_hold")
MAX_HOLD_DAYS = 36_500  # a hundred years: beyond is a typo, not a policy
DAY = 86_400  # seconds


def policy_code(policy: TransferPolicy) -> int:
    """The contract's code of `policy` (its constructor argument and ``transferPolicy()``)."""
    return TRANSFER_POLICIES.index(policy)


def iso(timestamp: int) -> str:
    """A block timestamp (seconds since the epoch) as UTC ISO 8601: ``2026-11-30T04:17:00Z``."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def policy_name(code: int) -> TransferPolicy | None:
    """The policy of on-chain code `code`, None for a code this package does not know."""
    return TRANSFER_POLICIES[code] if 0 <= code < len(TRANSFER_POLICIES) else None
