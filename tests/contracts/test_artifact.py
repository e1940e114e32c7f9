"""The artifact shipped in the package is the contract Brownie compiles, and its code check works."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from brownie import web3

from nft_toolkit.artifact import load_artifact

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_artifact_equals_a_fresh_compile(ZodiacCollection):
    # Brownie compiled the sources at the start of this session, with brownie-config.yaml.
    artifact = load_artifact()
    assert ZodiacCollection.bytecode == artifact.bytecode.hex()
    build = json.loads((ROOT / "build" / "contracts" / "ZodiacCollection.json").read_text())
    assert build["deployedBytecode"] == artifact.runtime.hex()
    assert build["abi"] == artifact.abi
    # and it is the latest release in artifacts/releases.json (tests/test_releases.py)
    assert artifact.releases[-1].matches(bytes.fromhex(build["deployedBytecode"]))


def test_artifact_records_the_pinned_compiler():
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    compiler = load_artifact().compiler
    assert compiler["version"].split("+")[0] == str(config["solc"]["version"])
    assert compiler["optimizer"] == config["solc"]["optimizer"]
    assert compiler["evmVersion"] == config["evm_version"]


def test_runtime_code_matches_across_deployments_and_rejects_other_code(deploy, accounts, ERC721ABench):
    artifact = load_artifact()
    ours = deploy()
    other_issuer = deploy(cap=7, non_transferable=True, sender=accounts[3])
    for contract in (ours, other_issuer):
        assert artifact.runtime_matches(bytes(web3.eth.get_code(contract.address)))
    # Different immutables, same audited code: the masked comparison is what makes them equal.
    assert web3.eth.get_code(ours.address) != web3.eth.get_code(other_issuer.address)
    lookalike = ERC721ABench.deploy({"from": accounts[3]})
    assert not artifact.runtime_matches(bytes(web3.eth.get_code(lookalike.address)))
    tampered = bytearray(web3.eth.get_code(ours.address))
    tampered[1] ^= 0x01  # the first instruction, far from any immutable
    assert not artifact.runtime_matches(bytes(tampered))
