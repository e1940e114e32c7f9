"""A JSON-RPC endpoint that can die: a real HTTP proxy in front of a node, for tests of a
network with several endpoints (nft_toolkit.chain.endpoints).

:class:`Endpoint` forwards every POST to `upstream` (any path: a URL such as
``http://127.0.0.1:PORT/v3/<key>`` works) and logs each request's method (a JSON-RPC batch is
``"batch"``) with a tick of a clock the endpoints of one test share, so a test can tell which
endpoint served what, and when. :meth:`Endpoint.die_after` arms its death: once the node has
executed the chosen request, the answer is never sent, the connection is dropped, the listener
closed (new connections are refused) and every later request on an open connection dropped,
as when a node's host crashes. Deterministic: the death comes at a request, not at a time.
:meth:`Endpoint.sicken` makes it answer one method (or every one) with an HTTP status or a
JSON-RPC error without asking the node (a gateway's 502, a node's internal error), or hang
(a node that takes the connection and never answers), until :meth:`heal`. :meth:`hold_at`
holds one chosen request (never sent to the node) until :meth:`heal`: a client stopped at a known
point, e.g. to be killed there.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


class Endpoint:
    """A proxy to `upstream` that can die at a chosen request; a context manager."""

    def __init__(self, upstream: str, clock: itertools.count[int] | None = None) -> None:
        self.upstream = upstream
        self.clock = clock or itertools.count()
        self.log: list[tuple[int, str]] = []  # (tick, method) of each request answered
        self.died_at: int | None = None  # the tick of the request it died at
        self._death: tuple[str, int] | None = None  # (method, n): dies at its n-th (1-based)
        self._sickness: tuple[str, int | str | dict[str, object]] | None = None
        self._healed = threading.Event()
        self._hold: tuple[str, int] | None = None  # (method, n): holds its n-th (1-based)
        self._hold_seen = 0
        self.held = threading.Event()  # set once the request to hold has come
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self._session = requests.Session()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Handler,),
                                                                {"endpoint": self}))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def die_after(self, method: str, n: int) -> None:
        """Dies at the `n`-th request of `method` ("*": of any method; counted from now),
        after the node ran it."""
        with self._lock:
            self._death, self._seen = (method, n), {}

    def sicken(self, method: str, answer: int | str | dict[str, object]) -> None:
        """Answers every request of `method` ("*": of any) with HTTP status `answer` (an int),
        the JSON-RPC error object `answer`, or nothing ("hang": held until healed), without
        asking the node; logged as ``method:sick`` or ``method:hung``."""
        self._healed.clear()
        self._sickness = (method, answer)

    def hold_at(self, method: str, n: int) -> None:
        """Holds the `n`-th request of `method` (counted from now) without sending it to the
        node, until :meth:`heal`; :attr:`held` is set when it comes (logged ``method:held``)."""
        with self._lock:
            self._healed.clear()
            self.held.clear()
            self._hold, self._hold_seen = (method, n), 0

    def heal(self) -> None:
        self._sickness = None
        self._healed.set()

    def served(self, method: str | None = None) -> list[int]:
        """The ticks of the requests (of `method`) this endpoint answered."""
        return [tick for tick, m in self.log if method is None or m == method]

    @property
    def dead(self) -> bool:
        return self.died_at is not None

    def __enter__(self) -> Endpoint:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.heal()
        if not self.dead:
            self.httpd.shutdown()
        self.httpd.server_close()

    def _die(self, tick: int) -> None:
        self.died_at = tick
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()
        self.httpd.socket.close()  # refuse new connections at once


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    endpoint: Endpoint

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        ep = self.endpoint
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if ep.dead:
            self.close_connection = True  # a dead host answers nothing
            return
        try:
            doc = json.loads(body)
            method = "batch" if isinstance(doc, list) else str(doc.get("method"))
            rid = doc.get("id") if isinstance(doc, dict) else None
        except ValueError:
            method, rid = "invalid", None
        with ep._lock:
            hold = ep._hold is not None and ep._hold[0] == method
            if hold:
                ep._hold_seen += 1
                hold = ep._hold is not None and ep._hold_seen == ep._hold[1]
            if hold:
                ep.log.append((next(ep.clock), f"{method}:held"))
        if hold:
            ep.held.set()
            ep._healed.wait(120)
            self.close_connection = True  # never sent: the client is gone, or gave up
            return
        sickness = ep._sickness
        if sickness is not None and sickness[0] in (method, "*"):
            hang = sickness[1] == "hang"
            with ep._lock:
                ep.log.append((next(ep.clock), f"{method}:{'hung' if hang else 'sick'}"))
            if hang:
                ep._healed.wait(120)
                self.close_connection = True  # the client gave up long ago
                return
            if isinstance(sickness[1], int):
                self._send(sickness[1], b"bad gateway (injected)")
            else:
                self._send(200, json.dumps({"jsonrpc": "2.0", "id": rid,
                                            "error": sickness[1]}).encode())
            return
        try:
            upstream = ep._session.post(ep.upstream, data=body, timeout=120,
                                        headers={"Content-Type": "application/json"})
        except requests.RequestException:
            self.close_connection = True
            return
        with ep._lock:
            tick = next(ep.clock)
            for counted in (method, "*"):
                ep._seen[counted] = ep._seen.get(counted, 0) + 1
            if ep._death is not None and ep._seen.get(ep._death[0]) == ep._death[1] \
                    and ep._death[0] in (method, "*"):
                ep._die(tick)
                self.close_connection = True  # executed by the node; the answer is lost
                return
            ep.log.append((tick, method))
        self._send(upstream.status_code, upstream.content)

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def two_endpoints(upstream: str) -> Iterator[tuple[Endpoint, Endpoint]]:
    """Two endpoints in front of the one node `upstream`, on one clock (so their requests can be
    ordered against each other)."""
    clock = itertools.count()
    with Endpoint(upstream, clock) as a, Endpoint(upstream, clock) as b:
        yield a, b
