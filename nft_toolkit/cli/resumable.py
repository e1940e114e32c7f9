"""What a journaled chain command (deploy, mint) tells its user when it stops or resumes.

A timeout or an unreachable node stops `deploy` and `mint` part-way; their journals make the
same command, run again, finish what was started without doing any step twice. The error line
says so, rather than leaving the user to guess whether running again would mint twice. A
resumed mint follows its journaled plan, whatever `--batch-size` the new run gives: one note
line says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests

from nft_toolkit.chain.minter import SAFE_MINT, MintPlan, plan_batches
from nft_toolkit.errors import ChainError

RESUME_HINT = "run the same command again: it resumes"


def transient(exc: ChainError) -> bool:
    """Whether `exc` is the chain not answering (refused, reset, timed out, every endpoint
    down): a fault of the connection, not a refusal or a wrong chain, so a retry can pass."""
    cause = exc.__cause__
    return isinstance(cause, (requests.ConnectionError, requests.Timeout, ConnectionError,
                              TimeoutError))


@contextmanager
def resumes_on_chain_failure() -> Iterator[None]:
    """Re-raises a transient :class:`ChainError` (see :func:`transient`) with
    :data:`RESUME_HINT` at the end of its line; other errors pass unchanged."""
    try:
        yield
    except ChainError as exc:
        if not transient(exc) or RESUME_HINT in str(exc):
            raise
        raise ChainError(f"{exc}; {RESUME_HINT}") from exc.__cause__


def kept_batches_note(plan: MintPlan, batch_size: int) -> str | None:
    """The one line telling a resumed mint's user that `--batch-size` `batch_size` is not
    applied (the journaled plan's batches are what make a resumed run mint each token once);
    None when the plan's batches are those `batch_size` would cut anyway."""
    contracts = frozenset(r for b in plan.batches if b.function == SAFE_MINT for r in b.recipients)
    if batch_size >= 1 and plan_batches(plan.allocations, plan.first, batch_size,
                                        contracts) == plan.batches:
        return None
    largest = max(sum(b.counts) for b in plan.batches)
    return (f"note: the resumed mint keeps its original {len(plan.batches)} batch(es) of up to "
            f"{largest} token(s); --batch-size {batch_size} applies to a new mint")
