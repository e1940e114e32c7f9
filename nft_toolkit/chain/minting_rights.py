"""Whether an account may mint on a collection now: it holds MINTER_ROLE and minting is not
paused. Read before a mint is planned (and by `nft-toolkit check`), so a key that the contract
would refuse is a configuration error named in one line, before anything is journaled or sent.
"""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from nft_toolkit.chain.client import Chain, checksum
from nft_toolkit.errors import ConfigError

MINTER_ROLE = keccak(text="MINTER_ROLE")
DEFAULT_ADMIN_ROLE = bytes(32)


def minting_refusal(chain: Chain, contract: Any, account: str) -> str | None:
    """Why the collection `contract` (a web3 contract on `chain`) would refuse a mint signed by
    `account`, in one line with what to do; None when it would not. Reads `hasRole`,
    `mintingPaused` and `issuer` in one batch; a release without `mintingPaused` is taken as
    never paused."""
    fns = contract.functions
    who = checksum(account, "account")
    holds, paused, issuer = chain.batch_call([fns.hasRole(MINTER_ROLE, who),
                                              fns.mintingPaused(), fns.issuer()])
    if holds is False:
        issuer_text = str(issuer) if isinstance(issuer, str) else "the issuer"
        if isinstance(issuer, str) and issuer.lower() == who.lower():
            return (f"{who} does not hold MINTER_ROLE on {contract.address} (the issuer gave it "
                    "up): an account with DEFAULT_ADMIN_ROLE must call grantRole(MINTER_ROLE, "
                    f"{who}), or sign with an account that holds it")
        return (f"the signing account {who} does not hold MINTER_ROLE on {contract.address}: sign "
                f"with the issuer's key ({issuer_text}, which deployed it and holds the role "
                "unless it gave it up), or have an account with DEFAULT_ADMIN_ROLE call "
                f"grantRole(MINTER_ROLE, {who})")
    if paused is True:
        return (f"minting is paused on {contract.address}: an account with DEFAULT_ADMIN_ROLE "
                "must call unpauseMinting() before anything is minted")
    return None


def check_minting_rights(chain: Chain, contract: Any, account: str) -> None:
    """ConfigError (exit 2) naming the account and the role when `account` cannot mint now."""
    refusal = minting_refusal(chain, contract, account)
    if refusal is not None:
        raise ConfigError(refusal)
