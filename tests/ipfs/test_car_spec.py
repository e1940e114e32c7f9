"""The CAR that `pin` writes is a CARv1 that ``ipfs dag import`` accepts, checked two ways.

1. Against the spec (https://ipld.io/specs/transport/car/carv1/), parsed here by hand with no
   code of this package's CAR reader nor dag-cbor: ``varint(len) header``, the header exactly
   the canonical dag-cbor ``{"roots": [CID...], "version": 1}`` (map keys sorted length-first,
   each root as tag 42 over bytes ``0x00 + binary CID``), then sections ``varint(len(cid) +
   len(data)) cid data``; varints minimal (go-varint, under go-car and so under Kubo, refuses
   others); every block hashing to its CID, at most 1 MiB (Kubo's dag import limit without
   --allow-big-block), each once, and every block the roots reach present.
2. Against an independent reader from PyPI, ``ipfs-car-decoder`` with ``unix-fs-exporter`` (a
   port of js-ipfs-unixfs-exporter): it indexes the CAR (roots, every CID), checks each block's
   hash as it reads it, and exports every file of each root back, HAMT-sharded folders
   included, which must be the collection's own bytes. (``ipld-car`` 0.0.1, the other Python
   CAR reader, misreads CIDv0 sections: it takes the multihash length byte as digest.)
The CARs of the gateway (``?format=car``) are held to the same rules.
"""

from __future__ import annotations

import asyncio
import hashlib
import io

import pytest
import requests
from ipfs_car_decoder import ChunkedMemoryByteStream, IndexedBlockstore
from unix_fs_exporter import RawNode, UnixFSDirectory, UnixFSFile, recursive_export

from nft_toolkit.copies import index as copies_index
from nft_toolkit.ipfs import BlockStore, Cid, Importer, ImportOptions, dagpb
from nft_toolkit.ipfs.car import walk_dag, write_car
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.publish import prepare
from tests.support.builds import make_build

KUBO_BLOCK_LIMIT = 1024 * 1024  # kubo core/commands/cmdutils SoftBlockLimit


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    """An unsigned LEB128 varint at `pos`, which must be minimally encoded."""
    value = shift = 0
    start = pos
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
        shift += 7
        assert shift < 64, "varint too long"
    assert pos - start == 1 or buf[pos - 1] != 0, f"varint at {start} is not minimally encoded"
    return value, pos


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    assert len(data) < 24
    return bytes([0x60 | len(data)]) + data


def expected_header(roots: list[Cid]) -> bytes:
    """Canonical dag-cbor of {"roots": [...], "version": 1}, assembled byte by byte."""
    assert len(roots) < 24
    out = bytes([0xA2]) + _cbor_text("roots") + bytes([0x80 | len(roots)])
    for root in roots:
        link = b"\x00" + root.raw  # the multibase identity prefix, then the binary CID
        assert 24 <= len(link) < 256
        out += b"\xd8\x2a" + bytes([0x58, len(link)]) + link  # tag 42, byte string
    return out + _cbor_text("version") + b"\x01"


def _cid_at(section: bytes) -> tuple[Cid, int]:
    """The CID a block section starts with, and where its data begins."""
    if section[:2] == b"\x12\x20":  # a CIDv0: a bare sha2-256 multihash
        return Cid(section[:34]), 34
    version, pos = _varint(section, 0)
    codec, pos = _varint(section, pos)
    mh_code, pos = _varint(section, pos)
    mh_len, pos = _varint(section, pos)
    assert (version, mh_code, mh_len) == (1, 0x12, 32), "a CIDv1 with sha2-256"
    assert codec in (0x70, 0x55), f"codec 0x{codec:x}"
    return Cid(section[:pos + 32]), pos + 32


