"""Opt-in tests against a real Kubo node and a real pinning service (deselected unless configured).

    NFT_TOOLKIT_LIVE_KUBO_API=/ip4/127.0.0.1/tcp/5001/http                   # a Kubo RPC API
    NFT_TOOLKIT_LIVE_PINNING_URL=https://...  NFT_TOOLKIT_LIVE_PINNING_TOKEN=...  # + the Kubo above

Each test pins a tiny collection made for this run (a random nonce in every file, so the node
and the service hold none of it before) and removes afterwards exactly the pins it created.
On Kubo: the kubo backend's CIDs against Kubo's own ``add --only-hash`` of the same folders
(CIDv0 and CIDv1), ``pin ls``, a user's pin on one file surviving, resume, the CAR through
``dag import`` (every block then on the node, offline), and retrieval back through
KuboRpcSource, every block verified. On the pinning service: the pins reach ``pinned`` with our
CIDs (the service fetches the blocks from the live Kubo, passed as origin), ``GET /pins`` lists
them, and a second run sends nothing.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from nft_toolkit.ipfs import BlockStore, Cid, KuboRpcSource, read_file, resolve_path
from nft_toolkit.ipfs.car import walk_dag
from nft_toolkit.ipfs.pinning.kubo import KuboBackend
from nft_toolkit.ipfs.pinning.service import PinningServiceBackend
from nft_toolkit.ipfs.publish import Prepared, prepare
from nft_toolkit.project import Project
from tests.support.builds import make_build
from tests.support.live import LIVE_KUBO_API, LIVE_PINNING_TOKEN, LIVE_PINNING_URL

TIMEOUT = 120.0


def _rpc(base: str, op: str, params: dict[str, str] | None = None, upload: bytes | None = None) -> list:
    """One Kubo RPC call; its newline-delimited JSON answer as a list."""
    files = {"file": ("data", upload, "application/octet-stream")} if upload is not None else None
    resp = requests.post(f"{base}/api/v0/{op}", params=params or {}, files=files, timeout=TIMEOUT)
    assert resp.status_code == 200, f"{op}: HTTP {resp.status_code} {resp.text[:300]}"
    return [json.loads(line) for line in resp.text.splitlines() if line.strip()]


def _pins(base: str, kind: str) -> set[bytes]:
    """The multihashes the node pins as `kind` (recursive or direct)."""
    (answer,) = _rpc(base, "pin/ls", {"type": kind})
    return {Cid.parse(key).multihash for key in answer.get("Keys", {})}


@pytest.fixture
def live_kubo() -> Iterator[tuple[str, str, list[Cid]]]:
    """(RPC address, its URL, a list of CIDs this test pinned: unpinned afterwards)."""
    api = os.environ[LIVE_KUBO_API]
    base = KuboRpcSource.from_api(api).base_url
    created: list[Cid] = []
    yield api, base, created
    for cid in created:
        requests.post(f"{base}/api/v0/pin/rm", params={"arg": str(cid)}, timeout=TIMEOUT)


def _fresh(tmp_path: Path, version: int) -> tuple[Project, Prepared, BlockStore]:
    nonce = f" {secrets.token_hex(8)}"
    project = make_build(tmp_path / "collection", count=3, seed=secrets.randbits(64), nonce=nonce)
    return project, prepare(project, version), BlockStore(project.store_dir)


def _kubo_only_hash(api: str, folder: Path, version: int) -> Cid:
    """Kubo's own CID for `folder` (``ipfs add -r --only-hash``), with ipfshttpclient."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ipfshttpclient
    client = ipfshttpclient.Client(api, timeout=TIMEOUT)
    answer = client.add(str(folder), recursive=True, only_hash=True, pin=False,
                        cid_version=version, raw_leaves=version == 1)
    return Cid.parse(next(e["Hash"] for e in answer if e["Name"] == folder.name))


def _read_back(api: str, project: Project, prep: Prepared) -> None:
    source = KuboRpcSource.from_api(api)
    m = prep.manifest
    for tid, rec in m.tokens.items():
        assert resolve_path(source, m.metadata_cid, f"{tid}.json") == Cid.parse(rec.metadata_cid)
        assert read_file(source, rec.metadata_cid, 100_000) == (project.metadata_dir / f"{tid}.json").read_bytes()
        assert resolve_path(source, m.images_cid, f"{tid}.png") == Cid.parse(rec.image_cid)
        assert read_file(source, rec.image_cid, 1_000_000) == (project.images_dir / f"{tid}.png").read_bytes()


