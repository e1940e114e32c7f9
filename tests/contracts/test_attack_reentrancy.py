"""Re-entrancy through a receiver contract, on safe mint and on safe transfer.

contracts/test/ReentrantReceiver.sol calls back into the collection from `onERC721Received`. A mint
of any kind during a safe mint must make the whole safe mint revert (a receiver must not be able
to interleave IDs into a batch); everything else a holder may do (move, burn, approve) may happen
inside the callback, and afterwards the ledger (tests/contracts/ledger.py) must still hold:
every ID minted once and in order, owners and balances consistent with the Transfer events.
"""

from __future__ import annotations

import brownie
import pytest
from brownie import ZERO_ADDRESS
from web3 import Web3

from tests.contracts.ledger import assert_ledger
from tests.contracts.params import err

# ReentrantReceiver.Action
NONE, MINT, SAFE_MINT, AIRDROP, TRANSFER, SAFE_TRANSFER, BURN, APPROVE, APPROVE_ALL, PULL = range(10)
MINTER_ROLE = Web3.keccak(text="MINTER_ROLE")


def selector(signature: str) -> bytes:
    return bytes(Web3.keccak(text=signature)[:4])


@pytest.fixture
def receiver(collection, issuer, ReentrantReceiver):
    return ReentrantReceiver.deploy(collection, {"from": issuer})


@pytest.fixture
def minting_receiver(collection, issuer, receiver):
    """A receiver that holds the minter role, so its re-entrant mints pass the role check."""
    collection.grantRole(MINTER_ROLE, receiver, {"from": issuer})
    return receiver


# --- safe mint -------------------------------------------------------------------------------

# Each kind of mint, to the receiver itself (a safe mint then nests callbacks three deep) and to
# another account, during a single-token and a batch safe mint.
@pytest.mark.parametrize("action,to_self,quantity", [
    (MINT, True, 5), (MINT, False, 1),
    (SAFE_MINT, True, 5), (SAFE_MINT, False, 1),
    (AIRDROP, True, 1), (AIRDROP, False, 5),
], ids=["mint-to-itself", "mint-to-another", "safeMint-to-itself", "safeMint-to-another",
        "airdrop-to-itself", "airdrop-to-another"])
def test_a_mint_inside_a_safe_mint_reverts_it_whole(collection, issuer, accounts, minting_receiver,
                                                    action, quantity, to_self):
    target = minting_receiver if to_self else accounts[2]
    minting_receiver.arm(action, target, 3, False, {"from": issuer})
    with brownie.reverts(err("ReentrantMint")):
        collection.safeMint(minting_receiver, quantity, {"from": issuer})
    assert collection.totalMinted() == 0
    assert collection.balanceOf(minting_receiver) == 0 and collection.balanceOf(accounts[2]) == 0
    # The same receiver is served normally once it stops re-entering.
    minting_receiver.arm(NONE, ZERO_ADDRESS, 0, False, {"from": issuer})
    collection.safeMint(minting_receiver, quantity, {"from": issuer})
    assert assert_ledger(collection, [minting_receiver, accounts[2]]) == {i: minting_receiver for i in range(1, quantity + 1)}


def test_a_caught_reentrant_mint_still_reverts_the_safe_mint(collection, issuer, minting_receiver):
    # Catching its own inner call cannot help the receiver: the inner mint succeeded, so the
    # outer safe mint sees the IDs move and refuses.
    minting_receiver.arm(MINT, minting_receiver, 1, True, {"from": issuer})
    with brownie.reverts(err("ReentrantMint")):
        collection.safeMint(minting_receiver, 2, {"from": issuer})
    assert collection.totalMinted() == 0


