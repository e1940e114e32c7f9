"""Role escalation and renunciation, and the cached primary minter.

ZodiacCollection keeps whether the issuer (the deployer, its "primary minter") holds MINTER_ROLE
as bit 159 of the mint-time storage word (slot 0), so the issuer's mints skip AccessControl's
storage read. These tests try to make that cache authorize an account that does not hold
MINTER_ROLE, through every mint path and through random sequences of grants, revocations and
renunciations, reading the cache straight from storage.
"""

from __future__ import annotations

import random

import brownie
import pytest
from brownie import ZERO_ADDRESS, web3
from web3 import Web3

from tests.contracts.ledger import assert_ledger
from tests.contracts.params import err

MINTER_ROLE = bytes(Web3.keccak(text="MINTER_ROLE"))
ADMIN_ROLE = bytes(32)


def cached_minter(collection) -> str:
    """The account whose mints skip the role check: the issuer while bit 159 of storage slot 0 is
    set, else nobody (the zero address)."""
    word = int.from_bytes(bytes(web3.eth.get_storage_at(collection.address, 0)), "big")
    return collection.issuer() if word >> 159 & 1 else ZERO_ADDRESS


def unauthorized(account, role=MINTER_ROLE) -> str:
    return err("AccessControlUnauthorizedAccount", account.address, role)


MINT_PATHS = {
    "mint": lambda c, sender, to: c.mint(to, 1, {"from": sender}),
    "safeMint": lambda c, sender, to: c.safeMint(to, 1, {"from": sender}),
    "airdrop": lambda c, sender, to: c.airdrop([to], [1], {"from": sender}),
}


@pytest.mark.parametrize("role", [MINTER_ROLE, ADMIN_ROLE], ids=["minter", "admin"])
def test_a_stranger_cannot_grant_itself_a_role(collection, accounts, role):
    stranger = accounts[5]
    with brownie.reverts(unauthorized(stranger, ADMIN_ROLE)):
        collection.grantRole(role, stranger, {"from": stranger})
    assert not collection.hasRole(role, stranger)


def test_a_minter_cannot_grant_revoke_or_administer(collection, issuer, accounts):
    minter, friend = accounts[3], accounts[4]
    collection.grantRole(MINTER_ROLE, minter, {"from": issuer})
    for call in (lambda: collection.grantRole(MINTER_ROLE, friend, {"from": minter}),
                 lambda: collection.grantRole(ADMIN_ROLE, minter, {"from": minter}),
                 lambda: collection.revokeRole(MINTER_ROLE, issuer, {"from": minter}),
                 lambda: collection.revokeRole(ADMIN_ROLE, issuer, {"from": minter}),
                 lambda: collection.pauseMinting({"from": minter}),
                 lambda: collection.setBaseURI("ipfs://evil/", {"from": minter})):
        with brownie.reverts(unauthorized(minter, ADMIN_ROLE)):
            call()
    assert not collection.hasRole(MINTER_ROLE, friend) and not collection.hasRole(ADMIN_ROLE, minter)
    assert collection.hasRole(MINTER_ROLE, issuer) and collection.hasRole(ADMIN_ROLE, issuer)
    # No function can change which role administers another: the ABI has none.
    assert "setRoleAdmin" not in {f.get("name") for f in collection.abi}
    assert bytes(collection.getRoleAdmin(MINTER_ROLE)) == ADMIN_ROLE == bytes(collection.getRoleAdmin(ADMIN_ROLE))


def test_nobody_can_renounce_for_someone_else(collection, issuer, accounts):
    for sender in (accounts[5], issuer):
        with brownie.reverts(err("AccessControlBadConfirmation")):
            collection.renounceRole(MINTER_ROLE, accounts[3] if sender == issuer else issuer, {"from": sender})
    assert cached_minter(collection) == issuer


def test_an_admin_that_renounced_is_an_admin_no_more(collection, issuer, accounts):
    collection.renounceRole(ADMIN_ROLE, issuer, {"from": issuer})
    for call in (lambda: collection.grantRole(ADMIN_ROLE, issuer, {"from": issuer}),
                 lambda: collection.grantRole(MINTER_ROLE, accounts[3], {"from": issuer}),
                 lambda: collection.revokeRole(MINTER_ROLE, issuer, {"from": issuer}),
                 lambda: collection.pauseMinting({"from": issuer}),
                 lambda: collection.setBaseURI("ipfs://x/", {"from": issuer}),
                 lambda: collection.setProvenanceHash(b"\x01" * 32, {"from": issuer})):
        with brownie.reverts(unauthorized(issuer, ADMIN_ROLE)):
            call()
    # It keeps the roles it did not renounce: minting still works until it renounces that too.
    collection.mint(issuer, 1, {"from": issuer})
    collection.renounceRole(MINTER_ROLE, issuer, {"from": issuer})
    assert cached_minter(collection) == ZERO_ADDRESS
    for path, call in MINT_PATHS.items():
        with brownie.reverts(unauthorized(issuer)):
            call(collection, issuer, issuer)
    assert_ledger(collection, [issuer])


