"""CARv1 archives: write a DAG's blocks after a dag-cbor header, read them back verified.

Layout (https://ipld.io/specs/transport/car/carv1/): ``varint(len) dag-cbor({"roots": [CID],
"version": 1})``, then per block ``varint(len(cid) + len(block)) cid block``, the CID in binary
(a CIDv0 as its bare multihash). `ipfs dag import` and pinning services take this format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, Protocol

import dag_cbor
from multiformats import CID as MfCID

from nft_toolkit.errors import ContentError
from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.cid import DAG_PB, SHA2_256, Cid

MAX_HEADER = 64 * 1024
MAX_BLOCK = 2 * 1024 * 1024  # Kubo refuses blocks above 2 MiB (bitswap's limit)


class BlockSource(Protocol):
    def get_block(self, cid: Cid | str) -> bytes: ...


def encode_header(roots: Sequence[Cid]) -> bytes:
    header = dag_cbor.encode({"roots": [MfCID.decode(c.raw) for c in roots], "version": 1})
    return dagpb.varint(len(header)) + header


def encode_block(cid: Cid, block: bytes) -> bytes:
    return dagpb.varint(len(cid.raw) + len(block)) + cid.raw + block


def write_car(out: BinaryIO, roots: Sequence[Cid], blocks: Iterable[tuple[Cid, bytes]]) -> int:
    """Writes a CARv1 to `out`; returns the number of blocks written."""
    out.write(encode_header(roots))
    count = 0
    for cid, block in blocks:
        out.write(encode_block(cid, block))
        count += 1
    return count


def walk_dag(source: BlockSource, roots: Sequence[Cid]) -> Iterator[tuple[Cid, bytes]]:
    """Every block reachable from `roots`, depth-first in link order, each once."""
    seen: set[bytes] = set()
    stack = list(reversed(roots))
    while stack:
        cid = stack.pop()
        if cid.multihash in seen:
            continue
        seen.add(cid.multihash)
        block = source.get_block(cid)
        yield cid, block
        if cid.codec == DAG_PB:
            stack.extend(Cid(link.cid) for link in reversed(dagpb.decode_node(block).links))


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    data = stream.read(n)
    if len(data) != n:
        raise ContentError("truncated CAR stream")
    return data


def _read_varint(stream: BinaryIO) -> int | None:
    result = shift = 0
    while True:
        b = stream.read(1)
        if not b:
            if shift == 0:
                return None
            raise ContentError("truncated varint in CAR stream")
        result |= (b[0] & 0x7F) << shift
        if not b[0] & 0x80:
            return result
        shift += 7
        if shift > 63:
            raise ContentError("malformed varint in CAR stream")


def _split_cid(section: bytes) -> tuple[Cid, bytes]:
    if section[:2] == bytes([SHA2_256, 32]):
        return Cid(section[:34]), section[34:]
    pos = 0
    version, pos = dagpb.read_varint(section, pos)
    codec, pos = dagpb.read_varint(section, pos)
    mh_code, pos = dagpb.read_varint(section, pos)
    mh_len, pos = dagpb.read_varint(section, pos)
    if version != 1 or mh_code != SHA2_256 or mh_len != 32:
        raise ContentError("CAR block with an unsupported CID (only sha2-256 CIDv0/v1)")
    end = pos + mh_len
    try:
        cid = Cid.make(1, codec, section[pos:end])
    except KeyError:
        raise ContentError(f"CAR block with unsupported codec 0x{codec:x}") from None
    return cid, section[end:]


def read_car(stream: BinaryIO, max_bytes: int) -> tuple[list[Cid], Iterator[tuple[Cid, bytes]]]:
    """The roots of a CARv1 and an iterator over its blocks, each verified against its CID.

    Reads at most `max_bytes` (ContentError beyond); a block that does not hash to the CID
    written before it raises IntegrityError.
    """
    length = _read_varint(stream)
    if length is None or length > MAX_HEADER:
        raise ContentError("not a CAR stream (bad header length)")
    try:
        header = dag_cbor.decode(_read_exact(stream, length))
    except Exception as exc:
        raise ContentError(f"not a CAR stream ({exc})") from None
    if not isinstance(header, dict) or header.get("version") != 1:
        raise ContentError("only CARv1 streams are supported")
    listed = header.get("roots", [])
    if not isinstance(listed, list):
        raise ContentError("not a CAR stream (its roots are not a list)")
    roots: list[Cid] = []
    for root in listed:
        if not isinstance(root, MfCID):
            raise ContentError(f"not a CAR stream (a root is not a CID: {root!r})")
        roots.append(Cid.parse(bytes(root)))
    budget = max_bytes - length

    def blocks() -> Iterator[tuple[Cid, bytes]]:
        nonlocal budget
        while True:
            size = _read_varint(stream)
            if size is None:
                return
            budget -= size
            if budget < 0 or size > MAX_BLOCK + 64:
                raise ContentError(f"CAR stream larger than the {max_bytes}-byte limit")
            cid, block = _split_cid(_read_exact(stream, size))
            cid.verify(block)
            yield cid, block

    return roots, blocks()
