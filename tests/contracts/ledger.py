"""The ledger check of the attack tests: the chain's state and its Transfer events agree.

After an attack, whatever it did, the collection must still satisfy: token IDs 1..totalMinted were
each minted exactly once, in order, by Transfer events from the zero address; replaying every
Transfer event the collection ever emitted gives exactly the owners `ownersInRange` reports
(zero once burned); every balance equals the number of live tokens its holder owns; and the
total supply equals the number of live tokens.
"""

from __future__ import annotations

from collections import Counter

from brownie import ZERO_ADDRESS, web3

TRANSFER_TOPIC = "0x" + bytes(web3.keccak(text="Transfer(address,address,uint256)")).hex()


def _address(topic) -> str:
    return web3.to_checksum_address(bytes(topic)[-20:])


def transfer_log(collection) -> list[tuple[str, str, int]]:
    """Every Transfer (from, to, tokenId) the collection emitted, in chain order."""
    logs = web3.eth.get_logs({"address": collection.address, "fromBlock": 0, "toBlock": "latest",
                              "topics": [TRANSFER_TOPIC]})
    return [(_address(log["topics"][1]), _address(log["topics"][2]), int.from_bytes(bytes(log["topics"][3]), "big"))
            for log in logs]


def assert_ledger(collection, holders=()) -> dict[int, str]:
    """Checks the ledger as the module docstring says; returns the live owner of every token."""
    minted = collection.totalMinted()
    owners = list(collection.ownersInRange(1, minted)) if minted else []
    assert len(owners) == minted

    replayed: dict[int, str] = {}
    next_id = 1
    for sender, receiver, token in transfer_log(collection):
        if sender == ZERO_ADDRESS:
            assert token == next_id, f"minted {token} where {next_id} was next"
            next_id += 1
        else:
            assert replayed.get(token) == sender, f"token {token} moved by an event from a non-owner"
        replayed[token] = receiver
    assert next_id - 1 == minted, "Transfer events and totalMinted disagree"
    assert [replayed[i] for i in range(1, minted + 1)] == owners, "events and ownersInRange disagree"

    live = Counter(owner for owner in owners if owner != ZERO_ADDRESS)
    assert collection.totalSupply() == sum(live.values())
    for holder in set(live) | {str(h) for h in holders}:
        assert collection.balanceOf(holder) == live.get(holder, 0), f"balance of {holder}"
    owned = {i: owner for i, owner in enumerate(owners, start=1) if owner != ZERO_ADDRESS}
    for token, owner in owned.items():
        assert collection.ownerOf(token) == owner
    return owned
