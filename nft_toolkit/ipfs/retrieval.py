"""Verified retrieval: blocks from anywhere, each checked against its CID before it is used.

A :class:`BlockSource` hands out blocks by CID and always verifies them (IntegrityError when
the bytes do not hash to the CID), so a lying gateway is detected, never believed. On top of
any source, :func:`resolve_path` walks UnixFS folders (plain and HAMT-sharded, through
:mod:`nft_toolkit.ipfs.folders`, the one folder reader) and :func:`read_file` reassembles a
file, both bounded in size and depth.

Sources: the local :class:`~nft_toolkit.ipfs.store.BlockStore`, :class:`KuboRpcSource`
(``/api/v0/block/get``) and :class:`GatewaySource` (trustless gateway, ``?format=raw`` blocks,
optionally prefetched as one verified ``?format=car``). HTTP timeouts and sizes are explicit.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

import requests

from nft_toolkit.connection import no_answer_cause
from nft_toolkit.errors import ConfigError, ContentError
from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.car import MAX_BLOCK, read_car
from nft_toolkit.ipfs.cid import DAG_PB, RAW, Cid
from nft_toolkit.ipfs.dagpb import DataType
from nft_toolkit.ipfs.folders import BrokenFolder, NoEntry, folder_entry, list_folder
from nft_toolkit.urls import redact_url

__all__ = ["BlockSource", "BrokenFolder", "GatewaySource", "KuboRpcSource", "NoEntry",
           "NotTrustless", "folder_entry", "iter_file", "list_folder", "read_file", "resolve_path"]

DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
MIN_SECONDS, MIN_RATE = 30.0, 256 * 1024  # a response may take max(30 s, its limit at 256 KiB/s)
MAX_DEPTH = 32  # file DAG levels walked before giving up (folders: see ipfs.folders)


@runtime_checkable
class BlockSource(Protocol):
    """Anything that returns the verified bytes of a block by CID."""

    def get_block(self, cid: Cid | str) -> bytes: ...


def _read_bounded(resp: requests.Response, limit: int, what: str) -> bytes:
    """The body, at most `limit` bytes, within a total time: the read timeout bounds each wait,
    not the whole, and a server sending a byte now and then would never trip it."""
    declared = resp.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ContentError(f"{what} is {declared} bytes, over the {limit}-byte limit")
    budget = max(MIN_SECONDS, limit / MIN_RATE)
    deadline = time.monotonic() + budget
    data = bytearray()
    while piece := resp.raw.read1(64 * 1024, decode_content=True):  # what has arrived, at once
        data += piece
        if len(data) > limit:
            raise ContentError(f"{what} exceeds the {limit}-byte limit")
        if time.monotonic() > deadline:
            raise ContentError(f"{what}: {len(data)} bytes in {budget:.0f} s, too slow; given up")
    return bytes(data)


RAW_TYPE, CAR_TYPE = "application/vnd.ipld.raw", "application/vnd.ipld.car"


class NotTrustless(ContentError):
    """A gateway answered a trustless request (``?format=raw``/``car``) with something else,
    e.g. the plain file: nothing it sends can be checked, so the content is unverifiable."""


def _check_type(resp: requests.Response, expect: str, what: str, base_url: str) -> None:
    """NotTrustless when the answer is labelled as something else than `expect` (a plain file,
    an HTML listing); an unlabelled answer is left to the hash check."""
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype and ctype != expect:
        raise NotTrustless(f"{what}: {base_url} is not a trustless gateway (asked for {expect}, "
                           f"it answered {ctype})")


class _HttpSource:
    def __init__(self, base_url: str, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 max_block: int = MAX_BLOCK, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.shown = redact_url(self.base_url)  # for messages: no password, key or query
        self.timeout = timeout
        self.max_block = max_block
        self.session = session or requests.Session()

    def _request(self, method: str, url: str, limit: int, what: str, expect: str | None = None,
                 **kw: Any) -> bytes:
        """The body of a 200 answer; with `expect`, only when its Content-Type is that one."""
        try:
            with self.session.request(method, url, timeout=self.timeout, stream=True, **kw) as resp:
                if resp.status_code != 200:
                    raise ContentError(f"{what}: HTTP {resp.status_code} from {self.shown}")
                if expect is not None:
                    _check_type(resp, expect, what, self.shown)
                return _read_bounded(resp, limit, what)
        except requests.RequestException as exc:
            raise ContentError(f"{what}: {self.shown} unreachable ({no_answer_cause(exc)})") from None


class KuboRpcSource(_HttpSource):
    """Blocks from a Kubo node's RPC API, e.g. ``http://127.0.0.1:5001``."""

    @classmethod
    def from_api(cls, api: str, **kw: Any) -> KuboRpcSource:
        """The source for `api` as collection.yaml's ``ipfs.kubo_api`` names it: a multiaddr
        (``/ip4/127.0.0.1/tcp/5001/http``, ``/dns/host/tcp/443/https``) or an http(s) URL."""
        if api.startswith(("http://", "https://")):
            return cls(api, **kw)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ipfshttpclient.http_common import multiaddr_to_url_data
        try:
            url = multiaddr_to_url_data(api, "")[0]
        except Exception as exc:  # ipfshttpclient raises its own AddressError and ValueErrors
            raise ConfigError(f"not a Kubo RPC address: {api!r} ({exc})") from None
        return cls(url, **kw)

    def get_block(self, cid: Cid | str) -> bytes:
        cid = Cid.coerce(cid)
        block = self._request("POST", f"{self.base_url}/api/v0/block/get", self.max_block,
                              f"block {cid}", params={"arg": str(cid)})
        cid.verify(block)
        return block


