"""A real HTTP JSON-RPC proxy in front of a node that pauses, drops, delays or fails chosen requests.

Requests are counted per method (a JSON-RPC batch counts as the method ``"batch"``). A
:class:`Fault` names a method, which occurrence (0-based; None for every one) and whether it
strikes *before* the request reaches the node or *after* the node has executed it (the answer is
then withheld or replaced). Actions:

- ``pause``: the proxy holds the request and sets :attr:`RpcProxy.paused`; the test can then kill
  a process at that exact point, deterministically, and :meth:`RpcProxy.release` drops the held
  connection;
- ``drop``: the connection closes without an answer (the client sees a reset);
- ``error``: a JSON-RPC error object; ``http``: an HTTP 502; ``garbage``: a non-JSON 200 body;
- ``delay``: the answer comes `seconds` late (longer than the client's timeout: a timeout);
- ``hold``: like ``pause``, but after :meth:`RpcProxy.release` the request goes on normally
  (the test acts in between, e.g. a second sender takes the nonce); ``hold-error``: held the
  same way, then answered with the error `message` instead (as geth answers ``nonce too low``).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


@dataclass(frozen=True)
class Fault:
    method: str
    occurrence: int | None  # None: every call of `method`
    phase: str = "before"  # "before" the node sees it, or "after" it executed
    action: str = "pause"  # pause | hold | drop | error | http | garbage | delay
    seconds: float = 0.0
    message: str = "injected fault"


class RpcProxy:
    """Forwards JSON-RPC over HTTP to `upstream`, applying :attr:`faults`; a context manager."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.faults: list[Fault] = []
        self.calls: Counter[str] = Counter()
        self.log: list[str] = []
        self.struck: list[tuple[Fault, int]] = []
        self.paused = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._session = requests.Session()
        handler = type("Handler", (_Handler,), {"proxy": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reset(self, *faults: Fault) -> None:
        """New faults, fresh counters (for the next process)."""
        with self._lock:
            self.faults = list(faults)
            self.calls.clear()
            self.log.clear()
            self.struck.clear()
            self.paused.clear()
            self._release.clear()

    def release(self) -> None:
        """Lets a paused request go (its connection is dropped, never answered)."""
        self._release.set()

    def _match(self, method: str, phase: str, n: int) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.phase == phase and fault.occurrence in (None, n):
                self.struck.append((fault, n))
                return fault
        return None

    def __enter__(self) -> RpcProxy:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    proxy: RpcProxy

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            doc = json.loads(body)
            method = "batch" if isinstance(doc, list) else str(doc.get("method"))
            rid = None if isinstance(doc, list) else doc.get("id")
        except ValueError:
            method, rid = "invalid", None
        proxy = self.proxy
        with proxy._lock:
            n = proxy.calls[method]
            proxy.calls[method] += 1
            proxy.log.append(method)
            before = proxy._match(method, "before", n)
        if before is not None and self._strike(before, rid):
            return
        try:
            upstream = proxy._session.post(proxy.upstream, data=body, timeout=120,
                                           headers={"Content-Type": "application/json"})
        except requests.RequestException:
            self.close_connection = True  # the node is gone: so is the answer
            return
        with proxy._lock:
            after = proxy._match(method, "after", n)
        if after is not None and self._strike(after, rid):
            return
        self._send(upstream.status_code, upstream.content)

    def _strike(self, fault: Fault, rid: object) -> bool:
        """Applies `fault`; True when the request ends here."""
        if fault.action == "pause":
            self.proxy.paused.set()
            self.proxy._release.wait(120)
            self.close_connection = True
            return True
        if fault.action in ("hold", "hold-error"):
            self.proxy.paused.set()
            self.proxy._release.wait(120)
            if fault.action == "hold":
                return False
        if fault.action == "drop":
            self.close_connection = True
            return True
        if fault.action == "delay":
            time.sleep(fault.seconds)
            return False
        if fault.action in ("error", "hold-error"):
            doc = {"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": fault.message}}
            self._send(200, json.dumps(doc).encode())
        elif fault.action == "http":
            self._send(502, b"bad gateway (injected)")
        elif fault.action == "garbage":
            self._send(200, b"<html>not json</html>")
        return True

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
