"""Non-transferable mode: no token moves but by mint and burn, whoever asks and however.

Every transfer and approval entry point of ERC-721 is tried by the holder, by the issuer (admin
and minter) and by a stranger, including from inside a safe mint's receiver callback; approvals
that would merely clear are refused too, so no operator or approved account can ever exist.
"""

from __future__ import annotations

import brownie
import pytest
from brownie import ZERO_ADDRESS
from web3 import Web3

from tests.contracts.ledger import assert_ledger
from tests.contracts.params import err

# ReentrantReceiver.Action
TRANSFER, SAFE_TRANSFER, BURN, APPROVE, APPROVE_ALL = 4, 5, 6, 7, 8

PATHS = {
    "transferFrom": lambda c, s, frm, to: c.transferFrom(frm, to, 1, {"from": s}),
    "safeTransferFrom": lambda c, s, frm, to: c.safeTransferFrom(frm, to, 1, {"from": s}),
    "safeTransferFrom+data": lambda c, s, frm, to: c.safeTransferFrom["address,address,uint256,bytes"](
        frm, to, 1, b"\x01", {"from": s}),
    "transfer-to-self": lambda c, s, frm, to: c.transferFrom(frm, frm, 1, {"from": s}),
    "approve": lambda c, s, frm, to: c.approve(to, 1, {"from": s}),
    "approve-zero": lambda c, s, frm, to: c.approve(ZERO_ADDRESS, 1, {"from": s}),
    "setApprovalForAll": lambda c, s, frm, to: c.setApprovalForAll(to, True, {"from": s}),
    "setApprovalForAll-false": lambda c, s, frm, to: c.setApprovalForAll(to, False, {"from": s}),
}


@pytest.mark.parametrize("path", PATHS)
def test_no_path_moves_or_approves_a_token(soulbound, issuer, accounts, path):
    holder, stranger = accounts[1], accounts[2]
    soulbound.mint(holder, 2, {"from": issuer})
    for sender in (holder, issuer, stranger):
        with brownie.reverts(err("NonTransferable")):
            PATHS[path](soulbound, sender, holder, stranger)
    assert soulbound.getApproved(1) == ZERO_ADDRESS
    assert not soulbound.isApprovedForAll(holder, stranger) and not soulbound.isApprovedForAll(holder, issuer)
    assert assert_ledger(soulbound, [holder, stranger, issuer]) == {1: holder, 2: holder}


def test_a_safe_transfer_to_a_receiver_contract_is_refused(soulbound, issuer, accounts, ReentrantReceiver):
    holder = accounts[1]
    receiver = ReentrantReceiver.deploy(soulbound, {"from": issuer})
    soulbound.mint(holder, 1, {"from": issuer})
    with brownie.reverts(err("NonTransferable")):
        soulbound.safeTransferFrom(holder, receiver, 1, {"from": holder})
    assert receiver.callbacks() == 0 and soulbound.ownerOf(1) == holder


@pytest.mark.parametrize("action", [TRANSFER, SAFE_TRANSFER, APPROVE, APPROVE_ALL],
                         ids=["transferFrom", "safeTransferFrom", "approve", "setApprovalForAll"])
def test_a_receiver_cannot_pass_a_token_on_from_its_mint_callback(soulbound, issuer, accounts,
                                                                 ReentrantReceiver, action):
    receiver = ReentrantReceiver.deploy(soulbound, {"from": issuer})
    receiver.arm(action, accounts[2], 2, True, {"from": issuer})
    soulbound.safeMint(receiver, 2, {"from": issuer})
    assert receiver.refused() == 2 and receiver.reentered() == 0
    assert bytes(receiver.lastError()) == bytes(Web3.keccak(text="NonTransferable()")[:4])
    # Uncaught, the refusal reverts the safe mint.
    receiver.arm(action, accounts[2], 1, False, {"from": issuer})
    with brownie.reverts(err("NonTransferable")):
        soulbound.safeMint(receiver, 1, {"from": issuer})
    assert assert_ledger(soulbound, [receiver, accounts[2]]) == {1: receiver, 2: receiver}


def test_burning_works_for_the_holder_only_and_ids_are_never_reused(soulbound, issuer, accounts, ReentrantReceiver):
    holder, stranger = accounts[1], accounts[2]
    soulbound.mint(holder, 3, {"from": issuer})
    for sender in (issuer, stranger):  # the issuer has no power over a holder's token
        with brownie.reverts(err("ERC721InsufficientApproval", sender.address, 2)):
            soulbound.burn(2, {"from": sender})
    soulbound.burn(2, {"from": holder})
    # A receiver contract may burn its token from inside its own mint callback.
    receiver = ReentrantReceiver.deploy(soulbound, {"from": issuer})
    receiver.arm(BURN, ZERO_ADDRESS, 1, False, {"from": issuer})
    soulbound.safeMint(receiver, 2, {"from": issuer})
    soulbound.airdrop([stranger], [1], {"from": issuer})
    assert assert_ledger(soulbound, [holder, stranger, receiver]) == {1: holder, 3: holder, 5: receiver, 6: stranger}
    assert soulbound.totalMinted() == 6 and soulbound.totalSupply() == 4
