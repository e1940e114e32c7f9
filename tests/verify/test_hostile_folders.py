"""Hostile folders are refused the same way by retrieval and by verification.

Each broken HAMT (or plain folder) below hashes correctly block by block, so only the folder
rules of nft_toolkit.ipfs.folders can catch it. Retrieval (`resolve_path`, `list_folder`), the
verifier's content reader (`IpfsContent.entry`, `.directory`), `verify_token` and `audit` must
all refuse it as a BrokenFolder, and the verdict is `tampered` (a fact about the committed
content, not a failure to reach it). Well-formed HAMTs of every allowed fanout verify.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import pytest

from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType, Link
from nft_toolkit.ipfs.folders import BrokenFolder, NoEntry, folder_entry, list_folder
from nft_toolkit.ipfs.hamt import FANOUT, Layout, MURMUR3, name_bits
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.retrieval import resolve_path
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.audit import audit
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, verify_token
from tests.support.collection import build_collection
from tests.verify.hamts import Put, Shard, shard_tree
from tests.support.stated import CONTRACT, ISSUER, StatedChain

NAME = b"2.json"  # the token every case verifies
LAYOUT = Layout.of(MURMUR3, FANOUT)


class Unverified:
    """A BlockSource that does not check blocks against CIDs: the only way to make a cycle,
    which content addressing otherwise rules out; the walk must still end and refuse it."""

    def __init__(self, store: BlockStore) -> None:
        self.blocks = {cid.multihash: store.get_block(cid) for cid in store}

    def get_block(self, cid: Cid | str) -> bytes:
        return self.blocks[Cid.coerce(cid).multihash]


@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory):
    project = build_collection(tmp_path_factory.mktemp("hostile") / "c", 6)
    manifest = Manifest.load(project.manifest_path)
    store = BlockStore(project.store_dir)
    entries = list_folder(store, manifest.metadata_cid)
    assert len({LAYOUT.bucket(name_bits(n), 0) for n in entries}) == len(entries)  # one level
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash, 6, 6)
    return store, entries, facts


def _at_root(change: Callable[[Shard], None]) -> Callable[[Shard, int], None]:
    def edit(shard: Shard, depth: int) -> None:
        if depth == 0:
            change(shard)
    return edit


def _free_bucket(shard: Shard) -> int:
    used = {bucket for bucket, _, _ in shard.links}
    return next(b for b in range(FANOUT) if b not in used)


def wrong_hash_function(entries: dict[bytes, Cid], put: Put) -> Cid:
    return shard_tree(entries, put, edit=lambda s, d: setattr(s, "hash_type", 0x12))  # sha2-256


def fanout_not_a_power_of_two(entries: dict[bytes, Cid], put: Put) -> Cid:
    return shard_tree(entries, put, edit=_at_root(lambda s: setattr(s, "fanout", 384)))


def bitfield_names_an_extra_bucket(entries: dict[bytes, Cid], put: Put) -> Cid:
    def change(s: Shard) -> None:
        s.bitfield = sum(1 << b for b, _, _ in s.links) | 1 << _free_bucket(s)
    return shard_tree(entries, put, edit=_at_root(change))


def bitfield_misses_a_link(entries: dict[bytes, Cid], put: Put) -> Cid:
    def change(s: Shard) -> None:
        s.bitfield = sum(1 << b for b, _, _ in s.links[1:])
    return shard_tree(entries, put, edit=_at_root(change))


def name_in_the_wrong_bucket(entries: dict[bytes, Cid], put: Put) -> Cid:
    def change(s: Shard) -> None:
        (i,) = [i for i, (_, name, _) in enumerate(s.links) if name[LAYOUT.width:] == NAME]
        bucket = _free_bucket(s)
        s.links[i] = (bucket, LAYOUT.prefix(bucket) + NAME, s.links[i][2])
        s.links.sort(key=lambda link: link[0])  # bitfield and order consistent: only the hash lies
    return shard_tree(entries, put, edit=_at_root(change))


def deeper_than_the_hash(entries: dict[bytes, Cid], put: Put) -> Cid:
    """2.json nine levels down, along its own buckets: level 9 has no hash bits left."""
    hashed = name_bits(NAME)
    node = Shard([(0, LAYOUT.prefix(0) + NAME, entries[NAME])]).put(put)
    for depth in reversed(range(LAYOUT.max_depth)):
        bucket = LAYOUT.bucket(hashed, depth)
        node = Shard([(bucket, LAYOUT.prefix(bucket), node)]).put(put)
    return node


def plain_folder_with_a_repeated_name(entries: dict[bytes, Cid], put: Put) -> Cid:
    links = [Link(name, cid.raw, 0) for name, cid in sorted(entries.items())]
    links.append(Link(NAME, entries[b"1.json"].raw, 0))  # a second 2.json: 1's metadata
    block = dagpb.encode_node(links, dagpb.encode_unixfs(DataType.DIRECTORY))
    cid = Cid.of_block(0, DAG_PB, block)
    put(cid, block)
    return cid


HOSTILE = [wrong_hash_function, fanout_not_a_power_of_two, bitfield_names_an_extra_bucket,
           bitfield_misses_a_link, name_in_the_wrong_bucket, deeper_than_the_hash,
           plain_folder_with_a_repeated_name]


def _refused_everywhere(source, root: Cid, facts: ContractFacts, why: str) -> None:
    """Retrieval, the content reader, verify_token and audit all refuse `root`, for `why`."""
    content = IpfsContent(source)
    for attempt in (lambda: resolve_path(source, root, NAME.decode()),
                    lambda: list_folder(source, root),
                    lambda: content.entry(str(root), NAME.decode()),
                    lambda: content.entry(str(root), NAME.decode()),  # nothing broken is kept
                    lambda: content.directory(str(root))):
        with pytest.raises(BrokenFolder, match=why):
            attempt()
    chain = StatedChain(replace(facts, base_uri=f"ipfs://{root}/"))
    report = verify_token(chain, content, Trust(CONTRACT, ISSUER, 1337), 2)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "metadata")
    assert "the committed content has a broken" in report.checks[-1].detail
    audited = audit(chain, content, Trust(CONTRACT, ISSUER, 1337))
    assert (audited.verdict, audited.collection[-1].name) == (Verdict.TAMPERED, "metadata")
    assert "broken" in audited.collection[-1].detail


@pytest.mark.parametrize("hostile,why", zip(HOSTILE, [
    "not murmur3", "fanout 384 is not a power of two", "bitfield names 7 buckets, it has 6 links",
    "bitfield names 5 buckets, it has 6 links", "entry b'2.json' does not hash to bucket",
    "deeper than the 8 levels", "two entries named '2.json'"]), ids=[h.__name__ for h in HOSTILE])
def test_hostile_folder_is_refused_alike(stated, hostile, why: str) -> None:
    store, entries, facts = stated
    _refused_everywhere(store, hostile(entries, store.put), facts, why)


def test_a_cycle_is_refused_alike(stated) -> None:
    store, _entries, facts = stated
    source = Unverified(store)
    loop = Cid.make(0, DAG_PB, bytes(range(32)))  # a CID the unverifying source answers with root
    buckets = sorted({LAYOUT.bucket(name_bits(NAME), d) for d in range(LAYOUT.max_depth)})
    root_block = Shard([(b, LAYOUT.prefix(b), loop) for b in buckets]).block()
    root = Cid.of_block(0, DAG_PB, root_block)
    source.blocks[root.multihash] = source.blocks[loop.multihash] = root_block
    _refused_everywhere(source, root, facts, "linked twice")


@pytest.mark.parametrize("fanout", [8, 16, 256, 1024])
def test_well_formed_hamts_of_any_allowed_fanout_verify(stated, fanout: int) -> None:
    """Retrieval and the content reader list and look up alike; the token verifies."""
    store, entries, facts = stated
    root = shard_tree(entries, store.put, fanout)
    content = IpfsContent(store)
    assert list_folder(store, root) == entries
    assert content.directory(str(root)) == {n.decode(): str(c) for n, c in entries.items()}
    for name, cid in entries.items():
        assert resolve_path(store, root, name.decode()) == cid
        assert content.entry(str(root), name.decode()) == str(cid)
    chain = StatedChain(replace(facts, base_uri=f"ipfs://{root}/"))
    report = verify_token(chain, content, Trust(CONTRACT, ISSUER, 1337), 2)
    assert report.verdict is Verdict.AUTHENTIC, report.checks[-1]
    assert all(t.verdict is Verdict.AUTHENTIC for t in audit(chain, content,
                                                             Trust(CONTRACT, ISSUER, 1337)).tokens)


class Counting:
    """A BlockSource that counts the blocks read, by CID."""

    def __init__(self, store: BlockStore) -> None:
        self.store = store
        self.reads: Counter[bytes] = Counter()

    def get_block(self, cid: Cid | str) -> bytes:
        self.reads[Cid.coerce(cid).multihash] += 1
        return self.store.get_block(cid)


@pytest.mark.parametrize("fanout", [None, 8, 256])
def test_the_content_reader_reads_each_folder_node_once(stated, fanout: int | None) -> None:
    """Looking up every token's entry, twice, the content reader reads each node of the folder
    (plain, or a HAMT's shards) once, and answers as a lookup from scratch does; a name it lacks
    is still refused. Without the kept nodes, every lookup reads the root again."""
    store, entries, _facts = stated
    root = Cid.coerce(stated_root(store, entries, fanout))
    counting = Counting(store)
    content = IpfsContent(counting)
    for _ in range(2):
        for name, cid in entries.items():
            assert content.entry(str(root), name.decode()) == str(cid)
            assert folder_entry(store, root, name) == cid
        with pytest.raises(NoEntry):
            content.entry(str(root), "7.json")
    assert counting.reads[root.multihash] == 1 and set(counting.reads.values()) == {1}
    counting.reads.clear()
    for name in entries:
        folder_entry(counting, root, name)
    assert counting.reads[root.multihash] == len(entries)


def stated_root(store: BlockStore, entries: dict[bytes, Cid], fanout: int | None) -> Cid:
    """The folder of `entries`: plain (as pinned) when `fanout` is None, else a HAMT."""
    if fanout is None:
        block = dagpb.encode_node([Link(n, c.raw, 0) for n, c in sorted(entries.items())],
                                  dagpb.encode_unixfs(DataType.DIRECTORY))
        root = Cid.of_block(1, DAG_PB, block)
        store.put(root, block)
        return root
    return shard_tree(entries, store.put, fanout)
