"""HAMT-sharded UnixFS directories, laid out exactly as boxo (Kubo's importer) lays them out.

This module holds the layout, written by :func:`build` and read back by
:mod:`nft_toolkit.ipfs.folders` (the one lookup and listing, with every check), so the two sides
cannot drift. Sources: the UnixFS spec, "dag-pb HAMTDirectory" (specs.ipfs.tech/unixfs), and
boxo ``ipld/unixfs/hamt`` (what Kubo writes; where the spec's prose on bit order differs, boxo's
bytes are the ones tests/ipfs/test_kubo_crosscheck.py holds).

A shard has ``fanout`` (256) slots; an entry's slot at depth d is byte d of the murmur3-x64-128
hash's first 64 bits (big-endian) of its name, so each level consumes 8 bits. A slot holds an
entry (link named ``"%02X" % slot + name``) or a child shard (link named ``"%02X" % slot``), made
when two names meet in one slot. The node's UnixFS data is ``{Type: HAMTShard, Data: bitfield of
used slots (big-endian, leading zero bytes stripped), hashType: 0x22 (murmur3), fanout}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Union

import mmh3

from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType, Link

MURMUR3 = 0x22  # multihash code of murmur3-x64-64, the only hashType the spec allows
FANOUT = 256  # what boxo writes
MAX_FANOUT = 1024  # the spec's bound (CVE-2023-23625: a huge fanout exhausts memory)
HASH_BITS = 64  # boxo uses the first 64 bits of murmur3-x64-128
_MAX_DEPTH = HASH_BITS // 8  # levels the builder can make at fanout 256

BlockSink = Callable[[Cid, bytes], None]
_Slot = Union[Link, "_Shard"]


def name_hash(name: bytes) -> bytes:
    """The 8 hash bytes boxo takes from murmur3 (spaolacci/murmur3 ``New64().Sum``)."""
    h1, _h2 = mmh3.hash64(name, signed=False)
    return h1.to_bytes(8, "big")


def name_bits(name: bytes) -> int:
    """:func:`name_hash` as an unsigned 64-bit integer, bucket bits taken from the top."""
    return mmh3.hash64(name, signed=False)[0]


@dataclass(frozen=True, slots=True)
class Layout:
    """How one HAMT places names: `fanout` buckets per shard, `bits` = log2(fanout) hash bits
    per level (from the most significant), link names prefixed by the bucket in `width`
    uppercase hex digits (boxo: ``%0*X``, width ``len("%X" % (fanout - 1))``)."""

    fanout: int
    bits: int
    width: int

    @classmethod
    def of(cls, hash_type: int | None, fanout: int | None) -> Layout:
        """The layout a shard's UnixFS ``hashType`` and ``fanout`` declare; ValueError (the
        reason) unless murmur3-x64-64 and a power of two, multiple of 8, at most 1024."""
        if hash_type != MURMUR3:
            raise ValueError(f"hash function {hash_type!r}, not murmur3-x64-64 (0x22)")
        if fanout is None or fanout < 8 or fanout > MAX_FANOUT or fanout & (fanout - 1):
            raise ValueError(f"fanout {fanout!r} is not a power of two from 8 to {MAX_FANOUT}")
        return cls(fanout, fanout.bit_length() - 1, len(f"{fanout - 1:X}"))

    @property
    def max_depth(self) -> int:
        """Shard levels the hash can address: past them a name has no bits left (boxo:
        "sharded directory too deep")."""
        return HASH_BITS // self.bits

    def route(self, hashed: int, depth: int) -> int:
        """The buckets of a name whose :func:`name_bits` are `hashed` at depths 0..`depth`, as
        one integer (its top ``bits * (depth + 1)`` bits): where it must sit at `depth`."""
        return hashed >> (HASH_BITS - self.bits * (depth + 1))

    def bucket(self, hashed: int, depth: int) -> int:
        """The bucket of a name whose :func:`name_bits` are `hashed`, in a shard at `depth`."""
        return self.route(hashed, depth) & (self.fanout - 1)

    def prefix(self, bucket: int) -> bytes:
        """The link-name prefix of `bucket` (a child shard's whole name)."""
        return b"%0*X" % (self.width, bucket)


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
