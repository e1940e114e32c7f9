"""The UnixFS importer: files and folders to blocks and CIDs, as Kubo's ``ipfs add`` makes them.

Defaults are Kubo's, the IPIP-499 profile ``unixfs-v0-2015``: CIDv0 with dag-pb leaves;
sha2-256; fixed 256 KiB chunks; a balanced DAG of at most 174 links per node; folders become
HAMT shards once the estimated size of their links (name + binary CID lengths, "links-bytes")
passes 256 KiB. ``cid_version=1`` alone keeps those and adds raw leaves and base32 CIDv1, as
``ipfs add --cid-version 1`` does. :data:`PROFILES` names the IPIP-499 profiles
(specs.ipfs.tech/ipips/ipip-0499): ``unixfs-v1-2025`` is CIDv1, raw leaves, 1 MiB chunks, 1024
links per node, and a HAMT once the folder's whole dag-pb block ("block-bytes") passes 256 KiB. Hashing is incremental: a leaf's header, payload and trailer are fed to sha256 in turn,
so a payload is never copied unless its block is stored (`sink`).
"""

from __future__ import annotations

import hashlib
import mmap
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol

from nft_toolkit.errors import InputError
from nft_toolkit.ipfs import dagpb, hamt
from nft_toolkit.ipfs.cid import DAG_PB, RAW, Cid
from nft_toolkit.ipfs.dagpb import DataType, Link

CHUNK_SIZE = 256 * 1024
MAX_LINKS = 174
HAMT_THRESHOLD = 256 * 1024
DEFAULT_PROFILE = "unixfs-v0-2015"

BlockSink = Callable[[Cid, bytes], None]


class Readable(Protocol):
    """A binary stream that fills a buffer (a file opened "rb", io.BytesIO, a socket file)."""

    def readinto(self, buffer: memoryview, /) -> int | None: ...


def cid_version(value: int) -> Literal[0, 1]:
    """`value` as the CID version an import takes; ValueError for anything but 0 or 1."""
    if value == 0:
        return 0
    if value == 1:
        return 1
    raise ValueError(f"CID version {value!r} is neither 0 nor 1")


@dataclass(frozen=True)
class ImportOptions:
    """How to import; the defaults are ``ipfs add``'s.

    `shard_at_threshold`: boxo before v0.37 (Kubo up to 0.39) shards a folder whose estimate
    *equals* the threshold; current boxo only above it. Only that one exact size differs.
    `hamt_estimate`: what is compared with `hamt_threshold`, the links' names and CIDs
    (``links-bytes``) or the whole basic folder block (``block-bytes``, IPIP-499's v1 profile).
    """

    cid_version: Literal[0, 1] = 0
    raw_leaves: bool | None = None  # None: Kubo's default, raw leaves iff CIDv1
    chunk_size: int = CHUNK_SIZE
    max_links: int = MAX_LINKS
    hamt_threshold: int = HAMT_THRESHOLD
    shard_at_threshold: bool = False
    hidden: bool = False  # like `ipfs add --hidden`: include names starting with "."
    hamt_estimate: Literal["links-bytes", "block-bytes"] = "links-bytes"

    @property
    def leaves_raw(self) -> bool:
        return self.cid_version == 1 if self.raw_leaves is None else self.raw_leaves

    @classmethod
    def profile(cls, name: str, *, hidden: bool = False) -> ImportOptions:
        """The settings of the IPIP-499 profile `name` (:data:`PROFILES`); ValueError naming
        the known profiles otherwise."""
        try:
            options = PROFILES[name]
        except KeyError:
            raise ValueError(f"unknown CID profile {name!r}: choose one of "
                             f"{', '.join(PROFILES)}") from None
        return replace(options, hidden=hidden)

    @classmethod
    def of(cls, profile: str | None, cid_version: int = 0) -> ImportOptions:
        """The settings a collection names: its `profile`, or without one (None) Kubo's
        ``ipfs add --cid-version`` defaults for `cid_version` (0 is ``unixfs-v0-2015``)."""
        if profile is not None:
            return cls.profile(profile)
        return cls(cid_version=1 if cid_version == 1 else 0)


@dataclass(frozen=True, slots=True)
class Entry:
    """An imported file, folder or symlink: its root CID, cumulative DAG size and byte size."""

    cid: Cid
    tsize: int
    size: int
    is_dir: bool = False

    def link(self, name: bytes) -> Link:
        return Link(name, self.cid.raw, self.tsize)


