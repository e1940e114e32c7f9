"""Pause bypass and cap overflow, through every mint path (mint, safeMint, airdrop).

The mint path checks the pause flag, a zero quantity and the cap with one unchecked comparison
on a packed storage word (see `_mint` in ERC721Sequential.sol); these tests aim at its edges:
quantities that wrap 2**256, airdrops whose total wraps, the last ID under the cap, a cap that
had to be clamped, and role changes that rewrite the word while minting is paused.
"""

from __future__ import annotations

import brownie
import pytest
from web3 import Web3

from tests.contracts.ledger import assert_ledger
from tests.contracts.params import CAP, err

MINTER_ROLE = bytes(Web3.keccak(text="MINTER_ROLE"))
ID_LIMIT = 2**32  # the length of ERC721Sequential's ownership arrays: every ID is below it

PATHS = {
    "mint": lambda c, sender, to, q: c.mint(to, q, {"from": sender}),
    "safeMint": lambda c, sender, to, q: c.safeMint(to, q, {"from": sender}),
    "airdrop": lambda c, sender, to, q: c.airdrop([to], [q], {"from": sender}),
}


@pytest.fixture
def second_minter(collection, issuer, accounts):
    """A minter that is not the cached primary minter: its mints go through AccessControl."""
    collection.grantRole(MINTER_ROLE, accounts[3], {"from": issuer})
    return accounts[3]


# --- pause ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["primary", "second"])
def test_no_mint_path_passes_a_pause(collection, issuer, accounts, second_minter, path, who):
    minter = issuer if who == "primary" else second_minter
    collection.pauseMinting({"from": issuer})
    with brownie.reverts(err("MintingIsPaused")):
        PATHS[path](collection, minter, accounts[1], 1)
    # Not even for a quantity that would otherwise be refused for its size.
    with brownie.reverts(err("MintingIsPaused")):
        PATHS[path](collection, minter, accounts[1], 2**256 - 1)
    collection.unpauseMinting({"from": issuer})
    PATHS[path](collection, minter, accounts[1], 1)
    assert assert_ledger(collection, [accounts[1]]) == {1: accounts[1]}


def test_role_changes_while_paused_keep_the_pause(collection, issuer, accounts):
    # Granting and revoking the issuer's minter role rewrites the storage word that holds the
    # pause flag (its cached bit).
    newcomer = accounts[3]
    collection.pauseMinting({"from": issuer})
    collection.revokeRole(MINTER_ROLE, issuer, {"from": issuer})  # empties the cache
    collection.grantRole(MINTER_ROLE, newcomer, {"from": issuer})
    collection.grantRole(MINTER_ROLE, issuer, {"from": issuer})  # fills it again
    assert collection.mintingPaused()
    for minter in (newcomer, issuer):
        with brownie.reverts(err("MintingIsPaused")):
            collection.mint(minter, 1, {"from": minter})
    collection.unpauseMinting({"from": issuer})
    collection.mint(newcomer, 1, {"from": newcomer})
    # A mint rewrites the word too: pausing afterwards still holds.
    collection.pauseMinting({"from": issuer})
    with brownie.reverts(err("MintingIsPaused")):
        collection.airdrop([newcomer], [1], {"from": newcomer})
    assert collection.totalMinted() == 1


def test_only_an_admin_pauses_or_resumes(collection, issuer, accounts, second_minter):
    for account in (second_minter, accounts[5]):
        with brownie.reverts(err("AccessControlUnauthorizedAccount", account.address, bytes(32))):
            collection.pauseMinting({"from": account})
    collection.pauseMinting({"from": issuer})
    for account in (second_minter, accounts[5]):
        with brownie.reverts(err("AccessControlUnauthorizedAccount", account.address, bytes(32))):
            collection.unpauseMinting({"from": account})
    assert collection.mintingPaused()


# --- cap --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_exactly_at_the_cap_then_nothing(deploy, issuer, accounts, path):
    small = deploy(cap=7)
    PATHS[path](small, issuer, accounts[1], 3)
    PATHS[path](small, issuer, accounts[2], 4)  # exactly up to the cap
    assert small.totalMinted() == 7 == small.maxSupply()
    for quantity in (1, 2**256 - 1):
        with brownie.reverts(err("MaxSupplyExceeded", quantity, 0)):
            PATHS[path](small, issuer, accounts[1], quantity)
    assert assert_ledger(small, accounts[1:3]) == {**{i: accounts[1] for i in (1, 2, 3)},
                                                   **{i: accounts[2] for i in (4, 5, 6, 7)}}


@pytest.mark.parametrize("path", PATHS)
def test_zero_and_wrapping_quantities_are_refused(collection, issuer, accounts, path):
    mint = PATHS[path]
    mint(collection, issuer, accounts[1], 5)  # next ID 6, 995 left
    with brownie.reverts(err("MintZeroQuantity")):
        mint(collection, issuer, accounts[1], 0)
    # 6 + q wraps to 0, to 1 and to 5 (an end below the start); then sizes around the bounds.
    for quantity in (2**256 - 6, 2**256 - 5, 2**256 - 1, 2**255, 2**64, ID_LIMIT, CAP, CAP - 4):
        with brownie.reverts(err("MaxSupplyExceeded", quantity, CAP - 5)):
            mint(collection, issuer, accounts[1], quantity)
    mint(collection, issuer, accounts[1], CAP - 5)
    assert collection.totalMinted() == CAP
    assert collection.balanceOf(accounts[1]) == CAP


@pytest.mark.parametrize("quantities,refused", [
    ([2**256 - 1, 2], (2**256 - 1, CAP)),         # the total wraps to 1
    ([2**255, 2**255], (2**255, CAP)),            # the total wraps to 0
    ([2, 2**256 - 2], (2**256 - 2, CAP - 2)),     # the total wraps to 0 after a valid batch
    ([CAP - 1, 1, 1], (1, 0)),                    # over the cap by one, in the last batch
    ([1] * 8, (1, 0)),                            # eight batches of one over a cap of seven
], ids=["wrap-to-1", "wrap-to-0", "valid-then-wrap", "cap-plus-one", "singles"])
def test_airdrops_whose_total_overflows_revert_whole(deploy, collection, issuer, accounts, quantities, refused):
    target = deploy(cap=7) if len(quantities) == 8 else collection
    recipients = [accounts[1 + i % 3] for i in range(len(quantities))]
    with brownie.reverts(err("MaxSupplyExceeded", *refused)):
        target.airdrop(recipients, quantities, {"from": issuer})
    assert target.totalMinted() == 0
    assert all(target.balanceOf(a) == 0 for a in accounts[1:4])


def test_a_cap_is_clamped_to_the_id_space(deploy, issuer, accounts):
    huge = deploy(cap=2**256 - 1)
    assert huge.maxSupply() == ID_LIMIT - 1
    for quantity in (ID_LIMIT, 2**64, 2**256 - 1):
        with brownie.reverts(err("MaxSupplyExceeded", quantity, ID_LIMIT - 1)):
            huge.mint(accounts[1], quantity, {"from": issuer})
    huge.mint(accounts[1], 3, {"from": issuer})
    assert assert_ledger(huge, [accounts[1]]) == {1: accounts[1], 2: accounts[1], 3: accounts[1]}


def test_a_zero_cap_refuses_every_mint(deploy, issuer, accounts):
    empty = deploy(cap=0)
    assert empty.maxSupply() == 0
    for path, mint in PATHS.items():
        with brownie.reverts(err("MaxSupplyExceeded", 1, 0)):
            mint(empty, issuer, accounts[1], 1)
    assert empty.totalMinted() == 0
