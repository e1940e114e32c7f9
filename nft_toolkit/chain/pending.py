"""Bringing a journaled transaction to an outcome after an interruption.

A transaction is signed and journaled before it is sent, so after a crash, a chain restart or an
RPC error its hash and nonce are known. :func:`settle` then finds out what became of it: mined
(its receipt), still to be sent (the nonce is unused: the very same signed bytes are sent again,
which can never execute twice), or superseded (its nonce was spent by another transaction, so
it can never be mined and the caller must look at the chain's state instead).

A node may report an account's advanced nonce a moment before it serves the receipt of the
transaction that advanced it (anvil does, under load): a spent nonce is taken as another
sender's only when the receipt is still missing after :data:`RECEIPT_GRACE` seconds.

A transaction next in its account's line (its nonce is the latest block's) that stays unmined is
sent again, the same signed bytes (they can execute only once), :data:`REBROADCAST_AFTER` seconds
after it was last sent and at doubling intervals: a node may have lost it from its pool (a
restart) or parked it among future transactions for good. ganache 7.9 does the latter when a
transaction arrives while the block before it is being saved (its transaction pool compares the
nonce with the account's saved one, a block behind, and promotes parked transactions only when a
later one arrives); the same bytes sent again are then next in line, and mined.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from hexbytes import HexBytes
from web3.exceptions import TransactionNotFound

from nft_toolkit.chain.accounts import Signer
from nft_toolkit.chain.client import Chain, SignedTx
from nft_toolkit.errors import ChainError

RECEIPT_GRACE = 5.0  # seconds to wait for a receipt once the nonce has moved past its transaction
REBROADCAST_AFTER = 2.0  # seconds a transaction next in line waits unmined before it is sent again
REBROADCAST_MOST = 30.0  # the longest wait between two sends of it (the wait doubles each time)
_log = logging.getLogger(__name__)


def receipt_after_spent_nonce(chain: Chain, tx: SignedTx, grace: float = RECEIPT_GRACE,
                              poll: float = 0.1) -> dict[str, Any] | None:
    """The receipt of `tx` once its nonce is spent, polled for up to `grace` seconds: None means
    another transaction spent the nonce, and `tx` can never be mined."""
    deadline = time.monotonic() + grace
    while True:
        receipt = chain.receipt(tx.hash)
        if receipt is not None or time.monotonic() >= deadline:
            return receipt
        time.sleep(min(poll, max(deadline - time.monotonic(), 0.0)))
        poll = min(poll * 1.5, 1.0)


def settle(chain: Chain, signer: Signer, tx: SignedTx, confirmations: int,
           timeout: float = 300.0) -> dict[str, Any] | None:
    """The receipt of `tx` (successful or not), or None when it can never be mined."""
    receipt = chain.receipt(tx.hash)
    if receipt is None:
        if chain.nonce(signer.address, "latest") > tx.nonce:
            # The nonce is spent; unless by this very transaction, whose receipt may lag.
            if receipt_after_spent_nonce(chain, tx) is None:
                return None
        else:
            chain.send(tx)
            mined(chain, signer, tx, timeout)
    return chain.wait(tx.hash, confirmations, timeout, require_success=False)


def mined(chain: Chain, signer: Signer, tx: SignedTx, timeout: float = 300.0) -> None:
    """Waits until `tx` is mined, sending it again while it is next in line and unmined (the
    module's docstring); a ChainError when its nonce is spent by another transaction (a second
    sender on the account: no receipt within the grace), for then it never can be, or when it is
    not mined within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    poll = 0.05
    again, resend_at = REBROADCAST_AFTER, time.monotonic() + REBROADCAST_AFTER
    while chain.receipt(tx.hash) is None:
        latest = chain.nonce(signer.address, "latest")
        if latest == tx.nonce and time.monotonic() >= resend_at:
            _log.info("transaction %s (nonce %d) is next in line but unmined: sent again",
                      tx.hash, tx.nonce)
            chain.send(tx)  # lost or parked by the node (the module's docstring)
            again = min(again * 2, REBROADCAST_MOST)
            resend_at = time.monotonic() + again
        if latest > tx.nonce:
            if receipt_after_spent_nonce(chain, tx) is not None:
                return
            raise ChainError(f"nonce {tx.nonce} of {signer.address} was spent by another "
                             f"transaction before {tx.hash} was mined (no receipt "
                             f"{RECEIPT_GRACE:.0f} s later; another sender on this account?); "
                             "run the command again to reconcile with the chain")
        if time.monotonic() > deadline:
            raise ChainError(f"transaction {tx.hash} is not mined after {timeout:.0f} s; run the "
                             "command again to resume")
        time.sleep(poll)
        poll = min(poll * 1.5, 2.0)


def known(chain: Chain, tx: SignedTx) -> bool:
    """Whether the node knows `tx` (pooled or mined) just after it was sent. A node answers
    ``nonce too low`` for a transaction whose nonce another one spent, which
    :meth:`Chain.send` takes for sent; a pipelined sender must not send later nonces after it."""
    def get() -> bool:
        try:
            chain.w3.eth.get_transaction(HexBytes(tx.hash))
        except TransactionNotFound:
            return False
        return True
    return chain.rpc(get, "eth_getTransactionByHash")


def send_new(chain: Chain, signer: Signer, call: object, journal: Callable[[SignedTx], None],
             confirmations: int) -> tuple[SignedTx, dict[str, Any]]:
    """Signs `call` at the next nonce, journals it through `journal`, sends it, waits."""
    nonce = chain.nonce(signer.address, "pending")
    tx = chain.sign(signer, call, nonce)
    journal(tx)  # durable before anything leaves this machine
    chain.send(tx)
    mined(chain, signer, tx)
    return tx, chain.wait(tx.hash, confirmations, require_success=False)