class GatewaySource(_HttpSource):
    """Blocks from an HTTP trustless gateway (``/ipfs/<cid>?format=raw``), e.g. ``https://ipfs.io``.

    `prefetch_car` fetches a whole DAG as one ``?format=car`` response and keeps its verified
    blocks in memory (bounded by `max_car`), so the walk that follows needs no more requests.
    """

    def __init__(self, base_url: str, *, max_car: int = 64 * 1024 * 1024, **kw: Any) -> None:
        # People copy a gateway as they see it in links, `https://host/ipfs/`: the requests add
        # /ipfs/ themselves, so that path means the gateway's root.
        root = base_url.rstrip("/")
        super().__init__(root.removesuffix("/ipfs") if root.endswith("/ipfs") else root, **kw)
        self.max_car = max_car
        self._cache: dict[bytes, bytes] = {}

    def get_block(self, cid: Cid | str) -> bytes:
        cid = Cid.coerce(cid)
        cached = self._cache.get(cid.multihash)
        if cached is not None:
            return cached
        block = self._request("GET", f"{self.base_url}/ipfs/{cid}", self.max_block, f"block {cid}",
                              RAW_TYPE, params={"format": "raw"}, headers={"Accept": RAW_TYPE})
        cid.verify(block)
        return block

    def prefetch_car(self, root: Cid | str, path: str = "") -> int:
        """Loads the DAG at `root`/`path` from ``?format=car``; returns the block count.

        Every block is verified against the CID the CAR names for it; blocks the walk then
        needs but the CAR lacked are still fetched one by one.
        """
        root = Cid.coerce(root)
        suffix = "/" + path.strip("/") if path.strip("/") else ""
        data = self._request("GET", f"{self.base_url}/ipfs/{root}{suffix}", self.max_car,
                             f"CAR of {root}{suffix}", CAR_TYPE, params={"format": "car"},
                             headers={"Accept": CAR_TYPE})
        _roots, blocks = read_car(io.BytesIO(data), self.max_car)
        count = 0
        for cid, block in blocks:
            self._cache[cid.multihash] = block
            count += 1
        return count


def resolve_path(source: BlockSource, root_cid: Cid | str, path: str) -> Cid:
    """The CID of the entry at `path` (``"12.json"``, ``"a/b.png"``) under the folder `root_cid`:
    one :func:`~nft_toolkit.ipfs.folders.folder_entry` per segment (NoEntry, BrokenFolder)."""
    cid = Cid.coerce(root_cid)
    for segment in [s for s in path.split("/") if s]:
        cid = folder_entry(source, cid, segment.encode("utf-8"))
    return cid


def iter_file(source: BlockSource, cid: Cid | str, max_size: int) -> Iterator[bytes]:
    """The bytes of the UnixFS file `cid` piece by piece, from verified blocks, at most `max_size`.

    Every node's size claims are checked against what its children really hold.
    """
    cid = Cid.coerce(cid)
    if cid.codec not in (RAW, DAG_PB):
        raise ContentError(f"unsupported codec in {cid}")
    total = 0

    def walk(c: Cid, depth: int) -> Iterator[bytes]:
        nonlocal total
        if depth > MAX_DEPTH:
            raise ContentError(f"file DAG {cid} is deeper than {MAX_DEPTH} levels")
        block = source.get_block(c)
        if c.codec == RAW:
            pieces = [block]
            links: tuple[dagpb.Link, ...] = ()
            sizes: tuple[int, ...] = ()
        else:
            node = dagpb.decode_node(block)
            fs = node.unixfs
            if fs is None or fs.type not in (DataType.FILE, DataType.RAW):
                raise ContentError(f"{c} is not a UnixFS file")
            if depth == 0 and fs.filesize is not None and fs.filesize > max_size:
                raise ContentError(f"file {cid} is {fs.filesize} bytes, over the {max_size}-byte limit")
            if node.links and len(fs.blocksizes) != len(node.links):
                raise ContentError(f"file node {c} has {len(node.links)} links but "
                                   f"{len(fs.blocksizes)} block sizes")
            pieces, links, sizes = [fs.data], node.links, fs.blocksizes
        for piece in pieces:
            total += len(piece)
            if total > max_size:
                raise ContentError(f"file {cid} exceeds the {max_size}-byte limit")
            if piece:
                yield piece
        for link, size in zip(links, sizes):
            try:
                child = Cid.from_raw(link.cid)
            except ValueError as exc:
                raise ContentError(f"file node {c} links {exc}") from None
            got = 0
            for piece in walk(child, depth + 1):
                got += len(piece)
                yield piece
            if got != size:
                raise ContentError(f"file node {c} says a child holds {size} bytes, it holds {got}")

    yield from walk(cid, 0)


def read_file(source: BlockSource, cid: Cid | str, max_size: int) -> bytes:
    """The bytes of the UnixFS file `cid`, reassembled from verified blocks, at most `max_size`."""
    return b"".join(iter_file(source, cid, max_size))
