"""Deployment parameters of the test collection, and how Brownie renders custom errors."""

from __future__ import annotations

NAME, SYMBOL, YEAR, CAP, ROYALTY_BPS = "Year of the Horse", "HORSE", 2026, 1000, 750
FREE, NON_TRANSFERABLE, GIFT_AFTER_HOLD = 0, 1, 2  # the contract's transfer policies
DAY = 86_400


def err(name: str, *args) -> str:
    """A custom error as Brownie renders a revert: `Name: arg, arg`, addresses in lower case."""
    return f"{name}: " + ", ".join(str(a).lower() if str(a).startswith("0x") else str(a) for a in args)
