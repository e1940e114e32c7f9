"""Turns a Brownie account into a sender for nft_toolkit.contract."""

from eth_account import Account


def brownie_sender(account):
    """A local signer when Brownie holds the key (a keystore account), else the node-unlocked address."""
    key = getattr(account, "private_key", None)
    return Account.from_key(key) if key else account.address
