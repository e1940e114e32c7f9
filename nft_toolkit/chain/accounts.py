"""Who signs: the development chain's accounts, an encrypted keystore, a key in the environment,
or an external signer.

A :class:`Signer` signs a transaction without sending it, so its hash and nonce are known (and
journaled) before it leaves: an eth-account ``LocalAccount`` signs on this machine; a
:class:`~nft_toolkit.chain.remote_signer.NodeSigner` asks a JSON-RPC endpoint to sign
(``eth_signTransaction``) for an account it holds: a signing service or an external signer
(``--signer-url`` and ``--from``, or ``signer_url:`` and ``from:`` in networks.yaml), a node
with the account unlocked, Brownie's development accounts. Secrets are read from where the user
keeps them and held only in memory: never printed, logged or written.

An external signer, when given, is the one used. Otherwise, on `development`, the accounts derive
from ganache's fixed, public mnemonic: they guard nothing. Elsewhere, in this order: the private
key in ``$NFT_TOOLKIT_PRIVATE_KEY``; a keystore (``--keystore`` or ``keystore:`` in networks.yaml)
whose password is ``$NFT_TOOLKIT_KEYSTORE_PASSWORD`` or asked at a prompt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from eth_account import Account
from eth_account.messages import SignableMessage
from eth_account.hdaccount import ETHEREUM_DEFAULT_PATH, key_from_seed, seed_from_mnemonic
from eth_account.signers.local import LocalAccount

from nft_toolkit.address import parse_address
from nft_toolkit.chain.local import DEV_ACCOUNTS, DEV_MNEMONIC
from nft_toolkit.chain.networks import expand_url, redact_url
from nft_toolkit.chain.remote_signer import NodeSigned, NodeSigner, signer_at
from nft_toolkit.errors import ConfigError, InputError
from nft_toolkit.jsonfile import read_json

PRIVATE_KEY_ENV = "NFT_TOOLKIT_PRIVATE_KEY"
PASSWORD_ENV = "NFT_TOOLKIT_KEYSTORE_PASSWORD"
SIGNER_URL_ENV = "NFT_TOOLKIT_SIGNER_URL"  # --signer-url
FROM_ENV = "NFT_TOOLKIT_FROM"  # --from

__all__ = ["NodeSigned", "NodeSigner", "Signed", "SignedText", "Signer", "dev_account", "external_signer",
           "from_env", "from_keystore", "signer_for"]


class Signed(Protocol):
    """A signed transaction: what eth-account's ``sign_transaction`` returns."""

    @property
    def hash(self) -> bytes: ...

    @property
    def raw_transaction(self) -> bytes: ...


class SignedText(Protocol):
    """A signed EIP-191 message: what eth-account's ``sign_message`` returns."""

    @property
    def signature(self) -> bytes: ...


class Signer(Protocol):
    """An account that signs a built transaction (and sends nothing), or an EIP-191 personal
    message (version 0x45: the issuer's statement, a holder's EIP-4361 proof)."""

    @property
    def address(self) -> str: ...

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Signed: ...

    def sign_message(self, signable_message: SignableMessage) -> SignedText: ...


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


FROM_WITHOUT_SIGNER = ("--from names the account of an external signer: give --signer-url too (a "
                       "keystore or $NFT_TOOLKIT_PRIVATE_KEY names its own account)")


def external_signer(signer_url: str, from_address: str | None) -> NodeSigner:
    """The external signer at `signer_url` (${VAR} read from the environment) for
    `from_address`; ConfigError when the address is missing or no address."""
    if not from_address:
        raise ConfigError(f"an external signer needs the address it signs for: give --from "
                          f"ADDRESS (or ${FROM_ENV}, or `from:` for the network in networks.yaml)")
    address = parse_address(from_address, "--from")
    url = expand_url(signer_url, "the signer URL")
    return signer_at(url, address, shown=redact_url(signer_url))


def signer_for(is_development: bool, keystore: Path | None,
               ask_password: Callable[[str], str] | None = None,
               dev_index: int = 0, *, signer_url: str | None = None,
               from_address: str | None = None) -> Signer:
    """The account that signs on a network (see the module docstring for the order)."""
    if signer_url:
        if keystore is not None:
            raise ConfigError("give a keystore or an external signer (--signer-url), not both")
        return external_signer(signer_url, from_address)
    if from_address:
        raise ConfigError(FROM_WITHOUT_SIGNER)
    if is_development and keystore is None and not os.environ.get(PRIVATE_KEY_ENV):
        return dev_account(dev_index)
    account = from_env()
    if account is not None:
        return account
    if keystore is not None:
        return from_keystore(keystore, ask_password)
    raise ConfigError(f"no account to sign with: set ${PRIVATE_KEY_ENV}, or give --keystore FILE "
                      "(or `keystore:` for the network in networks.yaml)")
