"""Who created a contract: a CREATE address is keccak(rlp([creator, nonce]))[12:].

The collection's runtime code is compared with immutables masked, and its storage is whatever
its creation code wrote; so a forger's hand-made creation code can return the audited runtime
with ``issuer`` naming the real issuer and storage granting that issuer every role. What such a
copy cannot fake is its address: only the issuer's own account, at one of its nonces, creates a
contract at an address derived from the issuer's address.
"""

from __future__ import annotations

import rlp
from eth_utils import keccak


def create_address(creator: str, nonce: int) -> bytes:
    """The 20-byte address of the contract `creator` creates with CREATE at `nonce`."""
    return keccak(rlp.encode([bytes.fromhex(creator[2:]), nonce]))[12:]


def created_by(address: str, creator: str, nonces: int) -> bool:
    """Whether `address` is a contract created by `creator` with one of its first `nonces`
    nonces (its transaction count: every nonce it has used)."""
    wanted = bytes.fromhex(address[2:])
    return any(create_address(creator, n) == wanted for n in range(nonces))
