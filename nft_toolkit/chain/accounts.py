"""Who signs: the development chain's accounts, an encrypted keystore, or a key in the environment.

Every signer is an eth-account ``LocalAccount`` that signs on this machine, so a transaction's
hash and nonce are known (and journaled) before it is sent. Secrets are read from where the user
keeps them and held only in memory: never printed, logged or written.

On `development` the accounts derive from ganache's fixed, public mnemonic: they guard nothing.
Elsewhere, in this order: the private key in ``$NFT_TOOLKIT_PRIVATE_KEY``; a keystore (``--keystore``
or ``keystore:`` in networks.yaml) whose password is ``$NFT_TOOLKIT_KEYSTORE_PASSWORD`` or asked at
a prompt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from eth_account import Account
from eth_account.hdaccount import ETHEREUM_DEFAULT_PATH, key_from_seed, seed_from_mnemonic
from eth_account.signers.local import LocalAccount

from nft_toolkit.chain.local import DEV_ACCOUNTS, DEV_MNEMONIC
from nft_toolkit.errors import ConfigError, InputError

PRIVATE_KEY_ENV = "NFT_TOOLKIT_PRIVATE_KEY"
PASSWORD_ENV = "NFT_TOOLKIT_KEYSTORE_PASSWORD"


def dev_account(index: int = 0) -> LocalAccount:
    """Development account `index` (0 is the issuer), as ganache derives it from the mnemonic."""
    if not 0 <= index < DEV_ACCOUNTS:
        raise InputError(f"development account {index} does not exist (0..{DEV_ACCOUNTS - 1})")
    seed = seed_from_mnemonic(DEV_MNEMONIC, "")
    path = ETHEREUM_DEFAULT_PATH[:-1] + str(index)  # m/44'/60'/0'/0/<index>
    return Account.from_key(key_from_seed(seed, path))


def from_env(env: dict[str, str] | None = None) -> LocalAccount | None:
    """The account of the private key in $NFT_TOOLKIT_PRIVATE_KEY, if set."""
    value = (env if env is not None else os.environ).get(PRIVATE_KEY_ENV)
    if not value:
        return None
    try:
        return Account.from_key(value.strip())
    except (ValueError, TypeError):
        # The message must not echo the value: it is a secret, even when malformed.
        raise ConfigError(f"${PRIVATE_KEY_ENV} does not hold a valid private key") from None


def from_keystore(path: Path, ask_password: Callable[[str], str] | None = None,
                  env: dict[str, str] | None = None) -> LocalAccount:
    """The account of an encrypted keystore; the password from the environment or `ask_password`."""
    try:
        keyfile = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"keystore {path} does not exist") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"keystore {path} is not a readable JSON keystore: {exc}") from None
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
    return Account.from_key(key)


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