@pytest.mark.live("kubo")
@pytest.mark.parametrize("version", [0, 1])
def test_live_kubo_pins_a_collection(live_kubo, tmp_path, version):
    api, base, created = live_kubo
    project, prep, store = _fresh(tmp_path, version)
    m = prep.manifest
    assert _kubo_only_hash(api, project.images_dir, version) == Cid.parse(m.images_cid)
    assert _kubo_only_hash(api, project.metadata_dir, version) == Cid.parse(m.metadata_cid)
    # the user pinned one of the images before (same bytes, so the same CID)
    (user,) = _rpc(base, "add", {"cid-version": str(version), "raw-leaves": str(version == 1).lower(),
                                 "pin": "true"}, (project.images_dir / "2.png").read_bytes())
    user_cid = Cid.parse(user["Hash"])
    created.append(user_cid)
    assert user_cid == Cid.parse(m.tokens[2].image_cid)

    backend = KuboBackend(api, cid_version=version)
    results = backend.pin(prep.targets, store)
    created.extend(t.cid for t in prep.targets)
    assert [(r.name, r.status, r.cid) for r in results] == [(t.name, "pinned", str(t.cid)) for t in prep.targets]
    recursive, direct = _pins(base, "recursive"), _pins(base, "direct")
    assert {t.cid.multihash for t in prep.targets} | {user_cid.multihash} <= recursive
    files = {Cid.parse(c).multihash for rec in m.tokens.values() for c in (rec.image_cid, rec.metadata_cid)}
    assert (recursive | direct) & files == {user_cid.multihash}  # no per-file pin made, the user's kept
    assert [r.status for r in backend.pin(prep.targets, store)] == ["already-pinned"] * 3
    _read_back(api, project, prep)


@pytest.mark.live("kubo")
def test_live_kubo_imports_the_car(live_kubo, tmp_path):
    api, base, created = live_kubo
    project, prep, store = _fresh(tmp_path, 1)
    answer = _rpc(base, "dag/import", {"pin-roots": "true", "stats": "true"}, project.car_path.read_bytes())
    roots = [a["Root"] for a in answer if "Root" in a]
    created.extend(Cid.parse(r["Cid"]["/"]) for r in roots)
    assert [r["PinErrorMsg"] for r in roots] == [""] * 3
    assert {Cid.parse(r["Cid"]["/"]).to_v1() for r in roots} == {t.cid.to_v1() for t in prep.targets}
    (stats,) = [a["Stats"] for a in answer if "Stats" in a]
    assert stats["BlockCount"] == prep.car_blocks
    for cid, _block in walk_dag(store, [t.cid for t in prep.targets]):  # all there, none fetched
        _rpc(base, "block/stat", {"arg": str(cid), "offline": "true"})
    _read_back(api, project, prep)


def _service_pins(url: str, token: str, cids: list[Cid]) -> list[dict]:
    resp = requests.get(f"{url.rstrip('/')}/pins", timeout=TIMEOUT,
                        params={"cid": ",".join(map(str, cids)),
                                "status": "queued,pinning,pinned,failed"},
                        headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, f"GET /pins: HTTP {resp.status_code}"
    return resp.json().get("results", [])


@pytest.mark.live("pinning-service")
def test_live_pinning_service(live_kubo, tmp_path):
    api, base, created = live_kubo
    url, token = os.environ[LIVE_PINNING_URL], os.environ[LIVE_PINNING_TOKEN]
    project, prep, store = _fresh(tmp_path, 1)
    cids = [t.cid for t in prep.targets]
    KuboBackend(api, cid_version=1).pin(prep.targets, store)  # the service's only provider
    created.extend(cids)
    (ident,) = _rpc(base, "id")
    origins = tuple(a for a in ident.get("Addresses", []) if not _loopback(a))
    timeout = float(os.environ.get("NFT_TOOLKIT_LIVE_PINNING_TIMEOUT", "900"))
    backend = PinningServiceBackend(url, token, origins=origins, poll_interval=5.0, pin_timeout=timeout)
    try:
        results = backend.pin(prep.targets, store)
        assert [r.status for r in results] == ["pinned"] * len(cids)
        listed = {Cid.parse(p["pin"]["cid"]).to_v1(): p["status"] for p in _service_pins(url, token, cids)}
        assert listed == {c.to_v1(): "pinned" for c in cids}
        assert [r.status for r in backend.pin(prep.targets, store)] == ["already-pinned"] * len(cids)
    finally:
        for pin in _service_pins(url, token, cids):  # every request for this run's unique CIDs
            requests.delete(f"{url.rstrip('/')}/pins/{pin['requestid']}", timeout=TIMEOUT,
                            headers={"Authorization": f"Bearer {token}"})


def _loopback(multiaddr: str) -> bool:
    parts = multiaddr.split("/")
    if len(parts) > 2 and parts[1] in ("ip4", "ip6"):
        return ipaddress.ip_address(parts[2]).is_loopback
    return False