class Importer:
    """Imports into `sink` (called once per block made; None computes CIDs only)."""

    def __init__(self, options: ImportOptions | None = None, sink: BlockSink | None = None):
        self.options = options or ImportOptions()
        self.sink = sink

    # ---- files -------------------------------------------------------------------------
    def add_stream(self, stream: Readable) -> Entry:
        """Imports a binary stream read to its end (one chunk-sized buffer, reused)."""
        view = memoryview(bytearray(self.options.chunk_size))

        def chunks() -> Iterator[memoryview]:
            first = True
            while True:
                n = _read_full(stream, view)
                if n or first:  # an empty chunk only for an empty stream, as boxo's splitter
                    yield view[:n]
                first = False
                if n < len(view):
                    return

        return self._import_chunks(chunks())

    def add_bytes(self, data: bytes | bytearray | memoryview) -> Entry:
        """Imports bytes in memory; chunks are slices of `data`, never copies."""
        view = memoryview(data).cast("B")
        size = self.options.chunk_size
        return self._import_chunks(view[i:i + size] for i in range(0, max(len(view), 1), size))

    def add_file(self, path: Path | str | bytes) -> Entry:
        """Imports a file: small ones read at once, large ones hashed from a read-only mmap.

        A file of one chunk or less (a metadata file) costs an open, fstat, read and close and
        no Python file object: folders of thousands of them are dominated by that overhead.
        """
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            size = os.fstat(fd).st_size
            if size <= self.options.chunk_size:
                data = os.read(fd, size + 1)  # one byte more: a file that grew is read in full below
                if len(data) == size:
                    return self._small(data)
            with open(fd, "rb", buffering=0, closefd=False) as fh:
                if size <= self.options.chunk_size:
                    fh.seek(0)
                    return self.add_stream(fh)
                try:
                    mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):
                    return self.add_stream(fh)
                with mapped:
                    view = memoryview(mapped)
                    try:
                        return self.add_bytes(view)
                    finally:
                        view.release()
        finally:
            os.close(fd)

    def _small(self, data: bytes) -> Entry:
        """A file of at most one chunk: its single leaf is its root (one hash of one block)."""
        n = len(data)
        if self.options.leaves_raw:
            cid = Cid.make(1, RAW, hashlib.sha256(data).digest())
            if self.sink is not None:
                self.sink(cid, data)
            return Entry(cid, n, n)
        prefix, suffix = dagpb.leaf_frame(n)
        block = b"".join((prefix, data, suffix))
        cid = Cid.make(self.options.cid_version, DAG_PB, hashlib.sha256(block).digest())
        if self.sink is not None:
            self.sink(cid, block)
        return Entry(cid, len(block), n)

    def _import_chunks(self, chunks: Iterable[memoryview]) -> Entry:
        """The balanced DAG over `chunks` (at least one, the last may be short or empty)."""
        levels: list[list[tuple[Link, int]]] = [[]]
        for chunk in chunks:
            self._push(levels, 0, self._leaf(chunk))
        return self._finish(levels)

    def _leaf(self, payload: bytes | memoryview) -> tuple[Link, int]:
        n = len(payload)
        opts = self.options
        if opts.leaves_raw:
            cid = Cid.make(1, RAW, hashlib.sha256(payload).digest())
            if self.sink is not None:
                self.sink(cid, bytes(payload))
            return Link(b"", cid.raw, n), n
        prefix, suffix = dagpb.leaf_frame(n)
        h = hashlib.sha256(prefix)
        h.update(payload)
        h.update(suffix)
        cid = Cid.make(opts.cid_version, DAG_PB, h.digest())
        if self.sink is not None:
            self.sink(cid, prefix + bytes(payload) + suffix)
        return Link(b"", cid.raw, len(prefix) + n + len(suffix)), n

    def _push(self, levels: list[list[tuple[Link, int]]], depth: int, item: tuple[Link, int]) -> None:
        """Adds a child at `depth`; a full group of max_links becomes one node a level up."""
        levels[depth].append(item)
        if len(levels[depth]) == self.options.max_links:
            node = self._file_node(levels[depth])
            levels[depth] = []
            if depth + 1 == len(levels):
                levels.append([])
            self._push(levels, depth + 1, node)

    def _finish(self, levels: list[list[tuple[Link, int]]]) -> Entry:
        """Closes partial groups bottom-up, as boxo's balanced builder leaves them."""
        for depth in range(len(levels) - 1):
            if levels[depth]:
                levels[depth + 1].append(self._file_node(levels[depth]))
                levels[depth] = []
        top = levels[-1]
        link, size = top[0] if len(top) == 1 else self._file_node(top)
        return Entry(Cid(link.cid), link.tsize, size)

    def _file_node(self, children: list[tuple[Link, int]]) -> tuple[Link, int]:
        sizes = [size for _link, size in children]
        total = sum(sizes)
        data = dagpb.encode_unixfs(DataType.FILE, filesize=total, blocksizes=sizes)
        links = [link for link, _size in children]
        block = dagpb.encode_node(links, data)
        cid = Cid.of_block(self.options.cid_version, DAG_PB, block)
        if self.sink is not None:
            self.sink(cid, block)
        return Link(b"", cid.raw, len(block) + sum(link.tsize for link in links)), total

    # ---- folders and symlinks ----------------------------------------------------------
    def add_directory(self, children: Mapping[bytes, Entry]) -> Entry:
        """A folder of already imported entries: a plain dag-pb node, or a HAMT when large."""
        opts = self.options
        links = [entry.link(name) for name, entry in children.items()]
        ordered = sorted(links, key=lambda link: link.name)
        block = b""
        if opts.hamt_estimate == "block-bytes":
            block = dagpb.encode_node(ordered, dagpb.encode_unixfs(DataType.DIRECTORY))
            estimate = len(block)
        else:
            estimate = sum(len(link.name) + len(link.cid) for link in links)
        size = sum(entry.size for entry in children.values())
        if estimate > opts.hamt_threshold or (opts.shard_at_threshold and estimate == opts.hamt_threshold):
            cid, tsize = hamt.build(links, opts.cid_version, self.sink)
            return Entry(cid, tsize, size, is_dir=True)
        block = block or dagpb.encode_node(ordered, dagpb.encode_unixfs(DataType.DIRECTORY))
        cid = Cid.of_block(opts.cid_version, DAG_PB, block)
        if self.sink is not None:
            self.sink(cid, block)
        return Entry(cid, len(block) + sum(link.tsize for link in links), size, is_dir=True)

    def add_symlink(self, target: bytes) -> Entry:
        block = dagpb.encode_node([], dagpb.encode_unixfs(DataType.SYMLINK, data=target))
        cid = Cid.of_block(self.options.cid_version, DAG_PB, block)
        if self.sink is not None:
            self.sink(cid, block)
        return Entry(cid, len(block), 0)

    def add_path(self, path: Path, on_entry: Callable[[Path, Entry], None] | None = None) -> Entry:
        """Imports a file, symlink or folder tree (like ``ipfs add -r``); `on_entry` sees each."""
        try:
            st = os.lstat(path)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        if stat.S_ISLNK(st.st_mode):
            kind = _LINK
        elif stat.S_ISDIR(st.st_mode):
            kind = _DIR
        elif stat.S_ISREG(st.st_mode):
            kind = _FILE
        else:
            raise InputError(f"{path} is not a regular file, folder or symlink")
        return self._add(os.fspath(path), kind, on_entry)

    def _add(self, path: str, kind: int, on_entry: Callable[[Path, Entry], None] | None) -> Entry:
        """Imports `path` of a known `kind`; folder entries are typed from scandir, not lstat."""
        if kind == _LINK:
            entry = self.add_symlink(os.fsencode(os.readlink(path)))
        elif kind == _DIR:
            children: dict[bytes, Entry] = {}
            try:
                with os.scandir(path) as it:
                    listing = sorted((os.fsencode(e.name), e.path, _kind(e)) for e in it)
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror}") from None
            for name, child, child_kind in listing:
                if name.startswith(b".") and not self.options.hidden:
                    continue
                if child_kind == _OTHER:
                    raise InputError(f"{child} is not a regular file, folder or symlink")
                children[name] = self._add(child, child_kind, on_entry)
            entry = self.add_directory(children)
        else:
            try:
                entry = self.add_file(path)
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror}") from None
        if on_entry is not None:
            on_entry(Path(path), entry)
        return entry


