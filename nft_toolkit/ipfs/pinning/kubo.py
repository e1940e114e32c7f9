"""The `kubo` backend: a Kubo node (or an IPFS Cluster proxy) through its RPC API, with ipfshttpclient.

ipfshttpclient 0.7's ``connect()`` refuses every daemon newer than 0.8.0 by version number;
the RPC calls used here (``add``, ``dag/import``, ``pin/ls``, ``pin/rm``) are unchanged in current
Kubo, so the client is built with ``ipfshttpclient.Client(addr)`` directly, which its own docs
allow "to prevent the client from checking for an active and compatible version".

Per root: if Kubo already pins it, nothing is sent. Otherwise each file below it that Kubo does
not pin yet is sent with ``add`` (Kubo chunks and hashes it itself, and the CID it answers must
equal the one computed here), then the folder nodes go in as a small CAR through ``dag/import``,
which pins the root recursively; the per-file pins under it are then dropped.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from nft_toolkit.errors import PinningError
from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.car import write_car
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType
from nft_toolkit.ipfs.pinning.base import (PinResult, PinTarget, Progress, RetryPolicy, Transient,
                                           same_content)
from nft_toolkit.ipfs.retrieval import BlockSource, read_file

T = TypeVar("T")
MAX_FILE = 512 * 1024 * 1024


def _client(api: str, timeout: float) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ipfshttpclient
    return ipfshttpclient.Client(api, timeout=timeout)


class KuboBackend:
    name = "kubo"

    def __init__(self, api: str, *, cid_version: int = 0, timeout: float = 120.0,
                 retry: RetryPolicy | None = None) -> None:
        self.api = api
        self.cid_version = cid_version
        self.retry = retry or RetryPolicy()
        self.client = _client(api, timeout)

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        from ipfshttpclient import exceptions as exc

        def once() -> T:
            try:
                return fn()
            except (exc.ConnectionError, exc.TimeoutError, exc.ProtocolError) as e:
                raise Transient(type(e).__name__) from None
            except exc.ErrorResponse as e:
                raise PinningError(f"{what}: Kubo at {self.api} answered: {e}") from None
            except exc.StatusError as e:
                status = getattr(getattr(e, "original", None), "response", None)
                code = getattr(status, "status_code", 0)
                if code == 429 or code >= 500 or code == 0:
                    raise Transient(f"HTTP {code}") from None
                raise PinningError(f"{what}: Kubo at {self.api} answered HTTP {code}") from None

        return _plain(self.retry.run(f"{what} (Kubo at {self.api})", once))

    def _pinned(self) -> set[bytes]:
        answer = self._call("pin/ls", lambda: self.client.pin.ls(type="recursive"))
        keys = answer.get("Keys", {}) if isinstance(answer, dict) else {}
        return {Cid.parse(k).multihash for k in keys}

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
        data = read_file(source, cid, MAX_FILE)
        answer = self._call(f"add {cid}", lambda: self.client.add(
            io.BytesIO(data), cid_version=self.cid_version, pin=True))
        if isinstance(answer, list):
            answer = answer[-1]
        same_content(cid, answer["Hash"], f"add {cid}")

    def pin(self, targets: list[PinTarget], source: BlockSource,
            on_progress: Progress | None = None) -> list[PinResult]:
        pinned = self._pinned()
        plan = []
        for target in targets:
            if target.cid.multihash in pinned:
                plan.append((target, [], []))
            else:
                plan.append((target, *self._files_and_folders(source, target.cid)))
        total = sum(len(files) + 1 for _t, files, _f in plan)
        done = 0
        results = []
        for target, files, folders in plan:
            if target.cid.multihash in pinned:
                results.append(PinResult(target.name, str(target.cid), "already-pinned"))
                done += 1
                if on_progress:
                    on_progress(done, total, target.name)
                continue
            for cid in files:
                if cid.multihash not in pinned:
                    self._add_file(source, cid)
                    pinned.add(cid.multihash)
                done += 1
                if on_progress:
                    on_progress(done, total, target.name)
            if folders:
                self._import_folders(target.cid, folders)
            self._check_pinned(target.cid)
            if folders:  # the folder's recursive pin now holds the files: drop their own pins
                self._unpin_quietly([c for c in files if c.multihash in pinned])
            results.append(PinResult(target.name, str(target.cid), "pinned"))
            done += 1
            if on_progress:
                on_progress(done, total, target.name)
        return results

    def _import_folders(self, root: Cid, folders: list[tuple[Cid, bytes]]) -> None:
        buf = io.BytesIO()
        write_car(buf, [root], iter(folders))
        answer = self._call(f"dag/import {root}", lambda: self.client.dag.imprt(io.BytesIO(buf.getvalue())))
        entry: dict[str, Any] = answer if isinstance(answer, dict) else (list(_dicts(answer)) or [{}])[0]
        got = entry.get("Root", {})
        if got.get("PinErrorMsg"):
            raise PinningError(f"Kubo could not pin {root}: {got['PinErrorMsg']}")
        same_content(root, got.get("Cid", {}).get("/", ""), f"dag/import {root}")

    def _check_pinned(self, root: Cid) -> None:
        if root.multihash not in self._pinned():
            raise PinningError(f"Kubo at {self.api} does not list {root} as pinned after pinning it")

    def _unpin_quietly(self, cids: list[Cid]) -> None:
        try:
            self._call("pin/rm", lambda: self.client.pin.rm(*[str(c) for c in cids]))
        except PinningError:
            pass  # a file pin that stays is harmless; the folder pin holds it anyway


def _plain(answer: Any) -> Any:
    """ipfshttpclient's response wrappers as plain JSON values."""
    if hasattr(answer, "as_json"):
        return answer.as_json()
    if isinstance(answer, list):
        return [_plain(a) for a in answer]
    return answer


def _dicts(answer: Any) -> Iterator[dict[str, Any]]:
    for item in answer if isinstance(answer, list) else [answer]:
        if isinstance(item, dict) and "Root" in item:
            yield item
