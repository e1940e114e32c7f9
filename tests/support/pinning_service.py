"""A strict IPFS Pinning Service API server on 127.0.0.1, with the service's own rate limit.

It follows the spec (ipfs/pinning-services-api-spec, ipfs-pinning-service.yaml) where a client
can get it wrong: Bearer auth (401 with a Failure object), ``cid`` filters of at most 10 CIDs
(400 beyond), ``limit`` 1..1000 (default 10), ``status`` defaulting to ``pinned``, ``before`` and
``after``, results newest first with ``count`` the total so a client must page with ``before``,
unique ``created`` timestamps, new request IDs for every POST (a CID pinned twice has two
requests), and statuses that move with time, whichever endpoint is asked: ``queued`` for
`queued_for` s, ``pinning`` for `pinning_for` s, then ``pinned`` (or ``failed`` for CIDs in
`fail_cids`). `page_cap` answers fewer results than `limit` (count tells the rest), and
`cluster=True` behaves as IPFS Cluster's ``pinsvc`` endpoint: the CID is the request ID, and
``status``/``before`` filters are ignored when ``cid`` is given.

Its rate limit is a token bucket of `burst` requests refilled at `per_minute`; a request over it
gets 429 with ``Retry-After`` (whole seconds), as a real service answers. Every request is logged
with its arrival time on the server's monotonic clock and the status answered, so a test counts
requests per window from the server's side. `hold_post` holds the n-th POST (before handling it,
or after, its answer withheld) so a test can kill the client there.
"""

from __future__ import annotations

import itertools
import json
import math
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from nft_toolkit.ipfs.cid import Cid
from tests.support.servers import _Base, _Server

STATUSES = ("queued", "pinning", "pinned", "failed")


@dataclass(frozen=True)
class Logged:
    at: float  # time.monotonic() when the request line was read
    method: str
    path: str
    status: int
    retry_after: int | None = None  # the Retry-After a 429 answered