def check_carv1(data: bytes, roots: list[Cid], path: tuple[Cid, ...] = ()) -> list[tuple[Cid, bytes]]:
    """Asserts `data` is a CARv1 with `roots` by the spec's rules; returns its blocks.

    `path`: blocks the CAR must hold besides the roots' DAGs (a gateway's path CAR carries the
    folders walked to reach its root).
    """
    length, pos = _varint(data, 0)
    assert data[pos:pos + length] == expected_header(roots)
    pos += length
    blocks: list[tuple[Cid, bytes]] = []
    while pos < len(data):
        size, pos = _varint(data, pos)
        assert pos + size <= len(data), "truncated section"
        section = data[pos:pos + size]
        pos += size
        cid, start = _cid_at(section)
        block = section[start:]
        assert hashlib.sha256(block).digest() == cid.digest, f"{cid} does not hash to its CID"
        assert len(block) <= KUBO_BLOCK_LIMIT, f"{cid} is {len(block)} bytes"
        blocks.append((cid, block))
    assert pos == len(data)
    held = {cid.multihash: block for cid, block in blocks}
    assert len(held) == len(blocks), "a block appears twice"
    reached: set[bytes] = set()
    stack = list(roots)
    while stack:  # every block the roots reach is in the CAR
        cid = stack.pop()
        if cid.multihash in reached:
            continue
        assert cid.multihash in held, f"{cid} is reachable but missing"
        reached.add(cid.multihash)
        if cid.codec == 0x70:
            stack.extend(Cid(link.cid) for link in dagpb.decode_node(held[cid.multihash]).links)
    assert all(cid.multihash in held for cid in path), "a path block is missing"
    assert reached | {cid.multihash for cid in path} == set(held), "the CAR holds blocks no root reaches"
    return blocks


def reference_read(data: bytes) -> tuple[list[Cid], set[bytes], dict[str, bytes | None]]:
    """What ipfs-car-decoder reads: the roots, every block's multihash, and each root exported
    (path -> file bytes, None for a folder), every block checked against its CID on the way."""

    async def read() -> tuple[list[Cid], set[bytes], dict[str, bytes | None]]:
        stream = ChunkedMemoryByteStream()
        await stream.append_bytes(data)
        await stream.mark_complete()
        store = await IndexedBlockstore.from_stream(stream)
        roots = [Cid(bytes(root)) for root in store.indexer.header["roots"]]
        files: dict[str, bytes | None] = {}
        for root in store.indexer.header["roots"]:
            async for entry in recursive_export(root, store):
                if isinstance(entry, (UnixFSFile, RawNode)):
                    files[entry.path] = b"".join([piece async for piece in entry.content])
                else:
                    assert isinstance(entry, UnixFSDirectory)
                    files[entry.path] = None
        return roots, set(store.indexer.mapping), files

    return asyncio.run(read())


def check_with_reference(data: bytes, roots: list[Cid], blocks: list[tuple[Cid, bytes]]) -> dict[str, bytes | None]:
    """The reference reader agrees on roots and blocks; returns its export, keyed by our CIDs."""
    their_roots, their_blocks, files = reference_read(data)
    assert their_roots == roots
    assert their_blocks == {cid.multihash for cid, _ in blocks}
    return {_our_path(path): content for path, content in files.items()}


def _our_path(path: str) -> str:
    """The exporter names a root by its own CID string: the same CID, in our text form."""
    head, _, rest = path.partition("/")
    return "/".join(filter(None, [str(Cid.parse(head)), rest]))


@pytest.fixture(scope="module", params=[0, 1], ids=["cidv0", "cidv1"])
def pinned(request, tmp_path_factory):
    project = make_build(tmp_path_factory.mktemp("car") / "c", count=6)
    prep = prepare(project, request.param)
    return project, prep


def test_pin_car_follows_the_carv1_spec(pinned):
    project, prep = pinned
    m = prep.manifest
    roots = [t.cid for t in prep.targets]
    data = project.car_path.read_bytes()
    blocks = check_carv1(data, roots)
    assert len(blocks) == prep.car_blocks
    files = check_with_reference(data, roots, blocks)
    expected: dict[str, bytes | None] = {m.images_cid: None, m.metadata_cid: None}
    for tid in m.tokens:
        expected[f"{m.images_cid}/{tid}.png"] = (project.images_dir / f"{tid}.png").read_bytes()
        expected[f"{m.metadata_cid}/{tid}.json"] = (project.metadata_dir / f"{tid}.json").read_bytes()
    expected[str(m.contract_metadata_cid)] = project.contract_metadata_path.read_bytes()
    assert m.copies_index_cid is not None  # the copies index verify-file reads, one file
    expected[m.copies_index_cid], _ = copies_index.build(
        (f"{tid}.png", (project.images_dir / f"{tid}.png").read_bytes()) for tid in sorted(m.tokens))
    assert files == expected


