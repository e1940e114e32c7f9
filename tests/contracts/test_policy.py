"""Transfer policies fixed at deployment: every transfer and approval path under each policy,
with the chain's clock moved forward.

gift_after_hold: only the holder may move a token (approvals and operators refused), and only
from the second `heldSince + holdSeconds` on; the receiver's hold starts at its arrival. The
boundary is tried in blocks mined at an exact timestamp (ganache's miner stopped, the pending
transaction mined by `evm_mine` with that timestamp).
"""

from __future__ import annotations

import brownie
import pytest
from brownie import ZERO_ADDRESS, chain, web3

from tests.contracts.ledger import assert_ledger
from tests.contracts.params import DAY, FREE, GIFT_AFTER_HOLD, NON_TRANSFERABLE, err

HOLD_DAYS = 30
ERC5192 = "0xb45a3c0e"

MOVES = {
    "transferFrom": lambda c, s, frm, to, i: c.transferFrom(frm, to, i, {"from": s}),
    "safeTransferFrom": lambda c, s, frm, to, i: c.safeTransferFrom(frm, to, i, {"from": s}),
    "safeTransferFrom+data": lambda c, s, frm, to, i: c.safeTransferFrom["address,address,uint256,bytes"](
        frm, to, i, b"\x01", {"from": s}),
}
APPROVALS = {
    "approve": lambda c, s, to, i: c.approve(to, i, {"from": s}),
    "approve-zero": lambda c, s, to, i: c.approve(ZERO_ADDRESS, i, {"from": s}),
    "setApprovalForAll": lambda c, s, to, i: c.setApprovalForAll(to, True, {"from": s}),
    "setApprovalForAll-false": lambda c, s, to, i: c.setApprovalForAll(to, False, {"from": s}),
}


@pytest.fixture(scope="module")
def gifted(deploy):
    return deploy(policy=GIFT_AFTER_HOLD, hold_days=HOLD_DAYS)


def block_time(tx) -> int:
    return web3.eth.get_block(tx.block_number)["timestamp"]


def mined_at(timestamp: int, send):
    """Sends a transaction with the miner stopped, then mines it in a block of `timestamp`."""
    web3.provider.make_request("miner_stop", [])
    try:
        tx = send({"required_confs": 0, "gas_limit": 500_000, "allow_revert": True})
    finally:
        web3.provider.make_request("evm_mine", [{"timestamp": timestamp}])
        web3.provider.make_request("miner_start", [])
    tx.wait(1)
    assert block_time(tx) == timestamp
    return tx


@pytest.mark.parametrize("policy,days", [(3, 0), (FREE, 1), (NON_TRANSFERABLE, 5), (GIFT_AFTER_HOLD, 0)])
def test_a_policy_and_hold_that_do_not_fit_are_refused(deploy, policy, days):
    with brownie.reverts(err("InvalidTransferPolicy", policy, days)):
        deploy(policy=policy, hold_days=days)


def test_the_policy_is_readable_and_immutable(collection, soulbound, gifted):
    assert (collection.transferPolicy(), collection.holdDays(), collection.holdSeconds()) == (FREE, 0, 0)
    assert (soulbound.transferPolicy(), soulbound.nonTransferable()) == (NON_TRANSFERABLE, True)
    assert (gifted.transferPolicy(), gifted.holdDays(), gifted.holdSeconds()) == (GIFT_AFTER_HOLD, 30, 30 * DAY)
    assert not gifted.nonTransferable()
    assert soulbound.supportsInterface(ERC5192)
    assert not collection.supportsInterface(ERC5192) and not gifted.supportsInterface(ERC5192)


def test_erc5192_locked_and_its_events(soulbound, collection, issuer, accounts):
    tx = soulbound.mint(accounts[1], 3, {"from": issuer})
    assert [dict(e) for e in tx.events["Locked"]] == [{"tokenId": i} for i in (1, 2, 3)]
    assert all(soulbound.locked(i) for i in (1, 2, 3))
    for missing in (0, 4):
        with brownie.reverts(err("ERC721NonexistentToken", missing)):
            soulbound.locked(missing)
    soulbound.burn(2, {"from": accounts[1]})
    with brownie.reverts(err("ERC721NonexistentToken", 2)):
        soulbound.locked(2)
    assert soulbound.transferableAt(1) == 2**256 - 1
    tx = collection.mint(accounts[1], 2, {"from": issuer})
    assert "Locked" not in tx.events and not collection.locked(1) and collection.transferableAt(1) == 0


@pytest.mark.parametrize("path", MOVES)
def test_free_every_path_moves_and_restarts_the_hold(collection, issuer, accounts, path):
    holder, operator, to = accounts[1], accounts[2], accounts[3]
    tx = collection.mint(holder, 3, {"from": issuer})
    assert collection.heldSince(2) == block_time(tx)
    MOVES[path](collection, holder, holder, to, 1)
    collection.approve(operator, 2, {"from": holder})
    MOVES[path](collection, operator, holder, to, 2)
    collection.setApprovalForAll(operator, True, {"from": holder})
    tx = MOVES[path](collection, operator, holder, to, 3)
    assert collection.heldSince(3) == block_time(tx)
    assert assert_ledger(collection, [holder, to]) == {1: to, 2: to, 3: to}


