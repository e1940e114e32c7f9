"""A transaction whose nonce is spent is taken for lost only if its receipt stays missing: a fast
node (anvil) reports the new nonce a moment before it serves the receipt (issue 9, kind 11)."""

from __future__ import annotations

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain, SignedTx
from nft_toolkit.chain.pending import mined, settle
from nft_toolkit.errors import ChainError
from tests.support.anvil import anvil

SIGNER = dev_account(0)
TX = SignedTx("0x" + "ab" * 32, 7, "0x00")
RECEIPT = {"transactionHash": bytes.fromhex("ab" * 32), "blockNumber": 5, "status": 1,
           "gasUsed": 21000}


class LaggingNode(Chain):
    """A node that has mined TX (the account's nonce is past it) but serves its receipt only
    from the `hidden`+1-th read on; `receipt=None` never (another sender spent the nonce)."""

    def __init__(self, hidden: int, receipt: dict | None = RECEIPT) -> None:
        super().__init__("http://127.0.0.1:9", 1337)
        self.hidden, self.answer, self.reads, self.sent = hidden, receipt, 0, 0

    def receipt(self, tx_hash: str) -> dict | None:
        assert tx_hash == TX.hash
        self.reads += 1
        return self.answer if self.reads > self.hidden else None

    def nonce(self, address: str, block: str = "latest") -> int:
        return TX.nonce + 1

    def block_number(self) -> int:
        return 5

    def send(self, signed: SignedTx) -> None:
        self.sent += 1


@pytest.mark.parametrize("hidden", [2, 5])
def test_mined_waits_for_a_lagging_receipt(hidden: int) -> None:
    # Today's code reads the receipt twice, sees the nonce spent, and stops with "another sender".
    node = LaggingNode(hidden)
    mined(node, SIGNER, TX)
    assert node.reads == hidden + 1


@pytest.mark.parametrize("hidden", [1, 4])
def test_settle_finds_a_lagging_receipt(hidden: int) -> None:
    # Today's settle() returns None ("can never be mined") for a mined transaction.
    node = LaggingNode(hidden)
    assert settle(node, SIGNER, TX, confirmations=1) == RECEIPT
    assert node.sent == 0  # a spent nonce is never sent again


def test_a_nonce_spent_by_another_sender_still_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nft_toolkit.chain.pending.RECEIPT_GRACE", 0.3)
    node = LaggingNode(0, receipt=None)
    with pytest.raises(ChainError, match="nonce 7 .* was spent by another transaction"):
        mined(node, SIGNER, TX)
    assert node.reads >= 3  # polled through the grace, not judged on one read
    assert settle(node, SIGNER, TX, confirmations=1) is None


def test_a_transaction_next_in_line_that_the_node_lost_is_sent_again() -> None:
    """A node that no longer holds a transaction next in its account's line (anvil's
    ``anvil_dropTransaction`` here; ganache 7.9 parks one for good when it arrives while the block
    before it is being saved, which hung a resumed CI mint): the same bytes are sent again and
    mined. Before, the wait ran to its timeout."""
    with anvil("--no-mining") as node:
        chain = Chain(node.url, node.chain_id)
        w3 = chain.w3
        signed = SIGNER.sign_transaction({
            "to": dev_account(1).address, "value": 1, "gas": 21_000, "gasPrice": 10**9,
            "nonce": 0, "chainId": node.chain_id})
        tx = SignedTx("0x" + signed.hash.hex().removeprefix("0x"), 0,
                      "0x" + signed.raw_transaction.hex().removeprefix("0x"))
        chain.send(tx)
        w3.provider.make_request("anvil_dropTransaction", [tx.hash])
        assert w3.eth.get_transaction_count(SIGNER.address, "pending") == 0  # gone from the pool
        w3.provider.make_request("evm_setAutomine", [True])
        mined(chain, SIGNER, tx, timeout=60)
        receipt = chain.receipt(tx.hash)
        assert receipt is not None and receipt["status"] == 1
        assert w3.eth.get_transaction_count(SIGNER.address) == 1  # sent twice, executed once
