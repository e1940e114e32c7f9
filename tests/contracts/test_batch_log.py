"""The batch log: how a token inside a batch finds its batch's word (ERC721Sequential).

The first IDs of batches of more than one token are logged: the newest one to four in the
mint-time word (storage slot 0), older ones packed eight to a slot, four at a time. These tests
mint enough batches to fill several slots, interleaved with single tokens (which are not logged),
then move tokens at every kind of place (a batch's first ID, inside, last; in a batch whose entry
is in a slot, in the word, on a slot's edge) and check every owner against a model and against the
Transfer events, the arrival times, and that a transfer stays cheap however old its batch.
"""

from __future__ import annotations

import brownie
from brownie import ZERO_ADDRESS, chain, web3

from tests.contracts.ledger import assert_ledger
from tests.contracts.params import err

# 30 batches, 21 of them of more than one token: entries 0-19 end in three log slots (the third
# half full), entry 20 in the mint-time word.
QUANTITIES = [3, 1, 2, 5, 1, 4, 2, 1, 7, 2, 3, 1, 1, 6, 2, 2, 1, 9, 3, 2, 1, 4, 2, 5, 1, 1, 3, 2, 8, 2]


def batches(quantities) -> list[tuple[int, int]]:
    """(first ID, quantity) of each batch, IDs from 1."""
    out, first = [], 1
    for quantity in quantities:
        out.append((first, quantity))
        first += quantity
    return out


def log_count(collection) -> int:
    """The number of entries ever logged, from bits 128-158 of the mint-time word."""
    word = int.from_bytes(bytes(web3.eth.get_storage_at(collection.address, 0)), "big")
    return word >> 128 & (2**31 - 1)


def test_owners_across_log_slots_and_word(collection, issuer, accounts):
    holders = accounts[1:5]
    recipients = [holders[i % 4] for i in range(len(QUANTITIES))]
    collection.airdrop(recipients, QUANTITIES, {"from": issuer})
    assert log_count(collection) == sum(q > 1 for q in QUANTITIES) == 21
    model = {}
    for (first, quantity), holder in zip(batches(QUANTITIES), recipients):
        model.update({token: holder for token in range(first, first + quantity)})
    assert assert_ledger(collection, holders) == model

    # First, inside and last tokens of batches logged in slot 0, slot 1 and the word, and a single.
    stranger = accounts[6]
    moves = []
    for index in (0, 3, 8, 13, 17, 19, 28, 29, 1):
        first, quantity = batches(QUANTITIES)[index]
        moves += sorted({first, first + quantity // 2, first + quantity - 1})
    for token in moves:
        collection.transferFrom(model[token], stranger, token, {"from": model[token]})
        model[token] = stranger
    assert assert_ledger(collection, [*holders, stranger]) == model

    # The batch's first token moved away and back: its neighbours never followed it.
    first, quantity = batches(QUANTITIES)[17]
    owner = recipients[17]
    collection.transferFrom(stranger, owner, first, {"from": stranger})
    model[first] = owner
    collection.burn(first + 1, {"from": owner})
    del model[first + 1]
    with brownie.reverts(err("ERC721NonexistentToken", first + 1)):
        collection.ownerOf(first + 1)
    assert collection.ownersInRange(first, first + quantity - 1) == (
        [owner, ZERO_ADDRESS] + [model[t] for t in range(first + 2, first + quantity)])
    assert assert_ledger(collection, [*holders, stranger]) == model


def test_arrival_times_across_flushes(collection, issuer, accounts):
    """Twelve batches of two or three in their own blocks, chain time moved between them: every
    token inside a batch reports its batch's block time, while the log's entries move from the
    word to slots."""
    a = accounts[1]
    times = {}
    first = 1
    for i in range(12):
        quantity = 2 + i % 2
        chain.sleep(1000)
        tx = collection.mint(a, quantity, {"from": issuer})
        stamp = web3.eth.get_block(tx.block_number)["timestamp"]
        times.update({token: stamp for token in range(first, first + quantity)})
        first += quantity
    assert log_count(collection) == 12
    assert [collection.heldSince(token) for token in sorted(times)] == [times[t] for t in sorted(times)]
    # A moved token arrives anew; its batch's other tokens keep the batch's time.
    tx = collection.transferFrom(a, accounts[2], 1, {"from": a})
    assert collection.heldSince(1) == web3.eth.get_block(tx.block_number)["timestamp"] != times[1]
    assert collection.heldSince(2) == times[2]


def test_a_transfer_costs_the_same_in_an_old_batch(collection, issuer, accounts):
    """100 batches of two (100 log entries, 12 slots and the word): moving the last token of the
    first batch, of a middle one and of the newest costs at most 100,000 gas each, within a few
    slot reads of one another."""
    holder = accounts[1]
    collection.airdrop([holder] * 100, [2] * 100, {"from": issuer})
    assert log_count(collection) == 100
    # each to an account that holds none yet: the same balance writes for all three
    gas = {token: collection.transferFrom(holder, receiver, token, {"from": holder}).gas_used
           for token, receiver in zip((2, 100, 200), accounts[2:5])}
    assert all(used <= 100_000 for used in gas.values()), gas
    # A binary search over 12 slots reads at most 5 of them (2,100 gas each, cold).
    assert max(gas.values()) - min(gas.values()) <= 5 * 2_200, gas
    assert assert_ledger(collection, [holder, *accounts[2:5]])[100] == accounts[3]
