"""From a project and the network options to a checked :class:`Chain`."""

from __future__ import annotations

from pathlib import Path

from nft_toolkit.chain.gateway import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID, LocalChain
from nft_toolkit.chain.networks import (NETWORKS_FILE, Network, expand_url, load_networks,
                                        resolve_network)
from nft_toolkit.errors import ChainError, ConfigError


def network_for(root: Path | None, name: str | None, rpc_url: str | None,
                chain_id: int | None) -> Network:
    """The network named by the options, with the project's networks.yaml when there is one."""
    known = load_networks(root / NETWORKS_FILE) if root is not None else {}
    return resolve_network(name, rpc_url, chain_id, known, DEV_CHAIN_ID)


def open_chain(network: Network, chain_dir: Path | None, *, start: bool,
               check: bool = True) -> Chain:
    """A connection to `network`, its chain ID checked (unless `check` is False: a verifier
    reports a wrong chain as a verdict); starts the development chain if `start`."""
    if network.is_development and network.rpc_url is None:
        if chain_dir is None:
            raise ConfigError("the development chain belongs to a project: run inside one "
                              "(or --project DIR), or give --rpc-url")
        local = LocalChain(chain_dir)
        state = local.start() if start else local.status()
        if state is None:
            raise ChainError("the development chain is not running: `nft-toolkit chain start`")
        url = state.url
    else:
        assert network.rpc_url is not None
        url = expand_url(network.rpc_url)
    chain = Chain(url, network.chain_id, name=network.name)
    if check:
        chain.check()
    return chain
