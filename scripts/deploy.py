"""Deploy a ZodiacCollection with Brownie's active account:

    brownie run scripts/deploy.py main "Year of the Horse" HORSE 2026 10000 500 --network ganache-cli

A thin shell over nft_toolkit.contract.deploy_collection.
"""

from brownie import accounts, web3

from nft_toolkit.contract import CollectionParams, deploy_collection
from scripts.sender import brownie_sender


def main(name="Year of the Horse", symbol="HORSE", year=2026, max_supply=10_000, royalty_bps=500,
         non_transferable=False):
    sender = brownie_sender(accounts[0])
    params = CollectionParams(name, symbol, int(year), int(max_supply), accounts[0].address,
                              int(royalty_bps), bool(non_transferable))
    deployment = deploy_collection(web3, sender, params)
    print(f"ZodiacCollection deployed at {deployment.address} (chain {deployment.chain_id}, "
          f"block {deployment.block}, issuer {deployment.issuer})")
    return deployment
