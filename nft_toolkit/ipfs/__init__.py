"""IPFS without a daemon: Kubo-identical CIDs, a local block store, CAR files, pinning backends
and verified retrieval (every block checked against its CID).

The public names are below (``__all__``); the modules that hold them:

- :mod:`nft_toolkit.ipfs.cid`: :class:`Cid`, parsed, written and compared by what it addresses;
- :mod:`nft_toolkit.ipfs.importer`: files and folders to CIDs as ``ipfs add`` makes them, with
  the IPIP-499 :data:`PROFILES`;
- :mod:`nft_toolkit.ipfs.store`, :mod:`nft_toolkit.ipfs.car`: the block store and CAR files;
- :mod:`nft_toolkit.ipfs.retrieval`: verified reads from the store, Kubo RPC or a gateway;
- :mod:`nft_toolkit.ipfs.gateway`: the store served as a trustless HTTP gateway;
- :mod:`nft_toolkit.ipfs.publish`, :mod:`nft_toolkit.ipfs.manifest`,
  :mod:`nft_toolkit.ipfs.provenance`: what ``pin`` computes and writes;
- :mod:`nft_toolkit.ipfs.pinning`: the pinning backends (its own ``__all__``).

Internal (may change without notice): :mod:`~nft_toolkit.ipfs.dagpb`, :mod:`~nft_toolkit.ipfs.hamt`
and :mod:`~nft_toolkit.ipfs.folders` (the UnixFS encoding and the one HAMT layout and lookup),
:mod:`~nft_toolkit.ipfs.uri`, and every name the modules above hold that ``__all__`` does not list.

The names are imported on first use (PEP 562): ``nft-toolkit cid`` needs the importer,
not the HTTP stack of retrieval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nft_toolkit._lazy import lazy_exports

if TYPE_CHECKING:
    from nft_toolkit.ipfs.car import read_car, write_car
    from nft_toolkit.ipfs.cid import Cid, same_cid
    from nft_toolkit.ipfs.gateway import Gateway
    from nft_toolkit.ipfs.importer import (DEFAULT_PROFILE, PROFILES, Entry, Importer, ImportOptions,
                                           compute_cid)
    from nft_toolkit.ipfs.manifest import Manifest
    from nft_toolkit.ipfs.provenance import provenance_hash
    from nft_toolkit.ipfs.publish import prepare
    from nft_toolkit.ipfs.retrieval import (BlockSource, GatewaySource, KuboRpcSource, read_file,
                                            resolve_path)
    from nft_toolkit.ipfs.store import BlockStore

_WHERE = {"read_car": "car", "write_car": "car", "Cid": "cid", "same_cid": "cid",
          "Gateway": "gateway", "DEFAULT_PROFILE": "importer", "PROFILES": "importer",
          "Entry": "importer", "Importer": "importer", "ImportOptions": "importer",
          "compute_cid": "importer", "Manifest": "manifest", "provenance_hash": "provenance",
          "prepare": "publish", "BlockSource": "retrieval", "GatewaySource": "retrieval",
          "KuboRpcSource": "retrieval", "read_file": "retrieval", "resolve_path": "retrieval",
          "BlockStore": "store"}

__all__ = ["BlockSource", "BlockStore", "Cid", "DEFAULT_PROFILE", "Entry", "Gateway",
           "GatewaySource", "ImportOptions", "Importer", "KuboRpcSource", "Manifest", "PROFILES",
           "compute_cid", "prepare", "provenance_hash", "read_car", "read_file", "resolve_path",
           "same_cid", "write_car"]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
