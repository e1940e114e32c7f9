"""Rarity: how often each trait value occurs, and a score and rank per item.

The score is the usual "statistical rarity" sum: for each trait of the item, the number of items
divided by the number that share that value (a value held by 1 item in 1000 adds 1000). An item
without a trait type others have (a 1-of-1) scores it as the value "missing", as rarity.tools
does, so fewer traits do not mean a lower score. Edition is left out (unique by construction). Ranks are competition ranks: equal scores share a rank.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

SKIPPED = ("Edition",)


@dataclass(frozen=True)
class RarityReport:
    items: int
    counts: dict[str, dict[str, int]]          # trait type -> value -> items
    scores: dict[int, float]                    # token id -> score
    ranks: dict[int, int]                       # token id -> rank (1 is rarest)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "traits": {t: {v: {"count": c, "percent": round(100 * c / self.items, 2)}
                           for v, c in sorted(values.items())}
                       for t, values in sorted(self.counts.items())},
            "tokens": {str(i): {"score": self.scores[i], "rank": self.ranks[i]}
                       for i in sorted(self.scores)},
        }

    def to_text(self, top: int = 20) -> str:
        """A readable table: every trait value's count and share, then the rarest items."""
        lines = [f"Rarity report: {self.items} items", ""]
        width = max([len(v) for vs in self.counts.values() for v in vs] + [5])
        for trait, values in sorted(self.counts.items()):
            lines.append(f"{trait}")
            for value, c in sorted(values.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {value:<{width}}  {c:>7}  {100 * c / self.items:6.2f}%")
            lines.append("")
        lines.append(f"Rarest {min(top, self.items)} items")
        lines.append(f"  {'rank':>5}  {'token':>7}  {'score':>10}")
        for i in sorted(self.ranks, key=lambda i: (self.ranks[i], i))[:top]:
            lines.append(f"  {self.ranks[i]:>5}  {'#' + str(i):>7}  {self.scores[i]:>10.2f}")
        return "\n".join(lines) + "\n"


def trait_pairs(attributes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """An item's metadata attributes as the (trait type, value) pairs rarity counts."""
    return [(a["trait_type"], str(a["value"])) for a in attributes
            if a["trait_type"] not in SKIPPED]


def rarity(attributes: dict[int, list[dict[str, Any]]]) -> RarityReport:
    """The report for token id -> its metadata attributes."""
    return rarity_of({i: trait_pairs(attrs) for i, attrs in attributes.items()})


def rarity_of(traits: dict[int, list[tuple[str, str]]]) -> RarityReport:
    """The report for token id -> its :func:`trait_pairs` (a few hundred bytes per item, where
    the metadata dicts they come from take several times that)."""
    counts: dict[str, Counter[str]] = {}
    for pairs in traits.values():
        for t, v in pairs:
            counts.setdefault(t, Counter())[v] += 1
    n = len(traits)
    missing = {t: n - sum(c.values()) for t, c in counts.items()}

    def score(pairs: list[tuple[str, str]]) -> float:
        have = {t for t, _ in pairs}
        total = sum(n / counts[t][v] for t, v in pairs)
        total += sum(n / missing[t] for t in counts if t not in have)
        return round(total, 6)

    scores = {i: score(pairs) for i, pairs in traits.items()}
    order = sorted(scores, key=lambda i: (-scores[i], i))
    ranks: dict[int, int] = {}
    for position, i in enumerate(order, start=1):
        prev = order[position - 2] if position > 1 else None
        ranks[i] = ranks[prev] if prev is not None and scores[prev] == scores[i] else position
    return RarityReport(n, {t: dict(c) for t, c in counts.items()}, scores, ranks)
