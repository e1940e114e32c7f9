"""What `nft-toolkit check` reads from a network before deploy or mint would send anything: the
chain answers, is the chain ID expected, and the signing account, its fee kind and balance.

Nothing here signs, sends or asks for a password: a keystore names its account in clear.
"""

from __future__ import annotations

import os
from pathlib import Path

from nft_toolkit.address import parse_address
from nft_toolkit.chain.accounts import (FROM_WITHOUT_SIGNER, PRIVATE_KEY_ENV, dev_account,
                                        external_signer, from_env)
from nft_toolkit.chain.client import Chain, checksum
from nft_toolkit.chain.connect import open_chain
from nft_toolkit.chain.endpoints import EndpointsProvider
from nft_toolkit.chain.local import LocalChain
from nft_toolkit.chain.networks import Network
from nft_toolkit.errors import ConfigError, InputError
from nft_toolkit.jsonfile import read_json
from nft_toolkit.preflight import Preflight


def signing_address(net: Network) -> str:
    """The EIP-55 address deploy and mint would sign with on `net` (the order of
    :func:`nft_toolkit.chain.accounts.signer_for`), found without any secret; ConfigError when
    there is no account to sign with."""
    if net.from_address and not net.signer_url:
        raise ConfigError(FROM_WITHOUT_SIGNER)
    if net.signer_url:
        if net.from_address is None:
            raise ConfigError(f"{net.name} signs through an external signer: name its account "
                              "(`from:` in networks.yaml, or --from)")
        return parse_address(net.from_address, "from")
    if net.is_development and net.keystore is None and not os.environ.get(PRIVATE_KEY_ENV):
        return str(dev_account(0).address)
    account = from_env()
    if account is not None:
        return str(account.address)
    if net.keystore is not None:
        keyfile = read_json(net.keystore, "keystore", InputError, "give the keystore file")
        named = keyfile.get("address") if isinstance(keyfile, dict) else None
        if not isinstance(named, str):
            raise ConfigError(f"keystore {net.keystore} names no address")
        return parse_address(named if named.startswith("0x") else "0x" + named,
                             f"keystore {net.keystore}")
    raise ConfigError(f"no account to sign with: set ${PRIVATE_KEY_ENV}, or give --keystore FILE "
                      "(or `keystore:` for the network in networks.yaml)")


def check_chain(out: Preflight, net: Network, chain_dir: Path | None) -> Chain | None:
    """Adds to `out` whether `net` answers as its expected chain ("chain") and who would sign,
    with which fee kind and balance ("account"); the chain when it answers as expected, else
    None. A development chain that is not running is a note (deploy starts it)."""
    if net.is_development and net.rpc_url is None and chain_dir is not None \
            and LocalChain(chain_dir).status() is None:
        out.warn("chain", "the development chain is not running (deploy starts it; "
                 "`nft-toolkit chain start`): not checked")
        out.issuer = out.signer = signing_address(net)  # the development account, unless a key is given
        return None
    found: list[Chain] = []

    def reach() -> str:
        chain = open_chain(net, chain_dir, start=False, check=False)
        several = chain.w3.provider
        if isinstance(several, EndpointsProvider):
            several.announce = False  # the "endpoints" finding below names the silent ones
        actual = chain.chain_id  # ChainError when nothing answers
        # only the endpoints that answered (every one is asked for its chain ID)
        where = (", ".join(several.answering()) if isinstance(several, EndpointsProvider)
                 else chain.where)
        if net.chain_id is None:
            raise ConfigError(f"{net.name} at {where} answers as chain {actual}; "
                              "deploy needs --chain-id to check it before anything is sent")
        chain.check()  # ConfigError on another chain
        found.append(chain)
        return f"{net.name} at {where} answers as chain {actual}, as expected"

    if not out.rule("chain", reach):
        return None
    chain = found[0]
    provider = chain.w3.provider
    if isinstance(provider, EndpointsProvider) and provider.unreached():
        down = provider.unreached()
        out.warn("endpoints", f"{len(down)} of {len(provider.endpoints)} endpoints "
                 f"{'does' if len(down) == 1 else 'do'} not answer ({'; '.join(down)}); the "
                 "others serve meanwhile")

    def account() -> str:
        address = signing_address(net)
        out.issuer = out.signer = address
        if net.signer_url:  # a wrong --from: the signer's own list of accounts, no signature
            external_signer(net.signer_url, address).check_holds()
        fees = chain.fees()
        if "gasPrice" in fees:
            kind, price = "legacy (gasPrice, no fee market)", fees["gasPrice"]
        else:
            kind, price = "EIP-1559 (maxFeePerGas)", fees["maxFeePerGas"]
        text = f"signs as {address}; fees {kind}, {price:,} wei per gas"
        if price == 0:
            return text + ": nothing to pay"
        balance = int(chain.rpc(lambda: chain.w3.eth.get_balance(checksum(address, "account")), "eth_getBalance"))
        if balance == 0:
            raise ConfigError(f"{text}, but {address} holds 0 wei: fund it before deploying "
                              "or minting")
        return f"{text}; balance {balance:,} wei"

    out.rule("account", account)
    return chain