@pytest.mark.parametrize("path", MOVES)
def test_gift_after_hold_refuses_an_early_gift_and_allows_it_from_the_boundary_second(gifted, issuer, accounts, path):
    holder, friend = accounts[1], accounts[2]
    tx = gifted.mint(holder, 5, {"from": issuer})
    since = block_time(tx)
    at = since + HOLD_DAYS * DAY
    assert gifted.heldSince(4) == since and gifted.transferableAt(4) == at
    with brownie.reverts(err("HoldNotOver", 4, at)):
        MOVES[path](gifted, holder, holder, friend, 4)
    chain.sleep(HOLD_DAYS * DAY - 3600)  # an hour short
    chain.mine()
    with brownie.reverts(err("HoldNotOver", 4, at)):
        MOVES[path](gifted, holder, holder, friend, 4)
    early = mined_at(at - 1, lambda opts: MOVES_OPTS[path](gifted, holder, friend, 4, opts))
    assert early.status == 0 and gifted.ownerOf(4) == holder
    on_time = mined_at(at, lambda opts: MOVES_OPTS[path](gifted, holder, friend, 4, opts))
    assert on_time.status == 1 and gifted.ownerOf(4) == friend
    # The friend's hold starts at the gift: it may not pass the token on before its own period.
    assert gifted.heldSince(4) == at and gifted.transferableAt(4) == at + HOLD_DAYS * DAY
    with brownie.reverts(err("HoldNotOver", 4, at + HOLD_DAYS * DAY)):
        gifted.transferFrom(friend, holder, 4, {"from": friend})
    # The neighbours in the batch keep the holder and the mint's time.
    assert [gifted.ownerOf(i) for i in (3, 5)] == [holder, holder]
    assert gifted.heldSince(5) == since and gifted.heldSince(3) == since
    chain.sleep(HOLD_DAYS * DAY)
    chain.mine()
    gifted.transferFrom(friend, accounts[3], 4, {"from": friend})
    assert assert_ledger(gifted, [holder, friend, accounts[3]]) == {1: holder, 2: holder, 3: holder,
                                                                   4: accounts[3], 5: holder}


MOVES_OPTS = {
    "transferFrom": lambda c, frm, to, i, o: c.transferFrom(frm, to, i, {"from": frm, **o}),
    "safeTransferFrom": lambda c, frm, to, i, o: c.safeTransferFrom(frm, to, i, {"from": frm, **o}),
    "safeTransferFrom+data": lambda c, frm, to, i, o: c.safeTransferFrom["address,address,uint256,bytes"](
        frm, to, i, b"\x01", {"from": frm, **o}),
}


@pytest.mark.parametrize("path", APPROVALS)
def test_gift_after_hold_refuses_every_approval_even_after_the_hold(gifted, issuer, accounts, path):
    holder, market = accounts[1], accounts[2]
    gifted.mint(holder, 2, {"from": issuer})
    for moved in (False, True):
        for sender in (holder, issuer, market):
            with brownie.reverts(err("ApprovalsDisabled")):
                APPROVALS[path](gifted, sender, market, 1)
        chain.sleep(HOLD_DAYS * DAY + 1)
        chain.mine()
    assert gifted.getApproved(1) == ZERO_ADDRESS and not gifted.isApprovedForAll(holder, market)


@pytest.mark.parametrize("path", MOVES)
def test_gift_after_hold_nobody_but_the_holder_moves_a_token(gifted, issuer, accounts, path):
    holder, market = accounts[1], accounts[2]
    gifted.mint(holder, 2, {"from": issuer})
    chain.sleep(HOLD_DAYS * DAY + 1)
    chain.mine()
    for sender in (issuer, market):  # past the hold, still no one else: the issuer has no power either
        with brownie.reverts(err("ERC721InsufficientApproval", sender.address, 1)):
            MOVES[path](gifted, sender, holder, market, 1)
    MOVES[path](gifted, holder, holder, market, 1)
    assert gifted.ownerOf(1) == market


def test_gift_after_hold_a_holder_may_burn_at_any_time(gifted, issuer, accounts):
    holder = accounts[1]
    gifted.mint(holder, 2, {"from": issuer})
    with brownie.reverts(err("ERC721InsufficientApproval", issuer.address, 1)):
        gifted.burn(1, {"from": issuer})
    gifted.burn(1, {"from": holder})
    with brownie.reverts(err("ERC721NonexistentToken", 1)):
        gifted.heldSince(1)
    assert assert_ledger(gifted, [holder]) == {2: holder}


def test_the_arrival_time_survives_lookups_across_bitmap_words(collection, issuer, accounts):
    """A batch of 300 spans two words of the run-start bitmap; transfers in its middle split it."""
    a, b = accounts[1], accounts[2]
    collection.mint(a, 1, {"from": issuer})
    tx = collection.mint(a, 300, {"from": issuer})
    minted = block_time(tx)
    for token in (301, 256, 257, 2):
        collection.transferFrom(a, b, token, {"from": a})
    assert collection.ownersInRange(1, 301) == [a] + [b] + [a] * 253 + [b, b] + [a] * 43 + [b]
    assert collection.heldSince(255) == minted and collection.heldSince(258) == minted
    assert collection.heldSince(300) == minted
