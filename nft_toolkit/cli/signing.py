"""What the commands that send transactions (`deploy`, `mint`, and `check`, which says what they
would do) share: the signing account and the confirmations to wait for, defined once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from nft_toolkit.cli.prompts import ask_password
from nft_toolkit.chain.accounts import FROM_ENV, SIGNER_URL_ENV, NodeSigner, Signer, signer_for
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.networks import Network, check_url

F = TypeVar("F", bound=Callable[..., Any])

confirmations_option = click.option(
    "--confirmations", type=click.IntRange(min=1), default=None,
    help="Blocks to wait on each transaction (default: the network's).")


def signer_options(fn: F) -> F:
    """--signer-url and --from: an external signer that holds the issuer's key and signs
    transactions."""
    return _signer_options(fn, "eth_signTransaction")


def message_signer_options(fn: F) -> F:
    """--signer-url and --from for a command that signs a message, not a transaction."""
    return _signer_options(fn, "personal_sign, EIP-191")


def _signer_options(fn: F, method: str) -> F:
    fn = click.option("--from", "from_address", default=None, metavar="ADDRESS",
                      envvar=FROM_ENV, show_envvar=True,
                      help="The issuer's address at the external signer.")(fn)
    fn = click.option("--signer-url", "signer_url", default=None, metavar="URL",
                      envvar=SIGNER_URL_ENV, show_envvar=True,
                      help=f"An external signer's JSON-RPC URL ({method}): "
                           "Web3Signer, Clef, a node with the account unlocked.")(fn)
    return fn


def signing_network(net: Network, keystore: Path | None, signer_url: str | None,
                    from_address: str | None) -> Network:
    """`net` with the command line's signing options over networks.yaml's: --keystore replaces
    the network's external signer, --signer-url and --from its own; ConfigError for a
    --signer-url that is no http(s) URL."""
    if signer_url is not None:
        check_url(signer_url, "--signer-url")
    if keystore is not None and signer_url is None:
        return replace(net, keystore=keystore, signer_url=None, from_address=from_address)
    url = signer_url or net.signer_url
    return replace(net, keystore=keystore or (None if url else net.keystore), signer_url=url,
                   from_address=from_address or net.from_address)


def signer_and_confirmations(net: Network, keystore: Path | None, chain: Chain,
                             wanted: int | None, signer_url: str | None = None,
                             from_address: str | None = None) -> tuple[Signer, int]:
    """The signing account of `net` (an external signer given by option or networks.yaml; a
    keystore's password from the environment or a prompt, never echoed) and the confirmations
    to wait for, with a note on stderr when the chain needs fewer than asked (a development
    chain)."""
    signed = signing_network(net, keystore, signer_url, from_address)
    signer = signer_for(signed.is_development, signed.keystore, ask_password=ask_password,
                        signer_url=signed.signer_url, from_address=signed.from_address)
    if isinstance(signer, NodeSigner):  # a wrong --from, before anything is journaled
        signer.check_holds()
    confirmations, note = chain.confirmations_for(wanted or net.confirmations)
    if note:
        click.echo(f"note: {note}", err=True)
    return signer, confirmations
