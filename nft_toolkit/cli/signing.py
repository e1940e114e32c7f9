"""What the commands that send transactions (`deploy`, `mint`) share: the signing account and
the confirmations to wait for, defined once."""

from __future__ import annotations

from pathlib import Path

import click
from eth_account.signers.local import LocalAccount

from nft_toolkit.chain.accounts import signer_for
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.networks import Network

confirmations_option = click.option(
    "--confirmations", type=click.IntRange(min=1), default=None,
    help="Blocks to wait on each transaction (default: the network's).")


def signer_and_confirmations(net: Network, keystore: Path | None, chain: Chain,
                             wanted: int | None) -> tuple[LocalAccount, int]:
    """The signing account of `net` (a keystore's password from the environment or a prompt,
    never echoed) and the confirmations to wait for, with a note on stderr when the chain
    needs fewer than asked (a development chain)."""
    signer = signer_for(net.is_development, keystore or net.keystore,
                        ask_password=lambda prompt: click.prompt(prompt, hide_input=True, err=True))
    confirmations, note = chain.confirmations_for(wanted or net.confirmations)
    if note:
        click.echo(f"note: {note}", err=True)
    return signer, confirmations
