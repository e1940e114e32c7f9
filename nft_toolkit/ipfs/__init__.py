"""IPFS without a daemon: Kubo-identical CIDs, a local block store, CAR files, pinning backends
and verified retrieval (every block checked against its CID)."""

from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import Entry, Importer, ImportOptions, compute_cid
from nft_toolkit.ipfs.retrieval import (BlockSource, GatewaySource, KuboRpcSource, read_file,
                                        resolve_path)
from nft_toolkit.ipfs.store import BlockStore

__all__ = ["BlockSource", "BlockStore", "Cid", "Entry", "GatewaySource", "ImportOptions",
           "Importer", "KuboRpcSource", "compute_cid", "read_file", "resolve_path"]
