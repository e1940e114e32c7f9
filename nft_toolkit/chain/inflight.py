"""The send window of a pipelined mint: how many signed transactions may be in flight at once.

A mint keeps several transactions in flight, at consecutive nonces, each signed and journaled
before it is sent, so the chain rather than the round trips of one transaction at a time bounds
an airdrop. The window holds at most `limit` transactions (``mint --max-in-flight K``; default
:data:`MAX_IN_FLIGHT`) and never more gas than :data:`IN_FLIGHT_BLOCKS` blocks hold (the gas limit
of each signed transaction against the latest block's ``gasLimit``): on a chain with real blocks
more would only wait in the node's pool, where a fee rise or a restart can strand it, and
:data:`MAX_IN_FLIGHT` stays within geth's default of 16 executable transactions per account
(``--txpool.accountslots``). One transaction always fits, however large.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import rlp

from nft_toolkit.chain.client import SignedTx

MAX_IN_FLIGHT = 16  # transactions; geth keeps 16 executable ones per account by default
IN_FLIGHT_BLOCKS = 3  # never more gas in flight than this many blocks hold

B = TypeVar("B")


def gas_limit(raw: str) -> int:
    """The gas limit of a signed raw transaction (0x-hex): legacy, EIP-2930 or EIP-1559.
    ValueError for another kind."""
    data = bytes.fromhex(raw.removeprefix("0x"))
    if data and data[0] >= 0xC0:  # an RLP list: legacy [nonce, gasPrice, gas, ...]
        return int.from_bytes(rlp.decode(data)[2], "big")
    position = {1: 3, 2: 4}.get(data[0] if data else -1)  # [chainId, nonce, (fees...), gas, ...]
    if position is None:
        raise ValueError(f"transaction type {data[:1].hex() or 'none'} is not legacy, 1 or 2")
    return int.from_bytes(rlp.decode(data[1:])[position], "big")


@dataclass
class InFlight(Generic[B]):
    """A transaction sent and not yet settled: what it carries, its gas limit, and when it left
    (wall-clock seconds, time.time())."""

    item: B
    tx: SignedTx
    gas: int
    sent_at: float = field(default_factory=time.time)


class Window(Generic[B]):
    """The transactions in flight, oldest first, within `limit` transactions and
    :data:`IN_FLIGHT_BLOCKS` blocks of `block_gas_limit` gas."""

    def __init__(self, limit: int | None, block_gas_limit: int) -> None:
        if limit is not None and limit < 1:
            raise ValueError("at least one transaction must be allowed in flight")
        self.limit = MAX_IN_FLIGHT if limit is None else limit
        self.gas_cap = IN_FLIGHT_BLOCKS * block_gas_limit
        self.entries: deque[InFlight[B]] = deque()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def gas(self) -> int:
        """The gas limits of the transactions in flight, summed."""
        return sum(e.gas for e in self.entries)

    def fits(self, gas: int) -> bool:
        """Whether one more transaction of `gas` may leave now (always, when none is in flight)."""
        if not self.entries:
            return True
        return len(self.entries) < self.limit and self.gas + gas <= self.gas_cap

    def push(self, entry: InFlight[B]) -> None:
        self.entries.append(entry)

    def pop(self) -> InFlight[B]:
        """The oldest transaction in flight, taken out."""
        return self.entries.popleft()
