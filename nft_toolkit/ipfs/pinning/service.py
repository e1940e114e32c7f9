"""The `pinning-service` backend: the IPFS Pinning Service API (Pinata, Filebase, IPFS Cluster, ...).

Spec: https://ipfs.github.io/pinning-services-api-spec/ . ``POST /pins {cid, name}`` asks the
service to pin; a pin request goes ``queued`` -> ``pinning`` -> ``pinned`` or ``failed``; the
token is a Bearer token read from the environment variable the config names, never printed. The
service fetches the content from the IPFS network itself (or a CAR upload the provider offers):
`pin` writes build/collection.car for that.

At scale, in three phases, each request under the backend's :class:`RateLimit` (requests per
minute and burst, as the service publishes them; a 429's ``Retry-After`` holds every request):

1. look-up: ``GET /pins?cid=c1,...,c10&status=queued,pinning,pinned,failed`` for ten targets at a
   time (the spec's limit), ``limit=1000``, and further pages with ``before`` (the oldest
   ``created`` seen) while ``count`` exceeds the page's results. A target found pinned is done; one
   queued or pinning is waited for, not asked again: so a run killed at any point resumes
   without a second pin request for what the service already holds or has queued;
2. ``POST /pins`` for each target with no live request (none, or only ``failed`` ones);
3. polling the targets still under way, ten per ``GET /pins?cid=...`` (not one request per pin),
   every `poll_interval` s, until each is pinned or failed; `pin_timeout` s without any progress
   ends the run (run `pin` again to keep waiting). Failures are reported together at the end.

Every answer's ``pin.cid`` must name the CID computed here. IPFS Cluster's ``pinsvc`` endpoint
(``/ip4/127.0.0.1/tcp/9097`` by default) speaks this API with its own caveats, all handled here:
the request ID is the CID (asking again is harmless), ``status`` filters are ignored when ``cid``
is given (statuses are filtered here), and it does not paginate (``count`` equals the results).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from nft_toolkit.connection import no_answer_cause
from nft_toolkit.errors import ConfigError, PinningError
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.pinning.base import (PinResult, PinTarget, Progress, RetryPolicy, Transient,
                                           same_content)
from nft_toolkit.ipfs.pinning.ratelimit import RateLimit, retry_after
from nft_toolkit.ipfs.retrieval import BlockSource
from nft_toolkit.urls import redact_url

STATUSES = ("queued", "pinning", "pinned", "failed")
ACTIVE = ("queued", "pinning", "pinned")
RANK = {"pinned": 0, "pinning": 1, "queued": 2, "failed": 3}
CIDS_PER_QUERY = 10  # the spec's maxItems for the `cid` filter
PAGE = 1000  # the spec's maximum `limit`
MAX_PAGES = 1000  # a service whose `count` never ends does not keep a run going forever


@dataclass
class _Track:
    """One target's request at the service: its ID and last status (None: no request yet)."""

    target: PinTarget
    requestid: str | None = None
    status: str | None = None
    details: str = ""


