"""Who signs: the development chain's accounts, an encrypted keystore, or a key in the environment.

A :class:`Signer` signs a transaction without sending it, so its hash and nonce are known (and
journaled) before it leaves: an eth-account ``LocalAccount`` signs on this machine; a
:class:`NodeSigner` asks the node to sign for an account it holds unlocked (Brownie's
development accounts). Secrets are read from where the user keeps them and held only in memory:
never printed, logged or written.

On `development` the accounts derive from ganache's fixed, public mnemonic: they guard nothing.
Elsewhere, in this order: the private key in ``$NFT_TOOLKIT_PRIVATE_KEY``; a keystore (``--keystore``
or ``keystore:`` in networks.yaml) whose password is ``$NFT_TOOLKIT_KEYSTORE_PASSWORD`` or asked at
a prompt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from eth_account import Account
from eth_account.hdaccount import ETHEREUM_DEFAULT_PATH, key_from_seed, seed_from_mnemonic
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.types import RPCEndpoint

from nft_toolkit.chain.local import DEV_ACCOUNTS, DEV_MNEMONIC
from nft_toolkit.errors import ChainError, ConfigError, InputError
from nft_toolkit.jsonfile import read_json

PRIVATE_KEY_ENV = "NFT_TOOLKIT_PRIVATE_KEY"
PASSWORD_ENV = "NFT_TOOLKIT_KEYSTORE_PASSWORD"


class Signed(Protocol):
    """A signed transaction: what eth-account's ``sign_transaction`` returns."""

    @property
    def hash(self) -> bytes: ...

    @property
    def raw_transaction(self) -> bytes: ...


class Signer(Protocol):
    """An account that signs a built transaction and sends nothing."""

    @property
    def address(self) -> str: ...

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Signed: ...


@dataclass(frozen=True)
class NodeSigned:
    """A transaction the node signed."""

    hash: bytes
    raw_transaction: bytes


class NodeSigner:
    """A :class:`Signer` for an account the node holds unlocked: ``eth_signTransaction``
    returns the signed bytes and sends nothing, so the caller journals them first, as with a
    local key."""

    def __init__(self, w3: Web3, address: str) -> None:
        self.w3 = w3
        self.address = to_checksum_address(address)

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> NodeSigned:
        tx = {k: hex(v) if isinstance(v, int) else v for k, v in transaction_dict.items()}
        if "maxFeePerGas" in tx:
            tx.setdefault("type", "0x2")
        reply = self.w3.provider.make_request(RPCEndpoint("eth_signTransaction"), [tx])
        if "error" in reply:
            error = reply["error"]
            message = error.get("message", error) if isinstance(error, dict) else error
            raise ChainError(f"the node did not sign for {self.address}: {message}")
        result = reply["result"]
        raw = HexBytes(result["raw"] if isinstance(result, dict) else result)  # geth: {raw, tx}
        return NodeSigned(keccak(raw), bytes(raw))


def dev_account(index: int = 0) -> LocalAccount:
    """Development account `index` (0 is the issuer), as ganache derives it from the mnemonic."""
    if not 0 <= index < DEV_ACCOUNTS:
        raise InputError(f"development account {index} does not exist (0..{DEV_ACCOUNTS - 1})")
    seed = seed_from_mnemonic(DEV_MNEMONIC, "")
    path = ETHEREUM_DEFAULT_PATH[:-1] + str(index)  # m/44'/60'/0'/0/<index>
    account: LocalAccount = Account.from_key(key_from_seed(seed, path))  # combomethod: untyped
    return account


def from_env(env: dict[str, str] | None = None) -> LocalAccount | None:
    """The account of the private key in $NFT_TOOLKIT_PRIVATE_KEY, if set."""
    value = (env if env is not None else os.environ).get(PRIVATE_KEY_ENV)
    if not value:
        return None
    try:
        account: LocalAccount = Account.from_key(value.strip())
        return account
    except (ValueError, TypeError):
        # The message must not echo the value: it is a secret, even when malformed.
        raise ConfigError(f"${PRIVATE_KEY_ENV} does not hold a valid private key") from None


def from_keystore(path: Path, ask_password: Callable[[str], str] | None = None,
                  env: dict[str, str] | None = None) -> LocalAccount:
    """The account of an encrypted keystore; the password from the environment or `ask_password`."""
    keyfile = read_json(path, "keystore", InputError, "give the keystore file of the account")
    password = (env if env is not None else os.environ).get(PASSWORD_ENV)
    if password is None:
        if ask_password is None:
            raise ConfigError(f"keystore {path} needs its password: set ${PASSWORD_ENV} or run "
                              "interactively")
        password = ask_password(f"Password for keystore {path.name}")
    try:
        key = Account.decrypt(keyfile, password)
    except (ValueError, TypeError, KeyError):
        raise ConfigError(f"keystore {path}: wrong password or damaged file") from None
    finally:
        del password
    account: LocalAccount = Account.from_key(key)
    return account


def signer_for(is_development: bool, keystore: Path | None,
               ask_password: Callable[[str], str] | None = None,
               dev_index: int = 0) -> LocalAccount:
    """The account that signs on a network (see the module docstring for the order)."""
    if is_development and keystore is None and not os.environ.get(PRIVATE_KEY_ENV):
        return dev_account(dev_index)
    account = from_env()
    if account is not None:
        return account
    if keystore is not None:
        return from_keystore(keystore, ask_password)
    raise ConfigError(f"no account to sign with: set ${PRIVATE_KEY_ENV}, or give --keystore FILE "
                      "(or `keystore:` for the network in networks.yaml)")