def test_a_receiver_without_the_role_cannot_mint_from_the_callback(collection, issuer, receiver):
    receiver.arm(MINT, receiver, 5, True, {"from": issuer})
    collection.safeMint(receiver, 3, {"from": issuer})
    assert receiver.refused() == 3 and receiver.reentered() == 0
    assert bytes(receiver.lastError())[:4] == selector("AccessControlUnauthorizedAccount(address,bytes32)")
    assert assert_ledger(collection, [receiver]) == {1: receiver, 2: receiver, 3: receiver}
    # Not caught, the refusal reverts the safe mint.
    receiver.arm(MINT, receiver, 1, False, {"from": issuer})
    with brownie.reverts(err("AccessControlUnauthorizedAccount", receiver.address, bytes(MINTER_ROLE))):
        collection.safeMint(receiver, 1, {"from": issuer})
    assert collection.totalMinted() == 3


def test_callbacks_see_the_whole_batch_already_recorded(collection, issuer, receiver):
    # Effects before interactions: at every callback the batch is minted and credited.
    collection.mint(issuer, 2, {"from": issuer})
    tx = collection.safeMint(receiver, 5, {"from": issuer})
    assert [(e["operator"], e["from"], e["tokenId"]) for e in tx.events["Callback"]] == [
        (issuer, ZERO_ADDRESS, token) for token in range(3, 8)]
    for token in range(3, 8):
        assert receiver.ownerAtCallback(token) == receiver
        assert receiver.balanceAtCallback(token) == 5
        assert receiver.mintedAtCallback(token) == 7
    assert_ledger(collection, [receiver, issuer])


@pytest.mark.parametrize("budget", [1, 5])
def test_burning_inside_the_safe_mint_callbacks(collection, issuer, receiver, budget):
    # Burning the batch's first token while the batch is being delivered: the rest of the batch
    # must keep its owner (the burn initializes the next slot), and burned IDs are never reused.
    receiver.arm(BURN, ZERO_ADDRESS, budget, False, {"from": issuer})
    collection.safeMint(receiver, 5, {"from": issuer})
    assert receiver.reentered() == budget
    owned = assert_ledger(collection, [receiver])
    assert owned == {i: receiver for i in range(budget + 1, 6)}
    collection.mint(issuer, 1, {"from": issuer})
    assert collection.ownerOf(6) == issuer
    assert_ledger(collection, [receiver, issuer])


@pytest.mark.parametrize("action", [TRANSFER, SAFE_TRANSFER], ids=["transferFrom", "safeTransferFrom"])
def test_moving_tokens_on_inside_the_safe_mint_callbacks(collection, issuer, accounts, receiver,
                                                         ReentrantReceiver, action):
    onward = ReentrantReceiver.deploy(collection, {"from": issuer})
    receiver.arm(action, onward, 3, False, {"from": issuer})
    tx = collection.safeMint(receiver, 4, {"from": issuer})
    assert receiver.reentered() == 3
    # The onward receiver is called only by the safe transfers.
    assert onward.callbacks() == (3 if action == SAFE_TRANSFER else 0)
    assert [e["tokenId"] for e in tx.events["Transfer"] if e["from"] == ZERO_ADDRESS] == [1, 2, 3, 4]
    assert assert_ledger(collection, [receiver, onward]) == {1: onward, 2: onward, 3: onward, 4: receiver}


def test_approvals_set_inside_the_callback_work_and_are_cleared(collection, issuer, accounts, receiver):
    spender = accounts[4]
    receiver.arm(APPROVE, spender, 2, False, {"from": issuer})
    collection.safeMint(receiver, 2, {"from": issuer})
    assert collection.getApproved(1) == spender and collection.getApproved(2) == spender
    collection.transferFrom(receiver, spender, 2, {"from": spender})
    assert collection.getApproved(2) == ZERO_ADDRESS
    assert assert_ledger(collection, [receiver, spender]) == {1: receiver, 2: spender}


# --- safe transfer ----------------------------------------------------------------------------

