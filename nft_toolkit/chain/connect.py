"""From a project and the network options to a checked :class:`Chain`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nft_toolkit.chain.client import Chain
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
    """A connection to `network` (through all its endpoints: nft_toolkit.chain.endpoints), its
    chain ID checked, every endpoint's alike (unless `check` is False: a verifier
    reports a wrong chain as a verdict); starts the development chain if `start` (a command
    that may start it uses :func:`chain_session`, which stops it again if the command fails)."""
    if network.is_development and network.rpc_url is None:
        if chain_dir is None:
            raise ConfigError("the development chain belongs to a project: run inside one "
                              "(or --project DIR), or give --rpc-url")
        local = LocalChain(chain_dir)
        state = local.start() if start else local.status()
        if state is None:
            raise ChainError("the development chain is not running: `nft-toolkit chain start`")
        urls: tuple[str, ...] = (state.url,)
    else:
        assert network.rpc_urls
        several = len(network.rpc_urls) > 1
        urls = tuple(expand_url(url, f"RPC endpoint {i + 1} of {network.name}" if several
                                else "the RPC URL") for i, url in enumerate(network.rpc_urls))
    chain = Chain(urls, network.chain_id, name=network.name, fees=network.fees)
    if check:
        chain.check()
    return chain


@contextmanager
def chain_session(network: Network, chain_dir: Path | None, *, start: bool,
                  check: bool = True) -> Iterator[Chain]:
    """:func:`open_chain` for the body of a command: when the command started the development
    chain itself and then fails (or is interrupted), the chain is stopped again, so a failed
    command leaves nothing running; one that succeeds leaves it running for the next."""
    local = (LocalChain(chain_dir) if start and chain_dir is not None
             and network.is_development and network.rpc_url is None else None)
    was_running = local is None or local.status() is not None
    try:
        yield open_chain(network, chain_dir, start=start, check=check)
    except BaseException:
        if not was_running:
            assert local is not None
            local.stop()
        raise
