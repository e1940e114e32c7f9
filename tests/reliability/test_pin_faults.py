"""An interrupted `pin` (SIGKILL) run again ends complete and consistent, nothing pinned twice.

Remote kill points are deterministic: the Pinning Service API test server (tests/support/servers.py)
holds its n-th request, before handling it or after (state changed, answer withheld), while the
test SIGKILLs the CLI. Local kill points (computing CIDs, writing metadata, the CAR and the
manifest) are seeded delays after the start. After the final run: the manifest names every
token; each metadata file names its image's CID and hashes as the manifest says; re-importing
the build gives the manifest's CIDs; the store holds every block of the three roots; the CAR
holds exactly those blocks, each hashing to its CID; the provenance hash is reproduced; and the
service received one pin request per root.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import threading
import time
from pathlib import Path

import pytest

from nft_toolkit.ipfs.car import read_car, walk_dag
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.provenance import Item, provenance_hash
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from tests.support.servers import PinningService, _ServiceHandler
from tests.support.cli import Cli, cli_env
from tests.support.harness import kill
from tests.support.collection import tiny_png

TOKEN = "pin-fault-token"


class _GatedHandler(_ServiceHandler):
    """Holds the service's n-th request before handling it, or after (its answer withheld)."""

    def do_GET(self) -> None:
        self._gate(super().do_GET)

    def do_POST(self) -> None:
        self._gate(super().do_POST)

    def _gate(self, handle) -> None:  # type: ignore[no-untyped-def]
        owner = self.owner
        with owner.lock:
            n = owner.requests
            owner.requests += 1
        self._hold = owner.pause_at == (n, "after")
        if owner.pause_at == (n, "before"):
            owner.wait_here(self)
            return
        handle()

    def _reply(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        if getattr(self, "_hold", False):
            self.owner.wait_here(self)
            return
        super()._reply(status, body, ctype)


class GatedService(PinningService):
    handler = _GatedHandler

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.requests = 0
        self.pause_at: tuple[int, str] | None = None
        self.paused = threading.Event()
        self.release = threading.Event()

    def arm(self, point: tuple[int, str] | None) -> None:
        self.requests, self.pause_at = 0, point
        self.paused.clear()
        self.release.clear()

    def wait_here(self, handler: _GatedHandler) -> None:
        self.paused.set()
        self.release.wait(60)
        handler.close_connection = True


def make_project(root: Path, size: int, service_url: str, seed: int) -> Project:
    """A build/ folder as `generate` leaves it (images, metadata with "image": ""), and a
    collection.yaml pinning to `service_url`."""
    rng = random.Random(seed)
    project = Project(root)
    project.images_dir.mkdir(parents=True)
    project.metadata_dir.mkdir(parents=True)
    for tid in range(1, size + 1):
        png = tiny_png(tid) + (rng.randbytes(300_000) if tid % 7 == 0 else b"")  # some multi-block
        (project.images_dir / f"{tid}.png").write_bytes(png)
        (project.metadata_dir / f"{tid}.json").write_text(
            json.dumps({"name": f"Horse #{tid}", "image": ""}, indent=2) + "\n")
    project.contract_metadata_path.write_text('{"name": "Year of the Horse"}\n')
    project.config_path.write_text(
        f"name: Horse\nsymbol: HRS\nyear: 2026\nsize: {size}\n"
        f"ipfs:\n  backend: pinning-service\n  pinning_service_url: {service_url}\n")
    return project


def check_pinned(project: Project, service: PinningService, size: int) -> None:
    m = Manifest.load(project.manifest_path)
    assert sorted(m.tokens) == list(range(1, size + 1))
    digests = []
    for tid, rec in sorted(m.tokens.items()):
        meta_bytes = (project.metadata_dir / f"{tid}.json").read_bytes()
        assert json.loads(meta_bytes)["image"] == f"ipfs://{rec.image_cid}"
        assert hashlib.sha256(meta_bytes).hexdigest() == rec.metadata_sha256
        image = (project.images_dir / f"{tid}.png").read_bytes()
        assert hashlib.sha256(image).hexdigest() == rec.image_sha256
        digests.append(Item(hashlib.sha256(image).digest(), hashlib.sha256(meta_bytes).digest()))
    assert m.provenance_hash == provenance_hash(digests, m.provenance)
    fresh = Importer(ImportOptions.of(m.profile, m.cid_version))  # the build, imported anew
    assert str(fresh.add_path(project.images_dir).cid) == m.images_cid
    assert str(fresh.add_path(project.metadata_dir).cid) == m.metadata_cid
    roots = [Cid.parse(c) for c in (m.images_cid, m.metadata_cid, m.copies_index_cid,
                                    m.contract_metadata_cid) if c]
    store = BlockStore(project.store_dir)
    in_store = {cid.multihash: block for cid, block in walk_dag(store, roots)}  # verified reads
    data = project.car_path.read_bytes()
    car_roots, blocks = read_car(io.BytesIO(data), len(data))
    in_car = {}
    for cid, block in blocks:
        cid.verify(block)
        in_car[cid.multihash] = block
    assert [r.multihash for r in car_roots] == [r.multihash for r in roots]
    assert in_car == in_store
    asked: dict[str, int] = {}
    for pin in service.pins.values():
        asked[pin["cid"]] = asked.get(pin["cid"], 0) + 1
    assert asked == {str(r): 1 for r in roots}, f"pin requests per root: {asked}"


def run_killed_at(cli: Cli, service: GatedService, point: tuple[int, str]) -> bool:
    service.arm(point)
    proc = cli.popen("pin", "--json")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if service.paused.wait(0.02):
            kill(proc)
            service.release.set()
            return True
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return False


def pin_scenario(tmp: Path, seed: int, kills: int, polls_to_pin: int) -> list[tuple]:
    rng = random.Random(seed)
    size = 24
    with GatedService(TOKEN) as service:
        service.polls_to_pin = polls_to_pin
        project = make_project(tmp / f"p{seed}", size, service.url, seed)
        cli = Cli(project.root, cli_env(NFT_TOOLKIT_PINNING_TOKEN=TOKEN))
        struck = []
        per_root = 2 if polls_to_pin == 0 else 3  # look-up, POST[, status poll]
        for _ in range(kills):
            if rng.random() < 0.3:  # a local point: a seeded delay, before the service is asked
                service.arm(None)
                proc = cli.popen("pin", "--json")
                delay = rng.uniform(0.3, 2.0)
                time.sleep(delay)
                kill(proc)
                struck.append((seed, "local", round(delay, 2)))
                continue
            point = (rng.randrange(3 * per_root), rng.choice(["before", "after"]))
            if run_killed_at(cli, service, point):
                struck.append((seed, "service", *point))
        service.arm(None)
        out = cli("pin", "--json")
        assert out.returncode == 0, out.stderr
        check_pinned(project, service, size)
        again = cli("pin", "--json")  # a run after success pins nothing again
        assert again.returncode == 0, again.stderr
        assert {p["status"] for p in json.loads(again.stdout)["pins"]} == {"already-pinned"}
        check_pinned(project, service, size)
    return struck


def test_pin_killed_then_completed(tmp_path: Path, record_property) -> None:
    struck = pin_scenario(tmp_path, 11, kills=3, polls_to_pin=0)
    record_property("kill_points", struck)
    assert len(struck) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 6))
def test_pin_killed_at_seeded_points(tmp_path: Path, seed: int, record_property) -> None:
    struck = pin_scenario(tmp_path, seed, kills=4, polls_to_pin=1)
    record_property("kill_points", struck)
    assert struck