@pytest.mark.parametrize("path", MINT_PATHS)
@pytest.mark.parametrize("how", ["revoked", "renounced"])
def test_a_former_primary_minter_never_mints_again(collection, issuer, accounts, path, how):
    mint = MINT_PATHS[path]
    admin, minter, successor = accounts[2], accounts[3], accounts[4]
    # A second admin, and a minter that is not an admin: the issuer gives up minting, which
    # empties the cache; no other minter ever fills it.
    collection.grantRole(ADMIN_ROLE, admin, {"from": issuer})
    collection.renounceRole(MINTER_ROLE, issuer, {"from": issuer})
    assert cached_minter(collection) == ZERO_ADDRESS
    with brownie.reverts(unauthorized(issuer)):
        mint(collection, issuer, issuer)
    collection.grantRole(MINTER_ROLE, minter, {"from": admin})
    assert cached_minter(collection) == ZERO_ADDRESS
    mint(collection, minter, minter)

    if how == "revoked":
        collection.revokeRole(MINTER_ROLE, minter, {"from": admin})
    else:
        collection.renounceRole(MINTER_ROLE, minter, {"from": minter})
    assert cached_minter(collection) == ZERO_ADDRESS
    with brownie.reverts(unauthorized(minter)):
        mint(collection, minter, minter)

    # A new minter can mint; the former one still cannot.
    collection.grantRole(MINTER_ROLE, successor, {"from": admin})
    assert cached_minter(collection) == ZERO_ADDRESS
    mint(collection, successor, successor)
    with brownie.reverts(unauthorized(minter)):
        mint(collection, minter, minter)
    # Granted again, the former minter mints through AccessControl; the issuer, granted again,
    # takes the cache back.
    collection.grantRole(MINTER_ROLE, minter, {"from": admin})
    mint(collection, minter, minter)
    assert cached_minter(collection) == ZERO_ADDRESS
    collection.grantRole(MINTER_ROLE, issuer, {"from": admin})
    assert cached_minter(collection) == issuer
    mint(collection, issuer, issuer)
    assert assert_ledger(collection, [minter, successor, issuer]) == {1: minter, 2: successor, 3: minter, 4: issuer}


def test_granting_the_role_to_the_zero_address_opens_nothing(collection, issuer, accounts):
    collection.renounceRole(MINTER_ROLE, issuer, {"from": issuer})
    collection.grantRole(MINTER_ROLE, ZERO_ADDRESS, {"from": issuer})
    assert cached_minter(collection) == ZERO_ADDRESS
    for account in (issuer, accounts[5]):
        with brownie.reverts(unauthorized(account)):
            collection.mint(account, 1, {"from": account})
    # Another minter leaves the cache empty; the issuer's own grant fills it.
    collection.grantRole(MINTER_ROLE, accounts[3], {"from": issuer})
    assert cached_minter(collection) == ZERO_ADDRESS
    collection.grantRole(MINTER_ROLE, issuer, {"from": issuer})
    assert cached_minter(collection) == issuer


def test_random_role_churn_keeps_the_cache_equal_to_the_role(collection, issuer, accounts):
    """40 seeded random grants, revocations and renunciations of MINTER_ROLE among four accounts;
    after each, the cache names nobody or a holder of the role, and each account can mint
    (checked with eth_call on every path) exactly when it holds the role."""
    rng = random.Random(20260601)
    candidates = [issuer, accounts[2], accounts[3], accounts[4]]
    calls = {
        "mint": lambda a: collection.mint.call(a, 1, {"from": a}),
        "safeMint": lambda a: collection.safeMint.call(a, 1, {"from": a}),
        "airdrop": lambda a: collection.airdrop.call([a], [1], {"from": a}),
    }
    for step in range(40):
        account = rng.choice(candidates)
        op = rng.choice(["grant", "revoke", "renounce"])
        if op == "grant":
            collection.grantRole(MINTER_ROLE, account, {"from": issuer})
        elif op == "revoke":
            collection.revokeRole(MINTER_ROLE, account, {"from": issuer})
        else:
            collection.renounceRole(MINTER_ROLE, account, {"from": account})
        cache = cached_minter(collection)
        assert (cache == issuer) == collection.hasRole(MINTER_ROLE, issuer), f"step {step}: stale cache"
        # The account just changed, the cached one and one more at random: each can mint iff it holds the role.
        for probe in {str(account), str(cache), str(rng.choice(candidates))} - {ZERO_ADDRESS}:
            path = rng.choice(list(calls))
            allowed = collection.hasRole(MINTER_ROLE, probe)
            if allowed:
                calls[path](probe)
            else:
                with brownie.reverts(unauthorized(accounts.at(probe))):
                    calls[path](probe)
    assert collection.totalMinted() == 0  # eth_call never mints
