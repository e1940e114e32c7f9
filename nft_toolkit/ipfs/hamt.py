"""HAMT-sharded UnixFS directories, laid out exactly as boxo (Kubo's importer) lays them out.

A shard has ``fanout`` (256) slots; an entry's slot at depth d is byte d of the murmur3-x64-128
hash's first 64 bits (big-endian) of its name, so each level consumes 8 bits. A slot holds an
entry (link named ``"%02X" % slot + name``) or a child shard (link named ``"%02X" % slot``), made
when two names meet in one slot. The node's UnixFS data is ``{Type: HAMTShard, Data: bitfield of
used slots (big-endian, leading zero bytes stripped), hashType: 0x22 (murmur3), fanout}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Union

import mmh3

from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType, Link

MURMUR3 = 0x22
FANOUT = 256
_MAX_DEPTH = 8  # 64 hash bits, 8 per level

BlockSink = Callable[[Cid, bytes], None]
_Slot = Union[Link, "_Shard"]


def name_hash(name: bytes) -> bytes:
    """The 8 hash bytes boxo takes from murmur3 (spaolacci/murmur3 ``New64().Sum``)."""
    h1, _h2 = mmh3.hash64(name, signed=False)
    return h1.to_bytes(8, "big")


class _Shard:
    __slots__ = ("slots",)

    def __init__(self) -> None:
        self.slots: dict[int, _Slot] = {}

    def insert(self, key: bytes, hashed: bytes, link: Link, depth: int) -> None:
        """Puts `link` (named `key`, whose name_hash is `hashed`) at `depth` or below."""
        if depth >= _MAX_DEPTH:
            raise ValueError("sharded directory too deep (hash collision)")
        idx = hashed[depth]
        here = self.slots.get(idx)
        if here is None:
            self.slots[idx] = link
        elif isinstance(here, _Shard):
            here.insert(key, hashed, link, depth + 1)
        elif here.name == key:
            self.slots[idx] = link
        else:
            child = _Shard()
            child.insert(key, hashed, link, depth + 1)
            child.insert(here.name, name_hash(here.name), here, depth + 1)
            self.slots[idx] = child

    def commit(self, version: int, sink: BlockSink | None) -> tuple[Cid, int]:
        links: list[Link] = []
        bitfield = 0
        for idx in sorted(self.slots):
            bitfield |= 1 << idx
            slot = self.slots[idx]
            prefix = b"%02X" % idx
            if isinstance(slot, _Shard):
                cid, tsize = slot.commit(version, sink)
                links.append(Link(prefix, cid.raw, tsize))
            else:
                links.append(Link(prefix + slot.name, slot.cid, slot.tsize))
        bits = bitfield.to_bytes(FANOUT // 8, "big").lstrip(b"\x00") or None
        data = dagpb.encode_unixfs(DataType.HAMT_SHARD, data=bits, hash_type=MURMUR3, fanout=FANOUT)
        block = dagpb.encode_node(links, data)
        cid = Cid.of_block(version, DAG_PB, block)
        if sink is not None:
            sink(cid, block)
        return cid, len(block) + sum(link.tsize for link in links)


def build(entries: Iterable[Link], version: int, sink: BlockSink | None = None) -> tuple[Cid, int]:
    """The root CID and cumulative size of a sharded directory holding `entries`."""
    root = _Shard()
    for link in entries:
        root.insert(link.name, name_hash(link.name), link, 0)
    return root.commit(version, sink)


def slot_prefix(name: bytes, depth: int) -> bytes:
    """The link-name prefix under which `name` sits at shard depth `depth` (for lookups)."""
    return b"%02X" % name_hash(name)[depth]
