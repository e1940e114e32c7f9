"""Talking to chains: the local development chain, named networks, accounts, and the gateway.

- :mod:`nft_toolkit.chain.local`: ganache on 127.0.0.1, its state kept under the project.
- :mod:`nft_toolkit.chain.networks`: `development` or a JSON-RPC URL from networks.yaml or the CLI.
- :mod:`nft_toolkit.chain.gateway`: :class:`Chain`, one object per connection, that checks the
  chain ID before anything is sent and maps RPC failures to :class:`~nft_toolkit.errors.ChainError`.
- :mod:`nft_toolkit.chain.accounts`: who signs (development keys, a keystore, a key in the env).
"""

from nft_toolkit.chain.gateway import Chain
from nft_toolkit.chain.networks import DEVELOPMENT, Network

__all__ = ["Chain", "DEVELOPMENT", "Network"]
