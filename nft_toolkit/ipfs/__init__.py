"""IPFS without a daemon: Kubo-identical CIDs, a local block store, CAR files, pinning backends
and verified retrieval (every block checked against its CID).

The names below are imported on first use (PEP 562): ``nft-toolkit cid`` needs the importer,
not the HTTP stack of retrieval.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nft_toolkit.ipfs.cid import Cid
    from nft_toolkit.ipfs.importer import Entry, Importer, ImportOptions, compute_cid
    from nft_toolkit.ipfs.retrieval import (BlockSource, GatewaySource, KuboRpcSource, read_file,
                                            resolve_path)
    from nft_toolkit.ipfs.store import BlockStore

_WHERE = {"Cid": "cid", "Entry": "importer", "Importer": "importer", "ImportOptions": "importer",
          "compute_cid": "importer", "BlockSource": "retrieval", "GatewaySource": "retrieval",
          "KuboRpcSource": "retrieval", "read_file": "retrieval", "resolve_path": "retrieval",
          "BlockStore": "store"}

__all__ = ["BlockSource", "BlockStore", "Cid", "Entry", "GatewaySource", "ImportOptions",
           "Importer", "KuboRpcSource", "compute_cid", "read_file", "resolve_path"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
