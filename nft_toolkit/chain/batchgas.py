"""The gas of a guarded mint's batches, asked of the node once per batch shape.

Every batch of an airdrop used to be estimated (``eth_estimateGas``) before it was signed, so the
node executed each 200-recipient call twice, and a batch behind others in flight was estimated
against a state they had not yet reached. With the first-ID guard (release 4) a gas limit that is
too low cannot mint out of place (the batch reverts, the later ones of its window revert on the
guard, and the run resumes), so one estimate can serve every batch of the same shape: the same
function and the same token counts, recipient by recipient.

That estimate must bound every batch of its shape. What a mint's gas depends on, besides the
shape, is each recipient's balance slot (set from zero: 22,100 gas cold; already set: 5,000) and
where the batch falls in the batch log (a batch of several tokens may have to flush the log's
newest entries to a fresh slot: :data:`LOG_FLUSH_GAS`). So the shape is estimated with
:func:`probe_recipients` in place of its recipients (distinct addresses that hold nothing: every
balance set from zero, the most a recipient can cost) and, when any count is above one, the
flush is added. Each token's ownership word is always a fresh slot, whatever the ID.

The estimate is always of the batch's planned first ID, against a state where that ID is the
next (the latest block with nothing of this run in flight, or a node's pending block over its
pool): never with another first ID re-read meanwhile. ganache (7.9) estimates against its live
state whatever the block tag, which runs ahead of the latest block while one is being mined, and
its binary search of the limit never ends (the request times out) when that state moves past the
estimated call's first ID between its first run and the search: on ganache
(:func:`estimates_pending`) a new shape is estimated only once nothing of the run is in flight,
when its live state is the latest block's.
"""

from __future__ import annotations

from eth_utils import keccak

# A batch estimated at one place in the batch log meets another: it may have to move the log's
# newest entries to a fresh storage slot that its estimate did not (20,000 gas for the new slot,
# 2,100 for its cold access; ERC721Sequential._logBatch). At most one flush more per batch.
LOG_FLUSH_GAS = 22_100
_PROBE = b"nft-toolkit: a gas probe's recipient "

Shape = tuple[str, tuple[int, ...]]  # the function, and each recipient's token count
# web3_clientVersion prefixes (lower case) of nodes whose eth_estimateGas ignores the block tag
# and runs against a live state that moves while a block is mined (ganache 7.9, read in its source)
LIVE_STATE_ESTIMATES = ("ganache", "ethereumjs testrpc")


def probe_recipients(n: int) -> list[bytes]:
    """`n` distinct 20-byte addresses that hold no token and no code (the tails of Keccak
    hashes of a fixed text and a counter: nobody has their keys), for estimates only."""
    return [keccak(_PROBE + i.to_bytes(4, "big"))[12:] for i in range(n)]


def estimates_pending(client_version: str) -> bool:
    """Whether a node of `client_version` (its ``web3_clientVersion``) may be asked an estimate
    at block "pending" while transactions are in flight: one over its pending block (geth,
    anvil) answers for the state they reach, and one that takes "pending" for the latest block
    refuses the planned first ID at once (the caller then waits for the window and asks again);
    ganache's live-state estimate can run for ever (the module's docstring)."""
    return not client_version.strip().lower().startswith(LIVE_STATE_ESTIMATES)


class GasBook:
    """The gas of each batch shape estimated in this run (a probe's estimate, plus a log flush
    when the shape mints several tokens to one recipient)."""

    def __init__(self) -> None:
        self.known: dict[Shape, int] = {}

    def get(self, shape: Shape) -> int | None:
        return self.known.get(shape)

    def put(self, shape: Shape, estimate: int) -> int:
        """Records the probe's `estimate` for `shape`; the gas any batch of it gets."""
        gas = estimate + (LOG_FLUSH_GAS if any(n > 1 for n in shape[1]) else 0)
        self.known[shape] = gas
        return gas
