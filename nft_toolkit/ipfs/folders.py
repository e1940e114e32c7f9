"""UnixFS folders read from verified blocks: the one listing and the one lookup of a plain or
HAMT-sharded directory, for retrieval, the gateway and the verifier alike.

Every block comes from a ``BlockSource``, which checks it against its CID; this module checks
that the verified blocks form a folder the UnixFS spec allows (specs.ipfs.tech/unixfs, "dag-pb
Directory" and "dag-pb HAMTDirectory"), laid out as :mod:`nft_toolkit.ipfs.hamt` (boxo) writes it.
Anything else is :class:`BrokenFolder`, the same refusal whichever caller met it:

- a plain Directory: no two links of one name ("the decoder MUST fail");
- a HAMT shard: ``hashType`` murmur3-x64-64 (0x22) and ``fanout`` a power of two from 8 to 1024,
  the same in every shard of the tree; no deeper than the 64 hash bits reach
  (``64 // log2(fanout)`` levels); a bitfield naming buckets below ``fanout`` only, one link per
  set bit, in bucket order; every link named by its bucket's uppercase hex prefix (a child
  shard) or prefix + entry name, the entry's name hashing to every bucket on the path from the
  root to it; a child shard is a HAMT shard met once (no cycle);
- every link a sha2-256 dag-pb or raw CID.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from nft_toolkit.errors import ContentError
from nft_toolkit.ipfs import dagpb, hamt
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType, PbNode, UnixFsData

if TYPE_CHECKING:  # retrieval imports this module; the protocol is only a type here
    from nft_toolkit.ipfs.retrieval import BlockSource


class NoEntry(ContentError):
    """A folder, read and verified, has no entry of that name: a fact about the content, not a
    failure to reach it."""


class BrokenFolder(NoEntry):
    """A folder, read and verified, that the UnixFS spec does not allow (see the module's list):
    none of its entries can be trusted. Like NoEntry, a fact about the content (a verifier says
    ``tampered``), never a failure to reach it."""


_Slot = tuple[int, Cid, bytes | None]  # bucket, linked CID, entry name (None: a child shard)
# a folder node as checked: a plain Directory's entries, or a HAMT shard's layout and slots
_Checked = dict[bytes, Cid] | tuple[hamt.Layout, list[_Slot]]
NODES_BYTES = 8 << 20  # blocks' bytes a FolderNodes keeps the checked nodes of (each is held
# as Python objects several times its size)


class FolderNodes:
    """Folder nodes already read and checked, kept by CID and place in the tree (the most
    recently used, up to NODES_BYTES of their blocks; thread-safe). Blocks are content-addressed:
    what was checked of one holds wherever it is met again at the same place. A reader looking
    up many entries of one folder (a verifier reading many tokens' images) decodes each node
    once instead of once per entry (a plain folder of 1,000 entries: about 5 ms a lookup)."""

    def __init__(self, budget: int = NODES_BYTES) -> None:
        self._budget = budget
        self._used = 0
        self._nodes: OrderedDict[tuple[bytes, int, int, int], tuple[_Checked, int]] = \
            OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[bytes, int, int, int],
            read: Callable[[], tuple[_Checked, int]]) -> _Checked:
        """The checked node at `key` (multihash, depth, route, fanout; depth -1 for a root),
        `read()` (its checked form and its block's size) when not kept."""
        with self._lock:
            kept = self._nodes.get(key)
            if kept is not None:
                self._nodes.move_to_end(key)
                return kept[0]
        checked, size = read()  # outside the lock: read, verified and decoded
        with self._lock:
            if key not in self._nodes and size <= self._budget:
                self._nodes[key] = (checked, size)
                self._used += size
                while self._used > self._budget:
                    self._used -= self._nodes.popitem(last=False)[1][1]
        return checked


def _link_cid(raw: bytes, where: Cid) -> Cid:
    try:
        return Cid.from_raw(raw)
    except ValueError as exc:
        raise BrokenFolder(f"a broken folder {where}: a link is {exc}") from None


def _open(source: BlockSource, cid: Cid) -> tuple[PbNode, UnixFsData]:
    """The verified node of folder `cid` and its UnixFS data; BrokenFolder when it is no folder."""
    return _opened(source, cid)[:2]


def _opened(source: BlockSource, cid: Cid) -> tuple[PbNode, UnixFsData, int]:
    """:func:`_open`, and the block's size in bytes."""
    if cid.codec != DAG_PB:
        raise BrokenFolder(f"a raw block {cid} where a UnixFS folder belongs")
    block = source.get_block(cid)
    node = dagpb.decode_node(block)
    fs = node.unixfs
    if fs is None or fs.type not in (DataType.DIRECTORY, DataType.HAMT_SHARD):
        kind = "no UnixFS data" if fs is None else fs.type.name
        raise BrokenFolder(f"{cid} where a UnixFS folder belongs ({kind})")
    return node, fs, len(block)


def _plain(node: PbNode, cid: Cid) -> dict[bytes, Cid]:
    """The entries of a plain Directory node, refusing a repeated name."""
    out: dict[bytes, Cid] = {}
    for link in node.links:
        if link.name in out:
            raise BrokenFolder(f"a broken folder {cid}: two entries named "
                               f"{link.name.decode(errors='replace')!r}")
        out[link.name] = _link_cid(link.cid, cid)
    return out


def _layout(fs: UnixFsData, cid: Cid) -> hamt.Layout:
    try:
        return hamt.Layout.of(fs.hash_type, fs.fanout)
    except ValueError as exc:
        raise BrokenFolder(f"a broken HAMT shard {cid}: {exc}") from None


def _slots(node: PbNode, fs: UnixFsData, cid: Cid, layout: hamt.Layout, depth: int,
           route: int) -> list[_Slot]:
    """The checked slots of the shard `cid` at `depth`, reached through buckets `route` (the
    buckets above, most significant first, as one integer)."""
    def broken(why: str) -> BrokenFolder:
        return BrokenFolder(f"a broken HAMT shard {cid} (depth {depth}): {why}")

    if fs.type != DataType.HAMT_SHARD:
        raise broken(f"a {fs.type.name} node inside a HAMT")
    if (fs.hash_type, fs.fanout) != (hamt.MURMUR3, layout.fanout):
        raise broken(f"hashType {fs.hash_type!r} and fanout {fs.fanout!r} differ from the root's")
    if depth >= layout.max_depth:
        raise broken(f"deeper than the {layout.max_depth} levels a 64-bit hash can address")
    bitfield = int.from_bytes(fs.data, "big")
    if bitfield >> layout.fanout:
        raise broken(f"its bitfield names buckets beyond fanout {layout.fanout}")
    buckets = [i for i in range(layout.fanout) if bitfield >> i & 1]
    if len(buckets) != len(node.links):
        raise broken(f"its bitfield names {len(buckets)} buckets, it has {len(node.links)} links")
    slots: list[_Slot] = []
    for bucket, link in zip(buckets, node.links):
        prefix = layout.prefix(bucket)
        if link.name[:layout.width] != prefix:
            raise broken(f"link {link.name[:80]!r} is not in bucket {prefix.decode()} "
                         "(links follow the bitfield in bucket order)")
        name = link.name[layout.width:] or None
        expected = (route << layout.bits) | bucket
        if name is not None and layout.route(hamt.name_bits(name), depth) != expected:
            raise broken(f"entry {name[:80]!r} does not hash to bucket {prefix.decode()}")
        slots.append((bucket, _link_cid(link.cid, cid), name))
    return slots


def list_folder(source: BlockSource, cid: Cid | str) -> dict[bytes, Cid]:
    """Name -> CID of every entry of the folder `cid` (plain or HAMT-sharded), every block
    verified by `source` and read once; BrokenFolder when the folder breaks the spec."""
    root = Cid.coerce(cid)
    node, fs = _open(source, root)
    if fs.type == DataType.DIRECTORY:
        return _plain(node, root)
    layout = _layout(fs, root)
    out: dict[bytes, Cid] = {}
    seen = {root.multihash}

    def walk(shard: Cid, node: PbNode, fs: UnixFsData, depth: int, route: int) -> None:
        for bucket, child, name in _slots(node, fs, shard, layout, depth, route):
            if name is not None:
                out[name] = child  # names are unique: each hashes to one path
                continue
            if child.multihash in seen:
                raise BrokenFolder(f"a broken HAMT {root}: shard {child} is linked twice (a cycle)")
            seen.add(child.multihash)
            walk(child, *_open(source, child), depth + 1, (route << layout.bits) | bucket)

    walk(root, node, fs, 0, 0)
    return out


def folder_entry(source: BlockSource, cid: Cid | str, name: bytes,
                 nodes: FolderNodes | None = None) -> Cid:
    """The CID of entry `name` of the folder `cid` (plain or HAMT-sharded), reading only the
    shards on its hash's path, each checked whole; NoEntry when it has none, BrokenFolder when
    the folder breaks the spec. `nodes`: folder nodes checked before (and kept for the next)."""
    root = Cid.coerce(cid)
    nodes = nodes or FolderNodes(0)

    def read_root() -> tuple[_Checked, int]:
        node, fs, size = _opened(source, root)
        if fs.type == DataType.DIRECTORY:
            return _plain(node, root), size
        layout = _layout(fs, root)
        return (layout, _slots(node, fs, root, layout, 0, 0)), size

    checked = nodes.get((root.multihash, -1, 0, 0), read_root)
    missing = NoEntry(f"no entry {name.decode(errors='replace')!r} in {root}")
    if isinstance(checked, dict):
        found = checked.get(name)
        if found is None:
            raise missing
        return found
    layout, slots = checked
    hashed, route, seen = hamt.name_bits(name), 0, {root.multihash}
    for depth in range(layout.max_depth):
        bucket = layout.bucket(hashed, depth)
        slot = next((s for s in slots if s[0] == bucket), None)
        if slot is None:
            raise missing
        _, child, entry = slot
        if entry is not None:
            if entry != name:
                raise missing
            return child
        if child.multihash in seen:
            raise BrokenFolder(f"a broken HAMT {root}: shard {child} is linked twice (a cycle)")
        seen.add(child.multihash)
        route = (route << layout.bits) | bucket

        def read_shard(shard: Cid = child, depth: int = depth + 1,
                       route: int = route) -> tuple[_Checked, int]:
            node, fs, size = _opened(source, shard)
            # _slots refuses a level too deep (depth max_depth) and a layout unlike the root's
            return (layout, _slots(node, fs, shard, layout, depth, route)), size

        shard_checked = nodes.get((child.multihash, depth + 1, route, layout.fanout), read_shard)
        assert not isinstance(shard_checked, dict)  # _slots refuses a plain Directory in a HAMT
        slots = shard_checked[1]
    raise AssertionError("unreachable: _slots refuses depth max_depth")


def iter_names(entries: dict[bytes, Cid]) -> Iterator[tuple[str, Cid]]:
    """`entries` with names as text: UTF-8, any other byte kept losslessly as a surrogate
    (``surrogateescape``), so a name never matches text it does not spell."""
    for name, cid in entries.items():
        yield name.decode("utf-8", "surrogateescape"), cid
