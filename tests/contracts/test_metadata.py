"""Token URIs, freezing, the provenance hash, contract-level metadata, royalties, interfaces."""

from __future__ import annotations

import brownie
import pytest
from web3 import Web3

from tests.contracts.params import CAP, NAME, ROYALTY_BPS, SYMBOL, YEAR, err

BASE = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/"
PROVENANCE = "0x" + "ab" * 32


def test_deployment_parameters(collection, issuer, royalty_receiver):
    assert (collection.name(), collection.symbol(), collection.zodiacYear(), collection.maxSupply()) == (
        NAME, SYMBOL, YEAR, CAP)
    assert collection.issuer() == issuer
    assert collection.hasRole(collection.DEFAULT_ADMIN_ROLE(), issuer)
    assert collection.hasRole(collection.MINTER_ROLE(), issuer)
    assert not collection.nonTransferable()
    receiver, amount = collection.royaltyInfo(1, 10_000)
    assert receiver == royalty_receiver and amount == ROYALTY_BPS


def test_issuer_is_the_deployer_not_a_parameter(deploy, accounts):
    other = deploy(sender=accounts[6])
    assert other.issuer() == accounts[6]
    assert other.hasRole(other.DEFAULT_ADMIN_ROLE(), accounts[6])


def test_token_uri_is_base_id_json(collection, issuer, accounts):
    collection.mint(accounts[1], 12, {"from": issuer})
    assert collection.tokenURI(1) == ""  # no base URI yet
    tx = collection.setBaseURI(BASE, {"from": issuer})
    assert tx.events["BaseURIUpdated"]["baseURI"] == BASE
    assert dict(tx.events["BatchMetadataUpdate"]) == {"_fromTokenId": 1, "_toTokenId": 2**256 - 1}
    assert collection.baseURI() == BASE
    assert collection.tokenURI(1) == BASE + "1.json"
    assert collection.tokenURI(12) == BASE + "12.json"
    for missing in (0, 13):
        with brownie.reverts(err("ERC721NonexistentToken", missing)):
            collection.tokenURI(missing)


def test_freeze_is_permanent(collection, issuer):
    with brownie.reverts(err("EmptyBaseURI")):
        collection.freezeMetadata({"from": issuer})
    collection.setBaseURI(BASE, {"from": issuer})
    tx = collection.freezeMetadata({"from": issuer})
    assert tx.events["MetadataFrozen"]["baseURI"] == BASE
    assert collection.metadataFrozen()
    with brownie.reverts(err("MetadataIsFrozen")):
        collection.setBaseURI("ipfs://other/", {"from": issuer})
    with brownie.reverts(err("MetadataIsFrozen")):
        collection.freezeMetadata({"from": issuer})
    assert collection.baseURI() == BASE


def test_provenance_is_set_once_before_the_first_mint(collection, issuer, accounts):
    assert collection.provenanceHash() == "0x" + "00" * 32
    with brownie.reverts(err("InvalidProvenanceHash")):
        collection.setProvenanceHash("0x" + "00" * 32, {"from": issuer})
    tx = collection.setProvenanceHash(PROVENANCE, {"from": issuer})
    assert tx.events["ProvenanceHashSet"]["provenanceHash"] == PROVENANCE
    with brownie.reverts(err("ProvenanceAlreadySet")):
        collection.setProvenanceHash("0x" + "cd" * 32, {"from": issuer})
    assert collection.provenanceHash() == PROVENANCE


def test_provenance_cannot_follow_a_mint(collection, issuer, accounts):
    collection.mint(accounts[1], 1, {"from": issuer})
    collection.burn(1, {"from": accounts[1]})  # burning everything does not reopen it
    with brownie.reverts(err("MintingAlreadyStarted")):
        collection.setProvenanceHash(PROVENANCE, {"from": issuer})


def test_contract_uri(collection, issuer):
    assert collection.contractURI() == ""
    tx = collection.setContractURI("ipfs://contract.json", {"from": issuer})
    assert "ContractURIUpdated" in tx.events
    assert collection.contractURI() == "ipfs://contract.json"


@pytest.mark.parametrize("price", [0, 1, 9_999, 10_000, 123_456_789, 10**30])
def test_royalty_arithmetic(collection, royalty_receiver, price):
    receiver, amount = collection.royaltyInfo(1, price)
    assert receiver == royalty_receiver
    assert amount == price * ROYALTY_BPS // 10_000


@pytest.mark.parametrize("bps", [10_001, 2**96 - 1])
def test_royalty_above_100_percent_is_refused(ZodiacCollection, issuer, royalty_receiver, bps):
    with brownie.reverts():
        ZodiacCollection.deploy(NAME, SYMBOL, YEAR, CAP, royalty_receiver, bps, 0, 0, {"from": issuer})


def _interface_id(signatures: list[str]) -> str:
    value = 0
    for signature in signatures:
        value ^= int.from_bytes(Web3.keccak(text=signature)[:4], "big")
    return "0x%08x" % value


ERC721 = ["balanceOf(address)", "ownerOf(uint256)", "safeTransferFrom(address,address,uint256,bytes)",
          "safeTransferFrom(address,address,uint256)", "transferFrom(address,address,uint256)",
          "approve(address,uint256)", "setApprovalForAll(address,bool)", "getApproved(uint256)",
          "isApprovedForAll(address,address)"]
INTERFACES = {
    "ERC165": _interface_id(["supportsInterface(bytes4)"]),
    "ERC721": _interface_id(ERC721),
    "ERC721Metadata": _interface_id(["name()", "symbol()", "tokenURI(uint256)"]),
    "ERC2981": _interface_id(["royaltyInfo(uint256,uint256)"]),
    "AccessControl": _interface_id(["hasRole(bytes32,address)", "getRoleAdmin(bytes32)",
                                    "grantRole(bytes32,address)", "revokeRole(bytes32,address)",
                                    "renounceRole(bytes32,address)"]),
    "ERC4906": "0x49064906",  # fixed by the EIP, not derived from selectors
}


def test_interface_ids_are_the_standard_ones():
    assert INTERFACES["ERC721"] == "0x80ac58cd" and INTERFACES["ERC721Metadata"] == "0x5b5e139f"
    assert INTERFACES["ERC2981"] == "0x2a55205a" and INTERFACES["AccessControl"] == "0x7965db0b"


@pytest.mark.parametrize("name", INTERFACES)
def test_supports_every_implemented_interface(collection, name):
    assert collection.supportsInterface(INTERFACES[name])


@pytest.mark.parametrize("interface_id", ["0xffffffff", "0x00000000", "0x780e9d63", "0xd9b67a26"])
def test_rejects_other_interfaces(collection, interface_id):
    # 0x780e9d63 ERC721Enumerable and 0xd9b67a26 ERC1155 are not implemented.
    assert not collection.supportsInterface(interface_id)
