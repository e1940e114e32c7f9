"""The raw Transfer logs of a mint: `from` topic zero and no data, even when the mint check made
an external call just before (ERC721Sequential takes the logs' zeros from RETURNDATASIZE)."""

from __future__ import annotations

import pytest

TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"


def transfer_logs(tx) -> list[tuple[int, int, int, bytes]]:
    """(from, to, tokenId, data) of every raw Transfer log of `tx`."""
    out = []
    for log in tx.logs:
        topics = [bytes(t) for t in log["topics"]]
        if "0x" + topics[0].hex() == TRANSFER:
            out.append((*(int.from_bytes(t, "big") for t in topics[1:]), bytes(log["data"])))
    return out


@pytest.fixture
def calling(CallingMintCheck, accounts):
    return CallingMintCheck.deploy({"from": accounts[0]})


@pytest.mark.parametrize("quantity", [1, 2, 100])
def test_a_mint_after_an_external_call_emits_clean_transfer_logs(calling, accounts, quantity):
    to = int(accounts[1].address, 16)
    tx = calling.mint(accounts[1], quantity, {"from": accounts[2]})
    assert transfer_logs(tx) == [(0, to, i, b"") for i in range(1, quantity + 1)]
    assert calling.ownerOf(quantity) == accounts[1]


def test_an_airdrop_after_an_external_call_emits_clean_transfer_logs(calling, accounts):
    tx = calling.airdrop([accounts[1], accounts[3]], [1, 3], {"from": accounts[2]})
    one, three = int(accounts[1].address, 16), int(accounts[3].address, 16)
    assert transfer_logs(tx) == [(0, one, 1, b""), (0, three, 2, b""), (0, three, 3, b""), (0, three, 4, b"")]


def test_a_collection_mint_emits_clean_transfer_logs(collection, issuer, accounts):
    to = int(accounts[1].address, 16)
    tx = collection.mint(accounts[1], 70, {"from": issuer})
    assert transfer_logs(tx) == [(0, to, i, b"") for i in range(1, 71)]
