"""Transfers and approvals, in the ordinary and the non-transferable mode."""

from __future__ import annotations

import brownie
from brownie import ZERO_ADDRESS

from tests.contracts.params import err


def test_transfer_inside_a_batch_keeps_the_neighbours(collection, issuer, accounts):
    a, b = accounts[1], accounts[2]
    collection.mint(a, 10, {"from": issuer})
    tx = collection.transferFrom(a, b, 5, {"from": a})
    assert dict(tx.events["Transfer"]) == {"from": a, "to": b, "tokenId": 5}
    assert [collection.ownerOf(i) for i in range(1, 11)] == [a] * 4 + [b] + [a] * 5
    collection.transferFrom(a, b, 10, {"from": a})  # the last one: no next slot to keep
    collection.transferFrom(b, a, 5, {"from": b})
    assert collection.balanceOf(a) == 9 and collection.balanceOf(b) == 1


def test_approvals_and_operators(collection, issuer, accounts):
    owner, spender, operator, stranger = accounts[1:5]
    collection.mint(owner, 3, {"from": issuer})
    with brownie.reverts(err("ERC721InsufficientApproval", stranger.address, 1)):
        collection.transferFrom(owner, stranger, 1, {"from": stranger})
    tx = collection.approve(spender, 1, {"from": owner})
    assert dict(tx.events["Approval"]) == {"owner": owner, "approved": spender, "tokenId": 1}
    collection.transferFrom(owner, spender, 1, {"from": spender})
    assert collection.getApproved(1) == ZERO_ADDRESS  # cleared by the transfer
    collection.setApprovalForAll(operator, True, {"from": owner})
    collection.safeTransferFrom(owner, stranger, 2, {"from": operator})
    assert collection.ownerOf(2) == stranger
    with brownie.reverts():
        collection.approve(spender, 3, {"from": stranger})
    with brownie.reverts(err("ERC721IncorrectOwner", stranger.address, 3, owner.address)):
        collection.transferFrom(stranger, spender, 3, {"from": operator})
    with brownie.reverts():
        collection.transferFrom(owner, ZERO_ADDRESS, 3, {"from": owner})


def test_safe_transfer_checks_the_receiver(collection, issuer, accounts, ERC721ReceiverMock):
    holder = accounts[1]
    collection.mint(holder, 2, {"from": issuer})
    good = ERC721ReceiverMock.deploy(0, {"from": issuer})
    bad = ERC721ReceiverMock.deploy(1, {"from": issuer})
    collection.safeTransferFrom(holder, good, 1, {"from": holder})
    assert good.received() == 1
    with brownie.reverts():
        collection.safeTransferFrom(holder, bad, 2, {"from": holder})
    assert collection.ownerOf(2) == holder


def test_non_transferable_refuses_every_path(soulbound, issuer, accounts):
    holder, other = accounts[1], accounts[2]
    assert soulbound.nonTransferable()
    soulbound.mint(holder, 3, {"from": issuer})
    calls = [
        lambda: soulbound.transferFrom(holder, other, 1, {"from": holder}),
        lambda: soulbound.safeTransferFrom(holder, other, 1, {"from": holder}),
        lambda: soulbound.safeTransferFrom["address,address,uint256,bytes"](holder, other, 1, b"", {"from": holder}),
        lambda: soulbound.approve(other, 1, {"from": holder}),
        lambda: soulbound.setApprovalForAll(other, True, {"from": holder}),
    ]
    for call in calls:
        with brownie.reverts(err("NonTransferable")):
            call()
    # Minting and burning by the holder still work.
    soulbound.burn(2, {"from": holder})
    soulbound.airdrop([other], [1], {"from": issuer})
    assert soulbound.ownersInRange(1, 4) == [holder, ZERO_ADDRESS, holder, other]