class _Handler(_Base):
    owner: "StrictPinningService"

    def setup(self) -> None:
        super().setup()
        # headers and body leave in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK make every answer wait ~40 ms, slower than the limits tested
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _failure(self, code: int, reason: str, details: str = "", headers: dict | None = None) -> None:
        body = json.dumps({"error": {"reason": reason, "details": details}}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self, method: str) -> None:
        owner = self.owner
        arrived = time.monotonic()
        url = urlsplit(self.path)
        body = self._body() if method == "POST" else b""
        self._retry_after: int | None = None
        code = self._handle(method, url.path, parse_qs(url.query), body)
        with owner.lock:
            owner.log.append(Logged(arrived, method, url.path, code, self._retry_after))

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _handle(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> int:
        owner = self.owner
        if self.headers.get("Authorization") != f"Bearer {owner.token}":
            self._failure(401, "UNAUTHORIZED", "access token is missing or invalid")
            return 401
        wait = owner.admit()
        if wait is not None:
            self._retry_after = max(1, math.ceil(wait))
            self._failure(429, "RATE_LIMITED", "too many requests",
                          {"Retry-After": str(self._retry_after)})
            return 429
        if path == "/pins" and method == "GET":
            return self._list(query)
        if path == "/pins" and method == "POST":
            return self._add(body)
        rid = path.removeprefix("/pins/")
        with owner.lock:
            pin = owner.pins.get(rid) if path.startswith("/pins/") else None
        if pin is None:
            self._failure(404, "NOT_FOUND", "no such pin request")
            return 404
        if method == "GET":
            self._json(200, owner.status_of(rid))
            return 200
        if method == "DELETE":
            with owner.lock:
                owner.pins.pop(rid, None)
            self._reply(202, b"")
            return 202
        self._failure(400, "BAD_REQUEST", "unsupported")
        return 400

    def _list(self, query: dict[str, list[str]]) -> int:
        owner = self.owner
        try:
            cids = [c for c in query.get("cid", [""])[0].split(",") if c]
            if len(cids) > 10:
                raise ValueError(f"at most 10 CIDs per query, got {len(cids)}")
            wanted = {Cid.parse(c).to_v1() for c in cids}
            statuses = set(query.get("status", ["pinned"])[0].split(","))
            if not statuses <= set(STATUSES):
                raise ValueError(f"unknown status in {sorted(statuses)}")
            limit = int(query.get("limit", ["10"])[0])
            if not 1 <= limit <= 1000:
                raise ValueError("limit must be 1..1000")
            before = _time(query["before"][0]) if "before" in query else None
            after = _time(query["after"][0]) if "after" in query else None
        except (ValueError, KeyError) as exc:
            self._failure(400, "BAD_REQUEST", str(exc))
            return 400
        owner.list_sizes.append(len(cids))
        owner.queries.append({k: v[0] for k, v in query.items()})
        with owner.lock:
            rids = list(owner.pins)
        found = []
        for rid in rids:
            status = owner.status_of(rid)
            created = _time(status["created"])
            if wanted and Cid.parse(status["pin"]["cid"]).to_v1() not in wanted:
                continue
            if owner.cluster and wanted:  # IPFS Cluster: no status or time filters with `cid`
                found.append((created, status))
                continue
            if status["status"] not in statuses:
                continue
            if (before is not None and created >= before) or (after is not None and created <= after):
                continue
            found.append((created, status))
        found.sort(key=lambda x: x[0], reverse=True)  # newest first
        page = min(limit, owner.page_cap or limit)
        self._json(200, {"count": len(found), "results": [s for _c, s in found[:page]]})
        return 200

    def _add(self, body: bytes) -> int:
        owner = self.owner
        try:
            doc = json.loads(body)
            cid = doc["cid"]
            Cid.parse(cid)
            name = doc.get("name", "")
            if not isinstance(name, str) or len(name) > 255:
                raise ValueError("name must be text of at most 255 characters")
            if len(doc.get("origins", [])) > 20:
                raise ValueError("at most 20 origins")
        except (ValueError, KeyError, TypeError) as exc:
            self._failure(400, "BAD_REQUEST", str(exc))
            return 400
        n = owner.next_post()
        if owner.hold_post == (n, "before"):
            owner.wait_here(self)
            return 0
        rid = owner.create(cid, name)
        if owner.hold_post == (n, "after"):  # the pin is queued, its answer never sent
            owner.wait_here(self)
            return 0
        self._json(202, owner.status_of(rid))
        return 202


class StrictPinningService(_Server):
    handler = _Handler

    def __init__(self, token: str, *, per_minute: float | None = None, burst: int = 1,
                 queued_for: float = 0.05, pinning_for: float = 0.05, page_cap: int | None = None,
                 cluster: bool = False) -> None:
        super().__init__()
        self.token = token
        self.per_minute, self.burst = per_minute, burst
        self.queued_for, self.pinning_for = queued_for, pinning_for
        self.page_cap = page_cap  # answer at most this many results a page (count tells the rest)
        self.cluster = cluster  # behave as IPFS Cluster's pinsvc endpoint (see create, _list)
        self.repeats = 0  # cluster mode: POSTs of a CID it already had
        self.fail_cids: set[bytes] = set()  # multihashes whose pins end `failed`
        self.pins: dict[str, dict] = {}
        self.log: list[Logged] = []
        self.list_sizes: list[int] = []  # CIDs per GET /pins query
        self.queries: list[dict[str, str]] = []  # each GET /pins query's parameters
        self._ids = itertools.count(1)
        self._epoch = datetime(2026, 1, 1, tzinfo=timezone.utc)
        self._tokens = float(burst)
        self._stamp = time.monotonic()
        self.posts = 0
        self.hold_post: tuple[int, str] | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def admit(self) -> float | None:
        """Takes a token of the service's own budget, or answers the seconds until one."""
        if self.per_minute is None:
            return None
        with self.lock:
            now = time.monotonic()
            rate = self.per_minute / 60
            self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return None
            return (1 - self._tokens) / rate

    def create(self, cid: str, name: str, final: str | None = None, age: float = 0.0) -> str:
        """A new pin request (IPFS Cluster: the CID is the request ID, asking again changes
        nothing); `final`: its end state, else pinned (failed for `fail_cids`); `age`: seconds
        since it was made (its status moves on with them)."""
        with self.lock:
            if self.cluster:
                rid = str(Cid.parse(cid).to_v1())
                if rid in self.pins:
                    self.repeats += 1
                    return rid
            n = next(self._ids)
            rid = rid if self.cluster else f"req-{n:06d}"
            self.pins[rid] = {"cid": cid, "name": name, "n": n, "t": time.monotonic() - age,
                              "final": final}
        return rid

    def status_of(self, rid: str) -> dict:
        pin = self.pins[rid]
        age = time.monotonic() - pin["t"]
        if age < self.queued_for:
            state = "queued"
        elif age < self.queued_for + self.pinning_for:
            state = "pinning"
        else:
            state = pin["final"] or (
                "failed" if Cid.parse(pin["cid"]).multihash in self.fail_cids else "pinned")
        created = self._epoch + timedelta(milliseconds=pin["n"])  # unique, in creation order
        return {"requestid": rid, "status": state,
                "created": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "pin": {"cid": pin["cid"], "name": pin["name"]},
                "delegates": ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWStrictPinningServiceTest"],
                "info": {"status_details": "cannot find the content" if state == "failed" else ""}}

    def next_post(self) -> int:
        with self.lock:
            self.posts += 1
            return self.posts

    def wait_here(self, handler: _Handler) -> None:
        self.held.set()
        self.release.wait(60)
        handler.close_connection = True

    def asked(self) -> dict[bytes, int]:
        """Pin requests made per CID (by multihash)."""
        out: dict[bytes, int] = {}
        for pin in self.pins.values():
            mh = Cid.parse(pin["cid"]).multihash
            out[mh] = out.get(mh, 0) + 1
        return out

    def __exit__(self, *exc) -> None:
        self.release.set()
        super().__exit__(*exc)


def _time(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value}")
    return when