class PinningServiceBackend:
    name = "pinning-service"

    def __init__(self, url: str, token: str, *, timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None, poll_interval: float = 2.0,
                 pin_timeout: float = 600.0, origins: tuple[str, ...] = (),
                 limit: RateLimit | None = None, token_env: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.shown = redact_url(self.url)  # for messages: no password, key or query in them
        self.token_env = token_env  # the variable the token came from, named when refused
        self._token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.poll_interval = poll_interval
        self.pin_timeout = pin_timeout
        self.origins = origins
        self.limit = limit or RateLimit(None)
        self.session = requests.Session()

    def __repr__(self) -> str:  # never show the token
        return f"PinningServiceBackend({self.shown!r}, {self.limit!r})"

    def _request(self, method: str, path: str, what: str, **kw: Any) -> Any:
        """One API call's JSON answer; every try waits for the rate limit first."""
        def once() -> Any:
            self.limit.acquire()
            try:
                resp = self.session.request(method, self.url + path, timeout=self.timeout,
                                            headers={"Authorization": f"Bearer {self._token}"}, **kw)
            except requests.RequestException as exc:
                raise Transient(f"the pinning service at {self.shown}: {no_answer_cause(exc)}") \
                    from None
            if resp.status_code == 429 or resp.status_code >= 500:
                wait = retry_after(resp.headers.get("Retry-After"))
                raise Transient(f"HTTP {resp.status_code}", wait)
            if resp.status_code in (401, 403):  # a wrong or missing key: configuration, exit 2
                where = f" in ${self.token_env}" if self.token_env else ""
                raise ConfigError(f"{what}: the pinning service at {self.shown} refused the "
                                  f"access token{where} (HTTP {resp.status_code}): check the "
                                  "token and that it may pin")
            if resp.status_code >= 400:
                reason = _reason(resp)
                raise PinningError(f"{what}: the pinning service at {self.shown} answered "
                                   f"HTTP {resp.status_code} {reason}")
            try:
                return resp.json()
            except ValueError:
                raise PinningError(f"{what}: the pinning service at {self.shown} answered "
                                   "something that is not JSON") from None

        return self.retry.run(what, once, pause=self.limit.hold)

    def _list(self, cids: list[str], statuses: tuple[str, ...],
              what: str) -> Iterator[dict[str, Any]]:
        """Every pin object the service lists for up to ten `cids`, page after page; `what`
        names the step in messages."""
        params: dict[str, Any] = {"cid": ",".join(cids), "status": ",".join(statuses), "limit": PAGE}
        for _page in range(MAX_PAGES):
            answer = self._request("GET", "/pins", what, params=params)
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list):
                raise PinningError(f"{what}: the pinning service at {self.shown} answered a "
                                   "pin list without results")
            objects = [r for r in results if isinstance(r, dict)]
            yield from objects
            count = answer.get("count")  # of this query, `before` included: more than listed?
            oldest = min((c for c in (_created(r) for r in objects) if c is not None), default=None)
            if not objects or not isinstance(count, int) or count <= len(objects) or oldest is None:
                return
            previous = _parse_time(params.get("before"))
            if previous is not None and oldest >= previous:
                return  # the service ignores `before` (IPFS Cluster): no further page
            params["before"] = oldest.isoformat().replace("+00:00", "Z")
        raise PinningError(f"{what}: the pinning service at {self.shown} listed more than "
                           f"{MAX_PAGES} pages")

    def _refresh(self, tracks: list[_Track], what: str) -> None:
        """Updates each track from the service's list, ten CIDs per query; `what` names the
        step in messages, in words (no CIDs)."""
        for start in range(0, len(tracks), CIDS_PER_QUERY):
            chunk = tracks[start:start + CIDS_PER_QUERY]
            by_hash = {t.target.cid.multihash: t for t in chunk}
            found: dict[bytes, list[dict[str, Any]]] = {h: [] for h in by_hash}
            for obj in self._list([str(t.target.cid) for t in chunk], STATUSES, what):
                cid = _object_cid(obj, self.shown)
                if cid.multihash not in by_hash:
                    raise PinningError(f"{what}: the pinning service at {self.shown} reports "
                                       f"CID {str(obj.get('pin', {}).get('cid'))[:80]!r}, which "
                                       "was not asked for")
                found[cid.multihash].append(obj)
            for mh, objects in found.items():
                _update(by_hash[mh], objects)

    def _ask(self, track: _Track) -> None:
        target = track.target
        body: dict[str, Any] = {"cid": str(target.cid), "name": target.name[:255]}
        if self.origins:
            body["origins"] = list(self.origins)
        answer = self._request("POST", "/pins", f"pin {target.name}", json=body)
        if not isinstance(answer, dict) or not isinstance(answer.get("requestid"), str):
            raise PinningError(f"pin {target.name}: the pinning service at {self.shown} "
                               "answered no request ID")
        same_content(target.cid, str(answer.get("pin", {}).get("cid", "")), f"pin {target.name}")
        track.requestid = answer["requestid"]
        track.status = answer.get("status") if answer.get("status") in STATUSES else "queued"

    def pin(self, targets: list[PinTarget], source: BlockSource,
            on_progress: Progress | None = None, sleep: Callable[[float], None] = time.sleep,
            ) -> list[PinResult]:
        tracks = [_Track(t) for t in targets]
        unique: dict[bytes, _Track] = {}
        for track in tracks:  # one request per CID, however many targets name it
            unique.setdefault(track.target.cid.multihash, track)
        live = list(unique.values())
        self._refresh(live, "checking " + (
            f"which of the collection's {len(live)} parts the pinning service already holds"
            if len(live) > 1 else f"whether the pinning service already holds {_counted(live)}"))
        already = {id(t) for t in live if t.status == "pinned"}
        total = len(live)

        def report() -> None:
            if on_progress:
                done = [t for t in live if t.status in ("pinned", "failed")]
                on_progress(len(done), total, done[-1].target.name if done else "")

        report()
        for track in live:
            if track.status not in ACTIVE:  # none yet, or only failed requests: ask (again)
                self._ask(track)
        pending = [t for t in live if t.status in ("queued", "pinning")]
        if pending:
            report()
        deadline = time.monotonic() + self.pin_timeout
        while pending:
            if time.monotonic() > deadline:
                states = ", ".join(f"{t.target.name} {t.status}" for t in pending[:5])
                raise PinningError(f"the pinning service at {self.shown} made no progress on {len(pending)} pin(s) within "
                                   f"{self.pin_timeout:.0f} s ({states}); run `pin` again to keep waiting")
            sleep(self.poll_interval)
            before = [(t.status, t.requestid) for t in pending]
            self._refresh(pending, f"waiting for the pinning service to pin {_counted(pending)}")
            if [(t.status, t.requestid) for t in pending] != before:
                deadline = time.monotonic() + self.pin_timeout
                report()
            pending = [t for t in pending if t.status in ("queued", "pinning")]
        failed = [t for t in live if t.status == "failed"]
        if failed:
            names = ", ".join(f"{t.target.name} ({t.target.cid}{': ' + t.details if t.details else ''})"
                              for t in failed[:5])
            more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
            raise PinningError(f"the pinning service at {self.shown} failed to pin "
                               f"{len(failed)} of {total}: {names}{more}")
        return [PinResult(t.name, str(t.cid),
                          "already-pinned" if id(unique[t.cid.multihash]) in already else "pinned")
                for t in targets]


