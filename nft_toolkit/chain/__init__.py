"""Talking to chains: the local development chain, named networks, accounts, and the JSON-RPC client.

- :mod:`nft_toolkit.chain.local`: ganache on 127.0.0.1, its state kept under the project.
- :mod:`nft_toolkit.chain.networks`: `development` or a JSON-RPC URL from networks.yaml or the CLI.
- :mod:`nft_toolkit.chain.client`: :class:`Chain`, one object per connection, that checks the
  chain ID before anything is sent and maps RPC failures to :class:`~nft_toolkit.errors.ChainError`.
- :mod:`nft_toolkit.chain.accounts`: who signs (development keys, a keystore, a key in the env).

The names below are imported on first use (PEP 562): importing ``nft_toolkit.chain.networks``
must not import web3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nft_toolkit.chain.client import Chain
    from nft_toolkit.chain.networks import DEVELOPMENT, Network

_WHERE = {"Chain": "client", "DEVELOPMENT": "networks", "Network": "networks"}

__all__ = ["Chain", "DEVELOPMENT", "Network"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
