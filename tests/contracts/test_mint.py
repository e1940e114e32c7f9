"""Minting: sequential IDs from 1, the cap, airdrops, pause, safe mint and receivers, burning."""

from __future__ import annotations

import brownie
import pytest
from brownie import ZERO_ADDRESS

from tests.contracts.params import CAP, err


def test_ids_are_sequential_from_one_with_one_transfer_event_each(collection, issuer, accounts):
    tx = collection.mint(accounts[1], 3, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Transfer"]] == [1, 2, 3]
    assert all(e["from"] == ZERO_ADDRESS and e["to"] == accounts[1] for e in tx.events["Transfer"])
    tx = collection.mint(accounts[2], 6, {"from": issuer})  # 6 = one head token + a block of four
    assert [e["tokenId"] for e in tx.events["Transfer"]] == list(range(4, 10))
    assert [collection.ownerOf(i) for i in range(1, 10)] == [accounts[1]] * 3 + [accounts[2]] * 6
    assert collection.balanceOf(accounts[1]) == 3 and collection.balanceOf(accounts[2]) == 6
    assert collection.totalSupply() == collection.totalMinted() == 9


@pytest.mark.parametrize("quantity", [1, 2, 3, 4, 5, 7, 8, 13])
def test_every_batch_size_emits_exactly_its_ids(collection, issuer, accounts, quantity):
    tx = collection.mint(accounts[1], quantity, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Transfer"]] == list(range(1, quantity + 1))


def test_supply_cap_is_enforced(deploy, issuer, accounts):
    small = deploy(cap=5)
    small.mint(accounts[1], 4, {"from": issuer})
    with brownie.reverts(err("MaxSupplyExceeded", 2, 1)):
        small.mint(accounts[1], 2, {"from": issuer})  # MaxSupplyExceeded(2, 1)
    small.mint(accounts[1], 1, {"from": issuer})
    assert small.totalMinted() == 5 == small.maxSupply()
    with brownie.reverts(err("MaxSupplyExceeded", 1, 0)):
        small.mint(accounts[1], 1, {"from": issuer})


@pytest.mark.parametrize("quantity", [0, CAP + 1, 2**64, 2**255, 2**256 - 1])
def test_zero_and_huge_quantities_revert(collection, issuer, accounts, quantity):
    expected = err("MintZeroQuantity") if quantity == 0 else err("MaxSupplyExceeded", quantity, CAP)
    with brownie.reverts(expected):
        collection.mint(accounts[1], quantity, {"from": issuer})
    assert collection.totalMinted() == 0


def test_mint_to_zero_address_reverts(collection, issuer):
    with brownie.reverts():
        collection.mint(ZERO_ADDRESS, 1, {"from": issuer})


def test_airdrop_mints_to_many_in_one_transaction(collection, issuer, accounts):
    recipients = [accounts[1], accounts[2], accounts[3]]
    tx = collection.airdrop(recipients, [1, 3, 2], {"from": issuer})
    assert [(e["to"], e["tokenId"]) for e in tx.events["Transfer"]] == [
        (accounts[1], 1), (accounts[2], 2), (accounts[2], 3), (accounts[2], 4),
        (accounts[3], 5), (accounts[3], 6)]
    assert [collection.ownerOf(i) for i in range(1, 7)] == [accounts[1]] + [accounts[2]] * 3 + [accounts[3]] * 2
    assert collection.totalSupply() == 6


@pytest.mark.parametrize("recipients,quantities", [
    (2, [1]),          # length mismatch
    (0, []),           # nothing to mint
    (2, [1, 0]),       # a zero quantity
    (2, [1, 2**256 - 1]),  # overflowing total
    (2, [CAP, 1]),     # over the cap in total
])
def test_bad_airdrops_revert_whole(collection, issuer, accounts, recipients, quantities):
    with brownie.reverts():
        collection.airdrop(accounts[1:1 + recipients], quantities, {"from": issuer})
    assert collection.totalMinted() == 0


def test_pause_stops_minting_only(collection, issuer, accounts):
    collection.mint(accounts[1], 2, {"from": issuer})
    tx = collection.pauseMinting({"from": issuer})
    assert tx.events["MintingPaused"]["account"] == issuer
    assert collection.mintingPaused()
    for call in (lambda: collection.mint(accounts[1], 1, {"from": issuer}),
                 lambda: collection.safeMint(accounts[1], 1, {"from": issuer}),
                 lambda: collection.airdrop([accounts[1]], [1], {"from": issuer})):
        with brownie.reverts(err("MintingIsPaused")):
            call()
    collection.transferFrom(accounts[1], accounts[2], 1, {"from": accounts[1]})
    collection.burn(2, {"from": accounts[1]})
    tx = collection.unpauseMinting({"from": issuer})
    assert tx.events["MintingUnpaused"]["account"] == issuer
    collection.mint(accounts[1], 1, {"from": issuer})
    assert collection.totalMinted() == 3


def test_safe_mint_calls_the_receiver_for_every_token(collection, issuer, ERC721ReceiverMock):
    receiver = ERC721ReceiverMock.deploy(0, {"from": issuer})
    tx = collection.safeMint(receiver, 3, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Received"]] == [1, 2, 3]
    assert receiver.received() == 3 and collection.balanceOf(receiver) == 3


@pytest.mark.parametrize("mode", [1, 2])
def test_safe_mint_to_a_refusing_receiver_reverts(collection, issuer, ERC721ReceiverMock, mode):
    receiver = ERC721ReceiverMock.deploy(mode, {"from": issuer})
    with brownie.reverts():
        collection.safeMint(receiver, 2, {"from": issuer})
    assert collection.totalMinted() == 0


def test_safe_mint_reentered_by_the_receiver_reverts(collection, issuer, ERC721ReceiverMock):
    receiver = ERC721ReceiverMock.deploy(3, {"from": issuer})
    collection.grantRole(collection.MINTER_ROLE(), receiver, {"from": issuer})
    with brownie.reverts(err("ReentrantMint")):
        collection.safeMint(receiver, 2, {"from": issuer})
    assert collection.totalMinted() == 0


def test_burn_by_holder_or_approved_only(collection, issuer, accounts):
    holder, operator, stranger = accounts[1], accounts[2], accounts[3]
    collection.mint(holder, 5, {"from": issuer})
    with brownie.reverts():
        collection.burn(3, {"from": stranger})
    tx = collection.burn(3, {"from": holder})
    assert tx.events["Transfer"]["to"] == ZERO_ADDRESS and tx.events["Transfer"]["tokenId"] == 3
    collection.setApprovalForAll(operator, True, {"from": holder})
    collection.burn(5, {"from": operator})
    assert collection.totalSupply() == 3 and collection.totalMinted() == 5
    assert collection.balanceOf(holder) == 3
    for burned in (3, 5):
        with brownie.reverts():
            collection.ownerOf(burned)
        with brownie.reverts():
            collection.burn(burned, {"from": holder})
    # Tokens beside a burned one keep their owner.
    assert [collection.ownerOf(i) for i in (1, 2, 4)] == [holder] * 3
    assert collection.ownersInRange(1, 10) == [holder, holder, ZERO_ADDRESS, holder, ZERO_ADDRESS]


def test_owners_in_range_matches_owner_of(collection, issuer, accounts):
    collection.airdrop([accounts[1], accounts[2], accounts[1]], [3, 1, 4], {"from": issuer})
    collection.transferFrom(accounts[1], accounts[3], 2, {"from": accounts[1]})
    owners = collection.ownersInRange(0, 2**256 - 1)
    assert owners == [collection.ownerOf(i) for i in range(1, 9)]
    assert collection.ownersInRange(3, 4) == owners[2:4]
    assert collection.ownersInRange(9, 20) == []


def test_an_airdrop_address_with_bits_above_160_is_refused(collection, issuer, accounts):
    """The airdrop reads its arrays from calldata without the ABI decoder: a recipient word with
    bits above its 160 is refused, as the decoder would, and nothing is minted."""
    data = bytearray(bytes.fromhex(collection.airdrop.encode_input([accounts[1], accounts[2]], [1, 2])[2:]))
    word = data.index(bytes.fromhex(accounts[2].address[2:].lower()))  # the second recipient
    data[word - 1] = 0x01  # a bit above the address, inside its 32-byte word
    with brownie.reverts():
        issuer.transfer(collection, data="0x" + data.hex(), gas_limit=1_000_000)
    assert collection.totalMinted() == 0
    collection.airdrop([accounts[1], accounts[2]], [1, 2], {"from": issuer})  # the clean call mints
    assert [collection.ownerOf(i) for i in (1, 2, 3)] == [accounts[1], accounts[2], accounts[2]]