def _update(track: _Track, objects: list[dict[str, Any]]) -> None:
    """The track's state from the service's objects for its CID: its own request when it has
    one and the service lists it; else the best live request (pinned, pinning, queued)."""
    statuses = [o for o in objects if o.get("status") in STATUSES]
    mine = [o for o in statuses if track.requestid is not None and o.get("requestid") == track.requestid]
    if mine:
        chosen = mine[0]
    elif track.requestid is not None and track.status in ACTIVE and not any(
            o.get("status") in ACTIVE for o in statuses):
        return  # our request is not listed yet (eventually consistent lists): keep its last state
    elif statuses:
        chosen = min(statuses, key=lambda o: RANK[o["status"]])
    else:
        return
    track.status = chosen["status"]
    if isinstance(chosen.get("requestid"), str):
        track.requestid = chosen["requestid"]
    info = chosen.get("info")
    if isinstance(info, dict) and isinstance(info.get("status_details"), str):
        track.details = info["status_details"][:200]


def _counted(tracks: list[_Track]) -> str:
    """The targets in words, for an issuing team: "images", "5 parts of the collection"."""
    if len(tracks) == 1:
        return tracks[0].target.name
    return f"{len(tracks)} parts of the collection"


def _object_cid(obj: dict[str, Any], url: str) -> Cid:
    pin = obj.get("pin")
    raw = pin.get("cid") if isinstance(pin, dict) else None
    try:
        return Cid.parse(str(raw))
    except Exception:
        raise PinningError(f"the pinning service at {url} listed a pin with an invalid CID {str(raw)[:80]!r}") from None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _created(obj: dict[str, Any]) -> datetime | None:
    return _parse_time(obj.get("created"))


def _reason(resp: requests.Response) -> str:
    try:
        err = resp.json().get("error", {})
        return f"({err.get('reason', '')}: {err.get('details', '')})"[:300]
    except (ValueError, AttributeError):
        return ""
