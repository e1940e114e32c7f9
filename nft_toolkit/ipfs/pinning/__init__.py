"""Pinning backends behind one interface (:class:`PinBackend`), chosen by name.

``local`` (default): the project's block store, no daemon. ``kubo``: a Kubo node's RPC API.
``pinning-service``: the IPFS Pinning Service API (any provider, or IPFS Cluster's ``pinsvc``
endpoint), token from the environment; ``${VAR}`` in its URL is read from the environment too
(a key some providers put in the path stays out of collection.yaml). The remote backends share one :class:`RateLimit` built
from ``ipfs.requests_per_minute`` and ``ipfs.requests_burst``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from nft_toolkit.config import IpfsConfig
from nft_toolkit.errors import ConfigError
from nft_toolkit.ipfs.pinning.base import PinBackend, PinResult, PinTarget, RetryPolicy
from nft_toolkit.ipfs.pinning.local import LocalBackend
from nft_toolkit.ipfs.pinning.ratelimit import RateLimit
from nft_toolkit.project import Project
from nft_toolkit.urls import expand_url

if TYPE_CHECKING:
    from nft_toolkit.ipfs.store import BlockStore

BACKENDS = ("local", "kubo", "pinning-service")

__all__ = ["BACKENDS", "PinBackend", "PinResult", "PinTarget", "RateLimit", "RetryPolicy",
           "make_backend"]


def make_backend(name: str, config: IpfsConfig, project: Project,
                 retry: RetryPolicy | None = None) -> PinBackend:
    """The backend `name` configured from collection.yaml's ``ipfs`` section."""
    if name == "local":
        return LocalBackend(project_store(project), project.state_dir / "pins.json")
    if name == "kubo":
        from nft_toolkit.ipfs.pinning.kubo import KuboBackend

        return KuboBackend(config.kubo_api, cid_version=config.cid_version,
                           profile=config.profile, retry=retry, limit=_rate_limit(config))
    if name == "pinning-service":
        from nft_toolkit.ipfs.pinning.service import PinningServiceBackend

        if not config.pinning_service_url:
            raise ConfigError("collection.yaml: ipfs.pinning_service_url is required for the "
                              "pinning-service backend (the service's API endpoint)")
        token = os.environ.get(config.pinning_token_env)
        if not token:
            raise ConfigError(f"the pinning-service backend needs the access token in the "
                              f"environment variable {config.pinning_token_env} (ipfs.pinning_token_env)")
        url = expand_url(config.pinning_service_url, "collection.yaml: ipfs.pinning_service_url")
        return PinningServiceBackend(url, token, retry=retry, limit=_rate_limit(config),
                                     token_env=config.pinning_token_env)
    raise ConfigError(f"unknown IPFS backend {name!r}: choose one of {', '.join(BACKENDS)}")


def _rate_limit(config: IpfsConfig) -> RateLimit:
    """The request budget collection.yaml sets for a remote backend."""
    return RateLimit(config.requests_per_minute, config.requests_burst)


def project_store(project: Project) -> BlockStore:
    from nft_toolkit.ipfs.store import BlockStore

    return BlockStore(project.store_dir)
