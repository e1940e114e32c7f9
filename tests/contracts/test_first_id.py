"""The first-ID guard of a pipelined mint (release 4): the three-argument `mint`, `safeMint` and
`airdrop` mint only from the first ID their caller planned, and revert with
`UnexpectedFirstId(expected, next)` otherwise, so transactions signed for consecutive ID ranges
revert after one of them failed instead of minting shifted IDs."""

from __future__ import annotations

import brownie
import pytest

from tests.contracts.params import err


def test_a_guarded_mint_mints_from_its_first_id(collection, issuer, accounts):
    tx = collection.mint(accounts[1], 3, 1, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Transfer"]] == [1, 2, 3]
    tx = collection.mint(accounts[2], 2, 4, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Transfer"]] == [4, 5]


@pytest.mark.parametrize("first", [0, 1, 3, 2**256 - 1])
def test_a_guarded_mint_from_another_id_reverts_and_mints_nothing(collection, issuer, accounts, first):
    collection.mint(accounts[1], 1, {"from": issuer})
    with brownie.reverts(err("UnexpectedFirstId", first, 2)):
        collection.mint(accounts[2], 1, first, {"from": issuer})
    with brownie.reverts(err("UnexpectedFirstId", first, 2)):
        collection.airdrop([accounts[2], accounts[3]], [1, 1], first, {"from": issuer})
    with brownie.reverts(err("UnexpectedFirstId", first, 2)):
        collection.safeMint(accounts[2], 1, first, {"from": issuer})
    assert collection.totalMinted() == 1 and collection.balanceOf(accounts[2]) == 0


def test_a_window_after_a_failed_batch_reverts_instead_of_shifting(collection, issuer, accounts):
    """Three batches planned for IDs 1..2, 3..4, 5..6: the first fails (minting paused), and once
    minting is resumed the later two, already signed for their planned IDs, revert."""
    collection.pauseMinting({"from": issuer})
    with brownie.reverts(err("MintingIsPaused")):  # the cause, when the ID is the right one
        collection.mint(accounts[1], 2, 1, {"from": issuer})
    collection.unpauseMinting({"from": issuer})
    with brownie.reverts(err("UnexpectedFirstId", 3, 1)):
        collection.airdrop([accounts[2], accounts[3]], [1, 1], 3, {"from": issuer})
    with brownie.reverts(err("UnexpectedFirstId", 5, 1)):
        collection.mint(accounts[4], 2, 5, {"from": issuer})
    assert collection.totalMinted() == 0


def test_another_minter_in_between_makes_the_planned_batch_revert(collection, issuer, accounts):
    minter = accounts[5]
    collection.grantRole(collection.MINTER_ROLE(), minter, {"from": issuer})
    collection.mint(accounts[1], 2, 1, {"from": issuer})
    collection.mint(minter, 1, 3, {"from": minter})  # lands before the issuer's next batch
    with brownie.reverts(err("UnexpectedFirstId", 3, 4)):
        collection.mint(accounts[2], 2, 3, {"from": issuer})
    tx = collection.mint(accounts[2], 2, 4, {"from": issuer})  # re-planned from the next ID
    assert [e["tokenId"] for e in tx.events["Transfer"]] == [4, 5]


def test_the_guard_keeps_the_other_checks(collection, deploy, issuer, accounts):
    with brownie.reverts():  # the minter role, checked for any sender but the issuer
        collection.mint(accounts[1], 1, 1, {"from": accounts[1]})
    small = deploy(cap=2)
    with brownie.reverts(err("MaxSupplyExceeded", 3, 2)):
        small.airdrop([accounts[1]], [3], 1, {"from": issuer})
    with brownie.reverts(err("MintZeroQuantity")):
        small.mint(accounts[1], 0, 1, {"from": issuer})


def test_guarded_safe_mint_and_airdrop_mint_their_ids(collection, issuer, accounts):
    tx = collection.airdrop([accounts[1], accounts[2]], [2, 1], 1, {"from": issuer})
    assert [(e["to"], e["tokenId"]) for e in tx.events["Transfer"]] == [
        (accounts[1], 1), (accounts[1], 2), (accounts[2], 3)]
    tx = collection.safeMint(accounts[3], 2, 4, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Transfer"]] == [4, 5]


def test_a_soulbound_guarded_mint_locks_its_tokens(soulbound, issuer, accounts):
    tx = soulbound.mint(accounts[1], 2, 1, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Locked"]] == [1, 2]
    tx = soulbound.airdrop([accounts[2]], [1], 3, {"from": issuer})
    assert [e["tokenId"] for e in tx.events["Locked"]] == [3]
