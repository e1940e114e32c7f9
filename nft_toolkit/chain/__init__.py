"""Talking to chains: the local development chain, named networks, accounts, the JSON-RPC client,
and the journaled deployer and minter.

The public names are below (``__all__``); the modules that hold them:

- :mod:`nft_toolkit.chain.client`: :class:`Chain`, one object per connection, that checks the
  chain ID before anything is sent and maps RPC failures to :class:`~nft_toolkit.errors.ChainError`.
- :mod:`nft_toolkit.chain.networks`: `development` or a JSON-RPC URL from networks.yaml or the CLI.
- :mod:`nft_toolkit.chain.connect`: from a project and the network options to a checked Chain.
- :mod:`nft_toolkit.chain.local`: ganache on 127.0.0.1, its state kept under the project.
- :mod:`nft_toolkit.chain.accounts`: who signs (development keys, a keystore, a key in the env,
  an external signer); :mod:`nft_toolkit.chain.remote_signer`: a signer held outside this
  process, asked over JSON-RPC (``eth_signTransaction``).
- :mod:`nft_toolkit.chain.fees`: legacy or EIP-1559 fees, chosen from what the node reports.
- :mod:`nft_toolkit.chain.deployer`, :mod:`nft_toolkit.chain.minter`: deploying and minting,
  resumable from their journals; :mod:`nft_toolkit.chain.airdrop`: recipient lists.

Internal (may change without notice): :mod:`nft_toolkit.chain.pending` (settling a journaled
transaction), :mod:`nft_toolkit.chain.revert` (decoding reverts), and every name the modules
above hold that ``__all__`` does not list.

The names are imported on first use (PEP 562): importing ``nft_toolkit.chain.networks``
must not import web3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nft_toolkit._lazy import lazy_exports

if TYPE_CHECKING:
    from nft_toolkit.chain.accounts import Signer, dev_account, from_env, from_keystore
    from nft_toolkit.chain.airdrop import load_airdrop
    from nft_toolkit.chain.client import Chain
    from nft_toolkit.chain.connect import network_for, open_chain
    from nft_toolkit.chain.deployer import DeployPlan, deploy, deploy_project, plan_for_project
    from nft_toolkit.chain.local import DEV_CHAIN_ID, LocalChain
    from nft_toolkit.chain.minter import Minter, MintResult, project_minter
    from nft_toolkit.chain.networks import DEVELOPMENT, Network, load_networks, resolve_network

_WHERE = {"Signer": "accounts", "dev_account": "accounts", "from_env": "accounts",
          "from_keystore": "accounts", "load_airdrop": "airdrop", "Chain": "client",
          "network_for": "connect", "open_chain": "connect", "DeployPlan": "deployer",
          "deploy": "deployer", "deploy_project": "deployer", "plan_for_project": "deployer",
          "DEV_CHAIN_ID": "local", "LocalChain": "local", "Minter": "minter",
          "MintResult": "minter", "project_minter": "minter", "DEVELOPMENT": "networks",
          "Network": "networks", "load_networks": "networks", "resolve_network": "networks"}

__all__ = ["Chain", "DEVELOPMENT", "DEV_CHAIN_ID", "DeployPlan", "LocalChain", "MintResult",
           "Minter", "Network", "Signer", "deploy", "deploy_project", "dev_account", "from_env",
           "from_keystore", "load_airdrop", "load_networks", "network_for", "open_chain",
           "plan_for_project", "project_minter", "resolve_network"]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
