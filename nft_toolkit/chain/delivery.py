"""Did every recipient of a completed airdrop get what its list gave it? Read from the chain.

The mint journal knows the plan of the last completed run (recipients, counts, token IDs, in
list order); the chain knows who holds each of those tokens now. A discrepancy is a token of
the run held by someone other than the recipient the list gave it to, or no longer held at all
(burned). Nothing is sent; the journal is only read (through
:meth:`~nft_toolkit.chain.minter.Minter.runs`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nft_toolkit.address import ZERO_ADDRESS, eip55
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.minter import MintPlan, Minter


@dataclass(frozen=True)
class Discrepancy:
    """Token `token_id` of the run, which the list's allocation `index` gave to `recipient`, is
    held by `holder` (lower-case hex; the zero address: burned or not minted)."""

    token_id: int
    index: int
    recipient: str
    holder: str

    def line(self, where: Callable[[int], str]) -> str:
        """One line naming the list's row (``where(index)``, e.g. ``FILE:LINE``)."""
        held = ("is not held by anyone (burned or never minted)" if self.holder == ZERO_ADDRESS
                else f"is held by {eip55(bytes.fromhex(self.holder[2:]))}")
        return f"{where(self.index)}: token {self.token_id}, given to {self.recipient}, {held}"


def completed_run(minter: Minter, allocations: Sequence[tuple[str, int]]) -> MintPlan | None:
    """The last completed run of `minter`'s collection when it minted exactly `allocations`
    (checksum addresses and counts, in list order); None otherwise."""
    wanted = tuple((str(a), int(n)) for a, n in allocations)
    finished = [plan for plan, _, _, end in minter.runs() if end == "complete"]
    return finished[-1] if finished and finished[-1].allocations == wanted else None


def discrepancies(chain: Chain, plan: MintPlan) -> list[Discrepancy]:
    """Every token of `plan` not held by the recipient its allocation gave it to, in ID order,
    batch by batch (a re-planned run's batches moved past another sender's tokens:
    ``ownersInRange`` reads, one JSON-RPC batch per 2,000 IDs a call); ChainError when the
    chain does not answer."""
    row = {recipient.lower(): i for i, (recipient, _) in enumerate(plan.allocations)}
    out: list[Discrepancy] = []
    for batch in plan.batches:
        holders = chain.owners(plan.contract, batch.first, batch.last)
        for token_id, recipient, holder in zip(range(batch.first, batch.last + 1),
                                               batch.owners(), holders):
            if holder.lower() != recipient.lower():
                out.append(Discrepancy(token_id, row[recipient.lower()], recipient,
                                       holder.lower()))
    return out
