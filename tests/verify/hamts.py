"""HAMT-sharded folders built by hand, well-formed or broken on purpose, for the folder tests.

`shard_tree` lays entries out as boxo does (tests/ipfs/test_kubo_crosscheck.py holds that for
fanout 256) for any fanout, and `Shard` lets a test write any node, so each rule of
nft_toolkit.ipfs.folders can be broken alone while every block still hashes to its CID.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType, Link
from nft_toolkit.ipfs.hamt import MURMUR3, Layout, name_bits

Put = Callable[[Cid, bytes], None]


@dataclass
class Shard:
    """One HAMT node: `links` (bucket, link name, CID) in the order written; `bitfield` (None:
    the buckets of the links), `hash_type` and `fanout` as written into its UnixFS data."""

    links: list[tuple[int, bytes, Cid]] = field(default_factory=list)
    fanout: int = 256
    hash_type: int = MURMUR3
    bitfield: int | None = None

    def block(self) -> bytes:
        bits = self.bitfield
        if bits is None:
            bits = sum(1 << bucket for bucket, _, _ in self.links)
        data = bits.to_bytes(max(1, (bits.bit_length() + 7) // 8), "big").lstrip(b"\x00") or None
        node = dagpb.encode_unixfs(DataType.HAMT_SHARD, data=data, hash_type=self.hash_type,
                                   fanout=self.fanout)
        return dagpb.encode_node([Link(name, cid.raw, 0) for _, name, cid in self.links], node)

    def put(self, put: Put) -> Cid:
        block = self.block()
        cid = Cid.of_block(0, DAG_PB, block)
        put(cid, block)
        return cid


def shard_tree(entries: dict[bytes, Cid], put: Put, fanout: int = 256,
               edit: Callable[[Shard, int], None] | None = None, depth: int = 0) -> Cid:
    """The root of a well-formed HAMT of `entries` at `fanout`; `edit(shard, depth)` may break
    each node before it is written."""
    layout = Layout.of(MURMUR3, fanout)
    buckets: dict[int, dict[bytes, Cid]] = {}
    for name, cid in entries.items():
        buckets.setdefault(layout.bucket(name_bits(name), depth), {})[name] = cid
    shard = Shard(fanout=fanout)
    for bucket in sorted(buckets):
        group = buckets[bucket]
        if len(group) == 1:
            ((name, cid),) = group.items()
            shard.links.append((bucket, layout.prefix(bucket) + name, cid))
        else:
            child = shard_tree(group, put, fanout, edit, depth + 1)
            shard.links.append((bucket, layout.prefix(bucket), child))
    if edit is not None:
        edit(shard, depth)
    return shard.put(put)
