"""The `kubo` backend: a Kubo node (or an IPFS Cluster proxy) through its RPC API, with ipfshttpclient.

ipfshttpclient 0.7's ``connect()`` refuses every daemon newer than 0.8.0 by version number;
the RPC calls used here (``add``, ``block/stat``, ``dag/import``, ``pin/add``, ``pin/ls``) are
unchanged in current Kubo, so the client is built with ``ipfshttpclient.Client(addr)`` directly,
which its own docs allow "to prevent the client from checking for an active and compatible version".

Per root: if Kubo already pins it recursively, nothing is sent. Otherwise each file below it whose
root block Kubo does not hold yet is sent with ``add`` and ``pin=false`` (Kubo chunks and hashes
it itself, and the CID it answers must equal the one computed here), the folder nodes go in as a
small CAR through ``dag/import`` with ``pin-roots=false`` (its ``stats`` must count them all), and then the root alone is pinned
(``pin/add``, recursive), which must report the same CID. The backend creates exactly one pin per
root and removes none: a pin the user already holds on any file or folder below stays as it was.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from typing import Any

from nft_toolkit.connection import no_answer_cause
from nft_toolkit.errors import PinningError
from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.car import write_car
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType
from nft_toolkit.ipfs.importer import MAX_LINKS, ImportOptions
from nft_toolkit.ipfs.pinning.base import (PinResult, PinTarget, Progress, RetryPolicy, Transient,
                                           same_content)
from nft_toolkit.ipfs.pinning.ratelimit import RateLimit
from nft_toolkit.ipfs.retrieval import BlockSource, read_file
from nft_toolkit.urls import redact_url

MAX_FILE = 512 * 1024 * 1024


def _client(api: str, timeout: float) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ipfshttpclient
    return ipfshttpclient.Client(api, timeout=timeout)


class KuboBackend:
    name = "kubo"

    def __init__(self, api: str, *, cid_version: int = 0, profile: str | None = None,
                 timeout: float = 120.0, retry: RetryPolicy | None = None,
                 limit: RateLimit | None = None) -> None:
        self.api = redact_url(api) if "://" in api else api  # only ever shown: no credentials
        self.options = ImportOptions.of(profile, cid_version)  # how Kubo must import each file
        self.cid_version = self.options.cid_version
        self.retry = retry or RetryPolicy()
        self.limit = limit or RateLimit(None)  # every RPC call, retries included, waits for it
        self.client = _client(api, timeout)

    def _call(self, what: str, fn: Callable[[], object]) -> Any:
        """`fn`'s answer (a call of the untyped client) as plain JSON values, errors mapped."""
        from ipfshttpclient import exceptions as exc

        def once() -> object:
            self.limit.acquire()
            try:
                return fn()
            except (exc.ConnectionError, exc.TimeoutError, exc.ProtocolError) as e:
                raise Transient(no_answer_cause(e)) from None
            except exc.ErrorResponse as e:
                raise _Refused(f"{what}: Kubo at {self.api} answered: {e}") from None
            except exc.StatusError as e:
                status = getattr(getattr(e, "original", None), "response", None)
                code = getattr(status, "status_code", 0)
                if code == 429 or code >= 500 or code == 0:
                    raise Transient(f"HTTP {code}") from None
                raise PinningError(f"{what}: Kubo at {self.api} answered HTTP {code}") from None

        return _plain(self.retry.run(f"{what} (Kubo at {self.api})", once, pause=self.limit.hold))

    def _pinned(self) -> set[bytes]:
        """The multihashes Kubo pins recursively."""
        answer = self._call("pin/ls", lambda: self.client.pin.ls(type="recursive"))
        keys = answer.get("Keys", {}) if isinstance(answer, dict) else {}
        return {Cid.parse(k).multihash for k in keys}

    def _has_block(self, cid: Cid) -> bool:
        """Whether Kubo holds the block locally (offline: an absent block is not looked for)."""
        try:
            self._call(f"block/stat {cid}", lambda: self.client.block.stat(str(cid), offline=True))
        except _Refused:
            return False  # Kubo answers an error for a block it does not have
        return True

    def _files_and_folders(self, source: BlockSource, root: Cid) -> tuple[list[Cid], list[tuple[Cid, bytes]]]:
        """The file roots below `root`, and the folder (and HAMT shard) blocks on the way."""
        files: list[Cid] = []
        folders: list[tuple[Cid, bytes]] = []
        stack = [root]
        while stack:
            cid = stack.pop()
            if cid.codec != DAG_PB:
                files.append(cid)
                continue
            block = source.get_block(cid)
            node = dagpb.decode_node(block)
            if node.unixfs is None or node.unixfs.type not in (DataType.DIRECTORY, DataType.HAMT_SHARD):
                files.append(cid)
                continue
            folders.append((cid, block))
            stack.extend(Cid(link.cid) for link in node.links)
        return files, folders

    def _add_file(self, source: BlockSource, cid: Cid) -> None:
        """Sends one file's bytes for Kubo to import itself, unpinned; its CID must be `cid`."""
        data = read_file(source, cid, MAX_FILE)
        opts = self.options
        extra: dict[str, Any] = {}
        if len(data) > MAX_LINKS * opts.chunk_size and opts.max_links != MAX_LINKS:
            extra["opts"] = {"max-file-links": opts.max_links}  # Kubo 0.39+; only when it counts
        answer = self._call(f"add {cid}", lambda: self.client.add(
            io.BytesIO(data), cid_version=opts.cid_version, raw_leaves=opts.leaves_raw,
            chunker=f"size-{opts.chunk_size}", pin=False, **extra))
        if isinstance(answer, list):
            answer = answer[-1]
        same_content(cid, answer["Hash"], f"add {cid}")

    def _import_folders(self, root: Cid, folders: list[tuple[Cid, bytes]]) -> None:
        """Stores the folder blocks (a CAR through dag/import) without pinning anything."""
        buf = io.BytesIO()
        write_car(buf, [root], iter(folders))
        answer = self._call(f"dag/import {root}", lambda: self.client.dag.imprt(
            io.BytesIO(buf.getvalue()), opts={"pin-roots": "false", "stats": "true"}))
        stats = answer.get("Stats", {}) if isinstance(answer, dict) else {}
        if stats.get("BlockCount") != len(folders):
            raise PinningError(f"dag/import {root}: Kubo at {self.api} imported "
                               f"{stats.get('BlockCount')} of {len(folders)} folder blocks")

    def _pin_root(self, root: Cid) -> None:
        """Pins `root` recursively; Kubo must name the same CID and list it afterwards."""
        answer = self._call(f"pin/add {root}", lambda: self.client.pin.add(
            str(root), recursive=True, offline=True))
        pins = answer.get("Pins", []) if isinstance(answer, dict) else []
        if not pins:
            raise PinningError(f"pin/add {root}: Kubo at {self.api} answered no pin")
        same_content(root, pins[-1], f"pin/add {root}")
        if root.multihash not in self._pinned():
            raise PinningError(f"Kubo at {self.api} does not list {root} as pinned after pinning it")

    def pin(self, targets: list[PinTarget], source: BlockSource,
            on_progress: Progress | None = None) -> list[PinResult]:
        pinned = self._pinned()
        plan: list[tuple[PinTarget, list[Cid], list[tuple[Cid, bytes]]]] = []
        for target in targets:
            if target.cid.multihash in pinned:
                plan.append((target, [], []))
            else:
                plan.append((target, *self._files_and_folders(source, target.cid)))
        total = sum(len(files) + 1 for _t, files, _f in plan)
        done = 0
        sent: set[bytes] = set()  # file roots Kubo holds now (sent, or found there)
        results = []
        for target, files, folders in plan:
            if target.cid.multihash in pinned:
                results.append(PinResult(target.name, str(target.cid), "already-pinned"))
            else:
                for cid in files:
                    if cid.multihash not in sent and not self._has_block(cid):
                        self._add_file(source, cid)
                    sent.add(cid.multihash)
                    done += 1
                    if on_progress:
                        on_progress(done, total, target.name)
                if folders:
                    self._import_folders(target.cid, folders)
                try:
                    self._pin_root(target.cid)
                except _Refused:
                    # A file whose root block is there but not all of its DAG (a run cut short
                    # inside an add): send every file of this root again, then pin once more.
                    for cid in files:
                        self._add_file(source, cid)
                    self._pin_root(target.cid)
                pinned.add(target.cid.multihash)
                results.append(PinResult(target.name, str(target.cid), "pinned"))
            done += 1
            if on_progress:
                on_progress(done, total, target.name)
        return results


class _Refused(PinningError):
    """Kubo answered the call with an error (not a transport failure)."""


def _plain(answer: Any) -> Any:
    """ipfshttpclient's response wrappers as plain JSON values."""
    if hasattr(answer, "as_json"):
        return answer.as_json()
    if isinstance(answer, list):
        return [_plain(a) for a in answer]
    return answer
