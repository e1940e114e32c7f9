"""The Brownie scripts deploy and mint through the library on the Brownie chain."""

from __future__ import annotations

from brownie import web3

from nft_toolkit.artifact import load_artifact
from scripts import deploy, mint


def test_deploy_then_mint_in_batches(accounts):
    deployment = deploy.main("Year of the Horse", "HORSE", 2026, 50, 250)
    assert deployment.issuer == accounts[0].address
    assert load_artifact().runtime_matches(bytes(web3.eth.get_code(deployment.address)))
    receipts = mint.main(deployment.address, accounts[2].address, 25, 10)
    assert len(receipts) == 3
    contract = web3.eth.contract(address=deployment.address, abi=load_artifact().abi)
    assert contract.functions.totalSupply().call() == 25
    assert contract.functions.balanceOf(accounts[2].address).call() == 25
    assert contract.functions.ownerOf(25).call() == accounts[2].address
