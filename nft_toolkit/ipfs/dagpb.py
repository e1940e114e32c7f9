"""The dag-pb block format and the UnixFS ``Data`` message inside it, encoded and decoded.

Both are tiny protobuf2 messages; they are written out by hand because the byte layout must be
exactly Kubo's (field order, which optional fields appear, links sorted by name) and because the
importer builds the header of a leaf without copying its payload::

    PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }   # Links are written first
    PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }
    Data   { Type = 1; Data = 2; filesize = 3; repeated blocksizes = 4; hashType = 5; fanout = 6; }
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from nft_toolkit.errors import ContentError


class DataType(IntEnum):
    RAW = 0
    DIRECTORY = 1
    FILE = 2
    METADATA = 3
    SYMLINK = 4
    HAMT_SHARD = 5


@dataclass(frozen=True, slots=True)
class Link:
    """A named link of a dag-pb node: the child's binary CID and its cumulative size."""

    name: bytes
    cid: bytes
    tsize: int


@dataclass(frozen=True, slots=True)
class UnixFsData:
    """The decoded UnixFS ``Data`` message (only the fields this package uses)."""

    type: DataType
    data: bytes = b""
    filesize: int | None = None
    blocksizes: tuple[int, ...] = ()
    hash_type: int | None = None
    fanout: int | None = None


@dataclass(frozen=True, slots=True)
class PbNode:
    links: tuple[Link, ...] = ()
    data: bytes | None = None
    unixfs: UnixFsData | None = field(default=None, compare=False)


_ONE_BYTE = tuple(bytes([i]) for i in range(0x80))


def varint(n: int) -> bytes:
    if n < 0x80:
        return _ONE_BYTE[n]
    if n < 0x4000:
        return bytes((n & 0x7F | 0x80, n >> 7))
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    """Decodes the unsigned varint at `pos`; returns (value, next position)."""
    result = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise ContentError("malformed varint in block")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _field_bytes(num: int, value: bytes) -> bytes:
    return bytes([num << 3 | 2]) + varint(len(value)) + value


def encode_unixfs(
    type_: DataType, data: bytes | None = None, filesize: int | None = None,
    blocksizes: Sequence[int] = (), hash_type: int | None = None, fanout: int | None = None,
) -> bytes:
    out = bytearray(b"\x08") + varint(type_)
    if data is not None:
        out += _field_bytes(2, data)
    if filesize is not None:
        out += b"\x18" + varint(filesize)
    for size in blocksizes:
        out += b"\x20" + varint(size)
    if hash_type is not None:
        out += b"\x28" + varint(hash_type)
    if fanout is not None:
        out += b"\x30" + varint(fanout)
    return bytes(out)


def encode_node(links: Sequence[Link], data: bytes | None) -> bytes:
    """A dag-pb block; `links` must already be in their final (name-sorted) order."""
    out = bytearray()
    for link in links:
        cid, name = link.cid, link.name
        body = b"".join((b"\x0a", varint(len(cid)), cid, b"\x12", varint(len(name)), name,
                         b"\x18", varint(link.tsize)))
        out += b"\x12"
        out += varint(len(body))
        out += body
    if data is not None:
        out += _field_bytes(1, data)
    return bytes(out)


def leaf_frame(size: int) -> tuple[bytes, bytes]:
    """The bytes before and after a payload of `size` bytes in a CIDv0 (dag-pb) file leaf.

    The leaf is ``PBNode{Data: UnixFS{Type: File, Data: payload, filesize: size}}``; hashing
    prefix + payload + suffix incrementally avoids copying the payload.
    """
    if size == 0:
        inner = b"\x08\x02\x18\x00"
        return b"\x0a" + varint(len(inner)) + inner, b""
    tail = b"\x18" + varint(size)
    inner_len = 2 + 1 + len(varint(size)) + size + len(tail)
    prefix = b"\x0a" + varint(inner_len) + b"\x08\x02\x12" + varint(size)
    return prefix, tail


def _fields(buf: bytes | memoryview) -> list[tuple[int, int, int | memoryview]]:
    """(field number, wire type, value) triples of one protobuf message."""
    mv = memoryview(buf)
    out: list[tuple[int, int, int | memoryview]] = []
    pos = 0
    while pos < len(mv):
        key, pos = read_varint(mv, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(mv, pos)
            out.append((num, wire, value))
        elif wire == 2:
            length, pos = read_varint(mv, pos)
            if pos + length > len(mv):
                raise ContentError("truncated protobuf field in block")
            out.append((num, wire, mv[pos:pos + length]))
            pos += length
        else:
            raise ContentError(f"unexpected protobuf wire type {wire} in block")
    return out


def decode_unixfs(buf: bytes | memoryview) -> UnixFsData:
    kind: DataType | None = None
    data = b""
    filesize: int | None = None
    blocksizes: list[int] = []
    hash_type: int | None = None
    fanout: int | None = None
    for num, _wire, value in _fields(buf):
        if num == 2 and isinstance(value, memoryview):
            data = bytes(value)
        elif num not in (1, 3, 4, 5, 6):
            continue
        elif not isinstance(value, int):  # each of these is a varint
            raise ContentError(f"UnixFS field {num} is not a number")
        elif num == 1:
            try:
                kind = DataType(value)
            except ValueError:
                raise ContentError(f"unknown UnixFS type {value}") from None
        elif num == 3:
            filesize = value
        elif num == 4:
            blocksizes.append(value)
        elif num == 5:
            hash_type = value
        else:
            fanout = value
    if kind is None:
        raise ContentError("UnixFS data without a type")
    return UnixFsData(kind, data, filesize, tuple(blocksizes), hash_type, fanout)


def decode_node(block: bytes | memoryview) -> PbNode:
    """Decodes a dag-pb block, and its UnixFS data when it has any."""
    links: list[Link] = []
    data: bytes | None = None
    for num, _wire, value in _fields(block):
        if num == 2 and isinstance(value, memoryview):
            cid, name, tsize = b"", b"", 0
            for lnum, _lw, lval in _fields(value):
                if lnum == 1 and isinstance(lval, memoryview):
                    cid = bytes(lval)
                elif lnum == 2 and isinstance(lval, memoryview):
                    name = bytes(lval)
                elif lnum == 3 and isinstance(lval, int):
                    tsize = lval
            if not cid:
                raise ContentError("dag-pb link without a hash")
            links.append(Link(name, cid, tsize))
        elif num == 1 and isinstance(value, memoryview):
            data = bytes(value)
    unixfs = decode_unixfs(data) if data is not None else None
    return PbNode(tuple(links), data, unixfs)
