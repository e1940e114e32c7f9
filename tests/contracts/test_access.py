"""Every state-changing function outside ERC-721 is closed to an account without the right role.

The functions are enumerated from the ABI, so a function added later cannot escape this test.
"""

from __future__ import annotations

import brownie
import pytest
from web3 import Web3

from nft_toolkit.artifact import load_artifact

# The ERC-721 standard's own state-changing functions: open to owners and operators by design,
# tested in test_transfers.py.
ERC721_STANDARD = {"approve", "setApprovalForAll", "transferFrom", "safeTransferFrom"}
MINTER_ROLE = Web3.keccak(text="MINTER_ROLE")


def _value(abi_type: str, owner: str):
    """An argument of `abi_type` that would succeed for an authorized caller."""
    if abi_type.endswith("[]"):
        return [_value(abi_type[:-2], owner)]
    if abi_type == "address":
        return owner
    if abi_type.startswith("uint"):
        return 1
    if abi_type == "bytes32":
        return MINTER_ROLE
    if abi_type == "string":
        return "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/"
    if abi_type == "bool":
        return True
    raise AssertionError(f"no test value for ABI type {abi_type}")


def _restricted_functions(abi):
    return [
        item for item in abi
        if item["type"] == "function"
        and item["stateMutability"] not in ("view", "pure")
        and item["name"] not in ERC721_STANDARD
    ]


# Enumerated from the packaged ABI (test_artifact.py proves it is the compiled contract's).
RESTRICTED = _restricted_functions(load_artifact().abi)


def _signature(fn) -> str:
    return f"{fn['name']}({','.join(i['type'] for i in fn['inputs'])})"


def test_the_enumeration_covers_the_privileged_surface():
    names = {f["name"] for f in RESTRICTED}
    assert {"mint", "safeMint", "airdrop", "burn", "pauseMinting", "unpauseMinting", "setBaseURI",
            "freezeMetadata", "setProvenanceHash", "setContractURI", "grantRole", "revokeRole",
            "renounceRole"} <= names


@pytest.mark.parametrize("fn", RESTRICTED, ids=_signature)
def test_a_stranger_is_refused(collection, issuer, accounts, fn):
    stranger = accounts[5]
    # State in which the issuer's call would succeed.
    if fn["name"] == "burn":
        collection.mint(issuer, 1, {"from": issuer})
    if fn["name"] == "freezeMetadata":
        collection.setBaseURI("ipfs://base/", {"from": issuer})
    args = [_value(i["type"], issuer.address) for i in fn["inputs"]]
    method = getattr(collection, fn["name"])
    if sum(f.get("name") == fn["name"] for f in collection.abi) > 1:
        method = method[",".join(i["type"] for i in fn["inputs"])]
    with brownie.reverts():
        method(*args, {"from": stranger})
    # The same call from the issuer (admin, minter, owner of token 1) goes through: the refusal
    # above is about the caller, not about the arguments.
    tx = method(*args, {"from": issuer})
    assert tx.status == 1


def test_minter_role_can_be_granted_and_revoked(collection, issuer, accounts):
    minter = accounts[3]
    with brownie.reverts():
        collection.mint(minter, 1, {"from": minter})
    collection.grantRole(MINTER_ROLE, minter, {"from": issuer})
    collection.mint(minter, 1, {"from": minter})
    collection.revokeRole(MINTER_ROLE, minter, {"from": issuer})
    with brownie.reverts():
        collection.mint(minter, 1, {"from": minter})


def test_primary_minter_cache_follows_the_role(collection, issuer, accounts):
    # The issuer is the cached fast-path minter; renouncing must close the fast path too.
    collection.renounceRole(MINTER_ROLE, issuer, {"from": issuer})
    with brownie.reverts():
        collection.mint(issuer, 1, {"from": issuer})
    other = accounts[4]
    collection.grantRole(MINTER_ROLE, other, {"from": issuer})
    collection.mint(other, 1, {"from": other})
    collection.grantRole(MINTER_ROLE, issuer, {"from": issuer})
    collection.mint(issuer, 1, {"from": issuer})
    collection.revokeRole(MINTER_ROLE, other, {"from": issuer})
    with brownie.reverts():
        collection.mint(other, 1, {"from": other})
    collection.mint(issuer, 1, {"from": issuer})
    assert collection.totalSupply() == 3


def test_admin_roles_are_separate(collection, issuer, accounts):
    minter = accounts[3]
    collection.grantRole(MINTER_ROLE, minter, {"from": issuer})
    with brownie.reverts():
        collection.pauseMinting({"from": minter})
    with brownie.reverts():
        collection.grantRole(MINTER_ROLE, accounts[4], {"from": minter})