def test_pulling_the_same_token_twice_is_refused(collection, issuer, accounts, receiver):
    # The holder made the receiver its operator; the receiver, handed token 1 by a safe transfer,
    # tries to take token 1 from the holder once more inside the callback.
    holder = accounts[1]
    collection.mint(holder, 3, {"from": issuer})
    collection.setApprovalForAll(receiver, True, {"from": holder})
    receiver.arm(PULL, ZERO_ADDRESS, 1, True, {"from": issuer})
    collection.safeTransferFrom(holder, receiver, 1, {"from": holder})
    assert receiver.refused() == 1
    error = bytes(receiver.lastError())
    assert error[:4] == selector("ERC721IncorrectOwner(address,uint256,address)")
    assert error[4:] == bytes(12) + bytes.fromhex(holder.address[2:]) + (1).to_bytes(32, "big") + \
        bytes(12) + bytes.fromhex(receiver.address[2:])
    assert assert_ledger(collection, [holder, receiver]) == {1: receiver, 2: holder, 3: holder}
    # Uncaught, the refusal reverts the safe transfer: the token stays with the holder.
    receiver.arm(PULL, ZERO_ADDRESS, 1, False, {"from": issuer})
    with brownie.reverts(err("ERC721IncorrectOwner", holder.address, 2, receiver.address)):
        collection.safeTransferFrom(holder, receiver, 2, {"from": holder})
    assert collection.ownerOf(2) == holder


@pytest.mark.parametrize("action", [TRANSFER, BURN], ids=["send-back", "burn"])
def test_undoing_a_safe_transfer_inside_its_callback(collection, issuer, accounts, receiver, action):
    holder = accounts[1]
    collection.mint(holder, 2, {"from": issuer})
    receiver.arm(action, holder, 1, False, {"from": issuer})
    collection.safeTransferFrom(holder, receiver, 1, {"from": holder})
    assert receiver.ownerAtCallback(1) == receiver and receiver.reentered() == 1
    expected = {1: holder, 2: holder} if action == TRANSFER else {2: holder}
    assert assert_ledger(collection, [holder, receiver]) == expected


def test_safe_transfer_ping_pong_between_two_receivers(collection, issuer, accounts, ReentrantReceiver):
    # A passes the token to B inside its callback, B passes it back inside its own, three times
    # each: nested callbacks six deep, one token, one owner at the end.
    holder = accounts[1]
    a = ReentrantReceiver.deploy(collection, {"from": issuer})
    b = ReentrantReceiver.deploy(collection, {"from": issuer})
    a.arm(SAFE_TRANSFER, b, 3, False, {"from": issuer})
    b.arm(SAFE_TRANSFER, a, 3, False, {"from": issuer})
    collection.mint(holder, 1, {"from": issuer})
    tx = collection.safeTransferFrom(holder, a, 1, {"from": holder})
    assert len(tx.events["Transfer"]) == 7 and a.callbacks() == 4 and b.callbacks() == 3
    assert assert_ledger(collection, [holder, a, b]) == {1: a}


def test_a_minter_may_mint_during_a_safe_transfer(collection, issuer, accounts, minting_receiver):
    # The re-entrant-mint guard is about safe mints: during a safe transfer, a mint by a minter
    # is an ordinary mint and takes the next IDs.
    holder = accounts[1]
    collection.mint(holder, 2, {"from": issuer})
    minting_receiver.arm(AIRDROP, accounts[3], 1, False, {"from": issuer})
    collection.safeTransferFrom(holder, minting_receiver, 2, {"from": holder})
    assert assert_ledger(collection, [holder, minting_receiver, accounts[3]]) == {
        1: holder, 2: minting_receiver, 3: accounts[3]}


def test_airdrop_and_mint_never_call_receivers(collection, issuer, receiver):
    receiver.arm(BURN, ZERO_ADDRESS, 5, False, {"from": issuer})
    collection.mint(receiver, 2, {"from": issuer})
    collection.airdrop([receiver], [2], {"from": issuer})
    assert receiver.callbacks() == 0
    assert assert_ledger(collection, [receiver]) == {i: receiver for i in range(1, 5)}
