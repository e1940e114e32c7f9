"""What the commands that send transactions (`deploy`, `mint`) share: the signing account and
the confirmations to wait for, defined once."""

from __future__ import annotations

from collections.abc import Callable
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


def signer_and_confirmations(net: Network, keystore: Path | None, chain: Chain,
                             wanted: int | None, signer_url: str | None = None,
                             from_address: str | None = None) -> tuple[Signer, int]:
    """The signing account of `net` (an external signer given by option or networks.yaml; a
    keystore's password from the environment or a prompt, never echoed) and the confirmations
    to wait for, with a note on stderr when the chain needs fewer than asked (a development
    chain)."""
    if signer_url is not None:
        check_url(signer_url, "--signer-url")
    if keystore is not None and signer_url is None:  # --keystore overrides the network's signer
        url, sender = None, from_address
    else:
        url, sender = signer_url or net.signer_url, from_address or net.from_address
    signer = signer_for(net.is_development, keystore or (None if url else net.keystore),
                        ask_password=ask_password,
                        signer_url=url, from_address=sender)
    if isinstance(signer, NodeSigner):  # a wrong --from, before anything is journaled
        signer.check_holds()
    confirmations, note = chain.confirmations_for(wanted or net.confirmations)
    if note:
        click.echo(f"note: {note}", err=True)
    return signer, confirmations