def test_sharded_folder_car_reads_back(tmp_path):
    """A HAMT-sharded folder (several levels) in a CAR, exported back by the reference reader."""
    files = {f"{i}.json".encode(): b'{"name": "Horse #%d"}' % i for i in range(1, 400)}
    store = BlockStore(tmp_path / "blocks")
    importer = Importer(ImportOptions(cid_version=1, hamt_threshold=2048), store.put)
    root = importer.add_directory({name: importer.add_bytes(data) for name, data in files.items()})
    assert any(len(link.name) == 2 for link in dagpb.decode_node(store.get_block(root.cid)).links)
    buf = io.BytesIO()
    write_car(buf, [root.cid], walk_dag(store, [root.cid]))
    blocks = check_carv1(buf.getvalue(), [root.cid])
    exported = check_with_reference(buf.getvalue(), [root.cid], blocks)
    assert exported == {str(root.cid): None,
                        **{f"{root.cid}/{name.decode()}": data for name, data in files.items()}}


def test_gateway_car_follows_the_carv1_spec(pinned):
    project, prep = pinned
    m = prep.manifest
    images, image = Cid.parse(m.images_cid), Cid.parse(m.tokens[2].image_cid)
    with Gateway(BlockStore(project.store_dir)) as gw:
        for url, root, path in [(f"/ipfs/{m.metadata_cid}", Cid.parse(m.metadata_cid), ()),
                                (f"/ipfs/{images}/2.png", image, (images,))]:
            r = requests.get(f"{gw.url}{url}?format=car", timeout=10)
            assert r.status_code == 200
            blocks = check_carv1(r.content, [root], path)
            files = check_with_reference(r.content, [root], blocks)
            if path:  # the image itself, exported from the CAR
                assert files == {str(root): (project.images_dir / "2.png").read_bytes()}


def test_the_checker_catches_spec_breaks(pinned):
    """The hand checker above is not a rubber stamp: each break of the spec is caught."""
    project, prep = pinned
    roots = [t.cid for t in prep.targets]
    good = project.car_path.read_bytes()
    length, pos = _varint(good, 0)
    header = good[pos:pos + length]
    body = good[pos + length:]
    wrong_version = header[:-1] + b"\x02"
    unsorted = (b"\xa2" + _cbor_text("version") + b"\x01"
                + header[1:header.index(_cbor_text("version"))])
    no_prefix = header.replace(b"\x58\x23\x00", b"\x58\x22", 1) if roots[0].version == 0 else \
        header.replace(b"\x58\x25\x00", b"\x58\x24", 1)
    first_size, first_end = _varint(body, 0)
    padded = bytes([0x80 | (first_size & 0x7F)]) + bytes([first_size >> 7 | 0x80, 0x00]) \
        if first_size >= 128 else bytes([first_size | 0x80, 0x00])
    breaks = {
        "version 2": dagpb.varint(len(wrong_version)) + wrong_version + body,
        "keys out of order": dagpb.varint(len(unsorted)) + unsorted + body,
        "root without 0x00": dagpb.varint(len(no_prefix)) + no_prefix + body,
        "non-minimal varint": good[:pos + length] + padded + body[first_end:],
        "altered block": good[:-1] + bytes([good[-1] ^ 1]),
        "missing block": good[:pos + length] + body[first_end + first_size:],
        "duplicate block": good + body[:first_end + first_size],
    }
    for name, data in breaks.items():
        with pytest.raises(AssertionError):
            check_carv1(data, roots)
            pytest.fail(f"not caught: {name}")
