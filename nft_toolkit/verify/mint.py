"""When and by which transaction a token was minted: its ERC-721 ``Transfer(0x0 → owner, id)`` log.

The collection contract emits one such log per token. Nodes bound ``eth_getLogs`` (providers
refuse ranges over a few thousand blocks; a permissioned chain of years holds millions), so the
log is never asked for over the whole chain:

1. the mint block is found by bisection over ``totalMinted()`` read at past blocks (token IDs are
   minted in order from 1, and the count never decreases, not even on a burn): about
   log2(blocks) calls, then one ``eth_getLogs`` over that one block;
2. a node that keeps no past state (it refuses calls at old blocks) is asked for the logs in
   windows of :data:`WINDOW` blocks, newest first, at most :data:`MAX_WINDOWS` of them.

A mint not found either way is None: a certificate then says the transaction is unknown rather
than guessing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_utils import keccak
from web3 import Web3

from nft_toolkit.chain.client import Chain, to_hex
from nft_toolkit.errors import ChainError

TRANSFER = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
WINDOW = 2_000  # blocks per eth_getLogs, under the common provider limits
MAX_WINDOWS = 50


@dataclass(frozen=True)
class Mint:
    """A token's mint: the transaction, its block and the block's time (Unix seconds, UTC)."""

    transaction: str  # 0x-hex hash
    block: int
    timestamp: int
    to: str  # the first owner


def find_mint(chain: Chain, contract: str, token_id: int) -> Mint | None:
    """The mint of `token_id` of the collection at `contract` (see the module's notes), or None
    when neither way finds it; ChainError when the chain does not answer."""
    latest = chain.block_number()
    try:
        block = _minted_at(chain, contract, token_id, latest)
    except ChainError:  # no past state here: scan bounded windows instead
        block = None
    ranges = ([(block, block)] if block is not None else
              [(max(0, hi - WINDOW + 1), hi) for hi in range(latest, -1, -WINDOW)][:MAX_WINDOWS])
    for low, high in ranges:
        logs = _mint_logs(chain, contract, token_id, low, high)
        if logs:
            log = logs[0]
            number = int(log["blockNumber"])
            stamp = chain.rpc(lambda: chain.w3.eth.get_block(number)["timestamp"], "eth_getBlock")
            to = Web3.to_checksum_address("0x" + bytes(log["topics"][2])[-20:].hex())
            return Mint(to_hex(bytes(log["transactionHash"])), number, int(stamp), to)
    return None


def _minted_at(chain: Chain, contract: str, token_id: int, latest: int) -> int | None:
    """The first block at which ``totalMinted() >= token_id``, by bisection; None when the token
    is not minted at `latest`."""
    minted = chain.collection(contract).functions.totalMinted()

    def count(block: int) -> int:
        return int(chain.rpc(lambda: minted.call(block_identifier=block), "totalMinted() then"))

    if count(latest) < token_id:
        return None
    low, high = 0, latest  # invariant: count(high) >= token_id
    while low < high:
        middle = (low + high) // 2
        try:
            reached = count(middle) >= token_id
        except ChainError:
            if middle == 0 or chain.rpc(lambda: chain.w3.eth.get_code(
                    Web3.to_checksum_address(contract), middle), "eth_getCode then"):
                raise  # state there should exist: the node keeps no past state
            reached = False  # before the contract existed: a call there fails
        if reached:
            high = middle
        else:
            low = middle + 1
    return high


def _mint_logs(chain: Chain, contract: str, token_id: int, low: int,
               high: int) -> list[Any]:
    """The ``Transfer(0x0, *, token_id)`` logs of `contract` in blocks `low`..`high`."""
    topics: list[Any] = [TRANSFER, "0x" + bytes(32).hex(), None,
                         "0x" + token_id.to_bytes(32, "big").hex()]
    query: Any = {"address": Web3.to_checksum_address(contract), "fromBlock": low,
                  "toBlock": high, "topics": topics}
    return list(chain.rpc(lambda: chain.w3.eth.get_logs(query), "eth_getLogs (the mint)"))
