"""Brownie's connection and account as nft_toolkit's Chain and Signer, for the scripts here.

The scripts run the library's own deploy and mint paths on whatever network `brownie run
--network NAME` connected to; the records and journals are named after that network.
"""

from __future__ import annotations

from eth_account import Account
from web3 import Web3

from nft_toolkit.chain.accounts import NodeSigner, Signer
from nft_toolkit.chain.client import Chain


def connect(w3: Web3, account: object, network: str) -> tuple[Chain, Signer, int]:
    """A Chain over Brownie's `w3`, a Signer for a Brownie `account` (its own key when Brownie
    holds one, added or loaded from a keystore, else the node signs for it), and the
    confirmations to wait for: 2, or 1 on a development chain."""
    chain = Chain.over(w3, int(w3.eth.chain_id), name=network)
    key = getattr(account, "private_key", None)
    address = str(getattr(account, "address"))
    signer = Account.from_key(key) if key else NodeSigner(w3, address)
    return chain, signer, chain.confirmations_for(2)[0]


def flag(value: object) -> bool:
    """A yes/no argument of `brownie run`, which passes every argument as text."""
    return str(value).strip().lower() in ("1", "true", "yes", "y")
