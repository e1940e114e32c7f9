"""The `pinning-service` backend: the IPFS Pinning Service API (Pinata, Filebase, ...).

Spec: https://ipfs.github.io/pinning-services-api-spec/ . ``POST /pins {cid, name}`` asks the
service to pin, ``GET /pins/{requestid}`` reports ``queued|pinning|pinned|failed``; the token is
a Bearer token read from the environment variable the config names, and is never printed. The
service fetches the content from the IPFS network itself (or a CAR upload the provider offers):
`pin` writes build/collection.car for that.

Resume: before asking, ``GET /pins?cid=...`` finds a pin that is already done (skipped) or under
way (waited for, not asked again). Each answer's ``pin.cid`` must be the CID computed here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

from nft_toolkit.errors import PinningError
from nft_toolkit.ipfs.pinning.base import (PinResult, PinTarget, Progress, RetryPolicy, Transient,
                                           same_content)
from nft_toolkit.ipfs.retrieval import BlockSource

ACTIVE = ("queued", "pinning", "pinned")


class PinningServiceBackend:
    name = "pinning-service"

    def __init__(self, url: str, token: str, *, timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None, poll_interval: float = 2.0,
                 pin_timeout: float = 600.0, origins: tuple[str, ...] = ()) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.poll_interval = poll_interval
        self.pin_timeout = pin_timeout
        self.origins = origins
        self.session = requests.Session()

    def __repr__(self) -> str:  # never show the token
        return f"PinningServiceBackend({self.url!r})"

    def _request(self, method: str, path: str, what: str, **kw: Any) -> Any:
        def once() -> Any:
            try:
                resp = self.session.request(method, self.url + path, timeout=self.timeout,
                                            headers={"Authorization": f"Bearer {self._token}"}, **kw)
            except requests.RequestException as exc:
                raise Transient(type(exc).__name__) from None
            if resp.status_code == 429 or resp.status_code >= 500:
                raise Transient(f"HTTP {resp.status_code}")
            if resp.status_code in (401, 403):
                raise PinningError(f"{what}: {self.url} refused the access token (HTTP {resp.status_code})")
            if resp.status_code >= 400:
                reason = _reason(resp)
                raise PinningError(f"{what}: {self.url} answered HTTP {resp.status_code} {reason}")
            try:
                return resp.json()
            except ValueError:
                raise PinningError(f"{what}: {self.url} answered non-JSON") from None

        return self.retry.run(what, once)

    def _existing(self, target: PinTarget) -> dict[str, Any] | None:
        answer = self._request("GET", "/pins", f"look up {target.cid}",
                               params={"cid": str(target.cid), "status": ",".join(ACTIVE)})
        results = [r for r in answer.get("results", []) if r.get("status") in ACTIVE]
        rank = {"pinned": 0, "pinning": 1, "queued": 2}
        return min(results, key=lambda r: rank[r["status"]]) if results else None

    def _wait(self, status: dict[str, Any], target: PinTarget, sleep: Callable[[float], None]) -> None:
        deadline = time.monotonic() + self.pin_timeout
        while True:
            same_content(target.cid, status.get("pin", {}).get("cid", ""), f"pin {target.name}")
            state = status.get("status")
            if state == "pinned":
                return
            if state == "failed":
                raise PinningError(f"{self.url} failed to pin {target.name} ({target.cid})")
            if time.monotonic() > deadline:
                raise PinningError(f"{self.url} did not pin {target.cid} within {self.pin_timeout:.0f} s "
                                   f"(last status {state}); run `pin` again to keep waiting")
            sleep(self.poll_interval)
            status = self._request("GET", f"/pins/{status['requestid']}", f"status of {target.cid}")

    def pin(self, targets: list[PinTarget], source: BlockSource,
            on_progress: Progress | None = None, sleep: Callable[[float], None] = time.sleep,
            ) -> list[PinResult]:
        results = []
        for i, target in enumerate(targets):
            existing = self._existing(target)
            if existing is not None and existing.get("status") == "pinned":
                same_content(target.cid, existing.get("pin", {}).get("cid", ""), f"pin {target.name}")
                results.append(PinResult(target.name, str(target.cid), "already-pinned"))
            else:
                if existing is None:
                    body: dict[str, Any] = {"cid": str(target.cid), "name": target.name}
                    if self.origins:
                        body["origins"] = list(self.origins)
                    existing = self._request("POST", "/pins", f"pin {target.name}", json=body)
                self._wait(existing, target, sleep)
                results.append(PinResult(target.name, str(target.cid), "pinned"))
            if on_progress:
                on_progress(i + 1, len(targets), target.name)
        return results


def _reason(resp: requests.Response) -> str:
    try:
        err = resp.json().get("error", {})
        return f"({err.get('reason', '')}: {err.get('details', '')})"[:300]
    except (ValueError, AttributeError):
        return ""
