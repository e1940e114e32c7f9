"""Mint tokens of a deployed collection with Brownie's active account:

    brownie run scripts/mint.py main 0xCollection 0xReceiver 25 --network ganache-cli

A thin shell over nft_toolkit.contract.mint.
"""

from brownie import accounts, web3

from nft_toolkit.contract import mint
from scripts.sender import brownie_sender


def main(collection, to, count=1, batch_size=100):
    receipts = mint(web3, brownie_sender(accounts[0]), str(collection), str(to), int(count), int(batch_size))
    gas = sum(r["gasUsed"] for r in receipts)
    print(f"minted {count} to {to} in {len(receipts)} transaction(s), {gas:,} gas")
    return receipts
