"""The token page's transfer rules: the collection's policy and, under gift_after_hold, how long
the holder has held the item and from when it may be given, worded from the engine's figures
(:class:`nft_toolkit.verify.holding.TransferRules`, read by :mod:`nft_toolkit.verify.trust`),
never worked out again here."""

from __future__ import annotations

from collections.abc import Mapping

from nft_toolkit.verify.holding import TransferRules
from nft_toolkit.web.i18n import fill
from nft_toolkit.web.times import amount, local_time


def transfer_lines(rules: TransferRules, lang: str, words: Mapping[str, str]) -> list[str]:
    """The rule, then (for a held token under gift_after_hold) the hold and when it ends."""
    key = f"transfer.{rules.policy}"
    if key not in words:  # a policy this package does not know: its name as the chain says it
        return [rules.policy]
    lines = [fill(words[key], {"hold": amount(rules.hold_days, "day", words)})]
    held, at, now = rules.held_for, rules.transferable_at, rules.transferable_now
    if held is None or at is None or now is None or rules.held_since is None:
        return lines
    lines.append(fill(words["transfer.held"], {
        "held": f"{amount(held[0], 'day', words)} {amount(held[1], 'hour', words)}",
        "since": local_time(rules.held_since, lang, words)}))
    lines.append(words["transfer.now"] if now else
                 fill(words["transfer.from"], {"at": local_time(at, lang, words)}))
    return lines