# The IPIP-499 profiles by name; tests/ipfs/test_profiles.py holds them to the IPIP's fixtures.
PROFILES: dict[str, ImportOptions] = {
    "unixfs-v0-2015": ImportOptions(),
    "unixfs-v1-2025": ImportOptions(cid_version=1, raw_leaves=True, chunk_size=1024 * 1024,
                                    max_links=1024, hamt_threshold=256 * 1024,
                                    hamt_estimate="block-bytes"),
}

_FILE, _DIR, _LINK, _OTHER = range(4)


def _kind(entry: os.DirEntry[str]) -> int:
    """A folder entry's kind from its d_type (no system call on Linux for files and folders)."""
    try:
        if entry.is_symlink():
            return _LINK
        if entry.is_dir(follow_symlinks=False):
            return _DIR
        if entry.is_file(follow_symlinks=False):
            return _FILE
    except OSError:
        pass
    return _OTHER


def _read_full(stream: Readable, view: memoryview) -> int:
    """Fills `view` from `stream` as far as it goes (short only at end of stream)."""
    got = 0
    while got < len(view):
        n = stream.readinto(view[got:])
        if not n:
            break
        got += n
    return got


def compute_cid(path: Path, options: ImportOptions | None = None) -> Cid:
    """The CID ``ipfs add -Q -r --only-hash`` prints for `path`."""
    return Importer(options).add_path(path).cid
