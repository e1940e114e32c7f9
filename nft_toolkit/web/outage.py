"""What a customer is told when the service cannot read its chain or an item's content.

The engine's detail names the cause as an operator needs it (the service's RPC URL, which may
carry a key and is never shown; its store; a command to start a chain); a customer gets one
coded answer instead, the same for every token, and the cause goes to the service's log.

- The chain down: one failed check, ``contract`` (code :data:`CHAIN_UNREADABLE`), whatever the
  process had kept from earlier requests (a cached runtime code would otherwise show a check
  passing before it, for some tokens and not others).
- The content down (a gateway, the store): the checks the chain answered stay; the one that
  could not read the content says so (code :data:`CONTENT_UNREADABLE`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.trust import CHAIN_UNREADABLE, CONTENT_UNREADABLE

_log = logging.getLogger("nft_toolkit.web")

CHAIN_DOWN = "the chain cannot be read now; try again later"
CONTENT_DOWN = "the item's content cannot be read now; try again later"


def chain_unreadable(token_id: int | None, cause: object) -> str:
    """:data:`CHAIN_DOWN`, for a customer; `cause` (the engine's detail or the error, which
    name the service's RPC URL) goes to the log."""
    _log.warning("%s: cannot read the chain: %s", _asked(token_id), cause)
    return CHAIN_DOWN


def chain_down(token_id: int | None, contract: str, cause: object) -> Report:
    """The answer when the chain cannot be read: unverifiable, one failed check
    (:func:`chain_unreadable`)."""
    return Report(token_id, contract).failed("contract", chain_unreadable(token_id, cause),
                                             Verdict.UNVERIFIABLE, CHAIN_UNREADABLE)


def for_customers(report: Report) -> Report:
    """`report` as a customer may see it: when its deciding check could not read the chain,
    :func:`chain_down`; the content, that check in the customer's words; else `report`."""
    last = report.checks[-1] if report.checks else None
    if report.verdict is not Verdict.UNVERIFIABLE or last is None:
        return report
    if last.code == CHAIN_UNREADABLE:
        return chain_down(report.token_id, report.contract, last.detail)
    if last.code == CONTENT_UNREADABLE:
        _log.warning("%s: cannot read the content: %s", _asked(report.token_id), last.detail)
        report.checks[-1] = replace(last, detail=CONTENT_DOWN, params=())
    return report


def _asked(token_id: int | None) -> str:
    """What the request asked about, for the log line."""
    return "an uploaded picture" if token_id is None else f"token {token_id}"
