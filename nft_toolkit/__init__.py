"""nft-toolkit: issue and verify NFT digital collections.

The library is the product; the ``nft-toolkit`` CLI and the Brownie scripts are thin shells
over it. The most used names are here (``__all__``); each subpackage declares its own public
names in its ``__all__`` (:mod:`nft_toolkit.verify`, :mod:`nft_toolkit.chain`,
:mod:`nft_toolkit.ipfs`, :mod:`nft_toolkit.ipfs.pinning`, :mod:`nft_toolkit.art`) and says which
of its modules are internal. Verifying a token from Python::

    from nft_toolkit import Chain, Trust, verify_token
    from nft_toolkit.ipfs import GatewaySource
    from nft_toolkit.verify import IpfsContent, Web3Reader

    report = verify_token(Web3Reader(Chain(rpc_url, chain_id)),
                          IpfsContent(GatewaySource(gateway)), Trust(contract, issuer, chain_id), 7)

The names are imported on first use (PEP 562): ``nft-toolkit --version`` imports this module
and must not import web3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nft_toolkit._lazy import lazy_exports

__version__ = "0.1.0"

if TYPE_CHECKING:
    from nft_toolkit.chain.client import Chain
    from nft_toolkit.config import CollectionConfig, load_config
    from nft_toolkit.errors import NftToolkitError
    from nft_toolkit.ipfs.cid import Cid
    from nft_toolkit.ipfs.importer import ImportOptions, compute_cid
    from nft_toolkit.project import Project
    from nft_toolkit.verify import Report, Trust, Verdict, verify_token
    from nft_toolkit.verify.audit import audit

_WHERE = {"Chain": "chain.client", "CollectionConfig": "config", "load_config": "config",
          "NftToolkitError": "errors", "Cid": "ipfs.cid", "ImportOptions": "ipfs.importer",
          "compute_cid": "ipfs.importer", "Project": "project", "Report": "verify",
          "Trust": "verify", "Verdict": "verify", "audit": "verify", "verify_token": "verify"}

__all__ = ["Chain", "Cid", "CollectionConfig", "ImportOptions", "NftToolkitError", "Project",
           "Report", "Trust", "Verdict", "__version__", "audit", "compute_cid", "load_config",
           "verify_token"]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
