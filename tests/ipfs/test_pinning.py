"""The pinning backends over real HTTP, and `pin` end to end on a build folder made here."""

from __future__ import annotations

import hashlib
import io
import json

import numpy as np
import pytest
from PIL import Image
from click.testing import CliRunner

from nft_toolkit.cli import main
from nft_toolkit.copies.details import NONE
from nft_toolkit.copies.index import CopiesIndex, encode
from nft_toolkit.errors import ConfigError, InputError, IntegrityError, PinningError
from nft_toolkit.ipfs import BlockStore, Cid, KuboRpcSource, dagpb, read_file, resolve_path
from nft_toolkit.ipfs.car import read_car
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.pinning.base import RetryPolicy
from nft_toolkit.ipfs.pinning.kubo import KuboBackend
from nft_toolkit.ipfs.pinning.service import PinningServiceBackend
from nft_toolkit.ipfs.publish import prepare
from nft_toolkit.project import Project
from tests.support.builds import init_project, make_build
from tests.support.servers import KuboRpcServer, PinningService

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)
TOKEN = "s3cret-token-value"


@pytest.fixture
def prepared(tmp_path, request):
    project = make_build(tmp_path / "p")
    version = getattr(request, "param", 0)
    return project, prepare(project, version), BlockStore(project.store_dir)


def test_prepare_manifest_and_metadata(prepared):
    project, prep, store = prepared
    m = Manifest.load(project.manifest_path)
    assert m == prep.manifest and m.base_uri == f"ipfs://{m.metadata_cid}/"
    # the images-metadata-sha256 scheme, redone by hand from the files as the docs state it
    def sha(path):
        return hashlib.sha256(path.read_bytes()).digest()
    preimage = b"nft-toolkit provenance images-metadata-sha256\n" + b"".join(
        sha(project.images_dir / f"{t}.png") + sha(project.metadata_dir / f"{t}.json")
        for t in range(1, 6))
    assert m.provenance == "images-metadata-sha256"
    assert m.provenance_hash == "0x" + hashlib.sha256(preimage).hexdigest()
    assert Manifest.from_json(m.to_json()) == m
    assert json.loads(project.manifest_path.read_text())["provenance"] == "images-metadata-sha256"
    for tid in range(1, 6):
        meta = json.loads((project.metadata_dir / f"{tid}.json").read_text())
        rec = m.tokens[tid]
        assert meta["image"] == f"ipfs://{rec.image_cid}"
        assert resolve_path(store, m.images_cid, f"{tid}.png") == Cid.parse(rec.image_cid)
        assert resolve_path(store, m.metadata_cid, f"{tid}.json") == Cid.parse(rec.metadata_cid)
        assert hashlib.sha256(read_file(store, rec.metadata_cid, 10_000)).hexdigest() == rec.metadata_sha256
    with open(project.car_path, "rb") as fh:
        roots, blocks = read_car(fh, project.car_path.stat().st_size)
        assert [str(r) for r in roots] == [m.images_cid, m.metadata_cid, m.copies_index_cid,
                                           m.contract_metadata_cid]
        assert sum(1 for _ in blocks) == prep.car_blocks
    again = prepare(project, 0)  # idempotent: same CIDs, metadata untouched
    assert again.manifest == m


def test_images_not_generated_here_get_an_index_without_details(prepared):
    project, prep, store = prepared
    index = CopiesIndex.parse(read_file(store, prep.manifest.copies_index_cid, 1 << 20))
    assert index.size == 5 and index.details is NONE  # version 1, as before the details


def test_a_damaged_details_file_is_one_line_and_writes_nothing(tmp_path):
    project = make_build(tmp_path / "p")
    project.copies_details_path.write_bytes(b"NFTCOPY\x01" + b"\x00\x00\x00\x05{oops")
    with pytest.raises(InputError) as caught:
        prepare(project, 0)
    message = str(caught.value)
    assert "\n" not in message and str(project.copies_details_path) in message
    assert "run `nft-toolkit generate` again" in message
    assert not project.manifest_path.exists() and not project.car_path.exists()
    # an index of tokens is no details file either
    project.copies_details_path.write_bytes(encode([np.zeros((16, 16), np.uint8)]))
    with pytest.raises(InputError, match="holds no collection's details"):
        prepare(project, 0)


@pytest.mark.parametrize("prepared", [0, 1], indirect=True)
def test_kubo_backend_pins_and_resumes(kubo, prepared, tmp_path):
    project, prep, store = prepared
    with KuboRpcServer(tmp_path / "kubo", oracle=kubo) as server:
        backend = KuboBackend(server.multiaddr, cid_version=prep.manifest.cid_version, retry=FAST)
        server.add_budget = 4  # the node goes away after 4 files: the run fails part-way
        with pytest.raises(PinningError, match=f"HTTP 503 \\(tried {FAST.attempts} times\\)"):
            backend.pin(prep.targets, store)
        assert server.calls["add"] == 4 + FAST.attempts
        assert server.pins == {}  # files are sent unpinned: nothing to clean up after a failure
        server.add_budget = None
        server.calls.clear()
        results = backend.pin(prep.targets, store)
        assert [r.status for r in results] == ["pinned"] * 4
        # images, metadata, copies index, collection.json: only what the node does not hold is sent
        assert server.calls["add"] == 5 + 5 + 1 + 1 - 4
        # exactly one recursive pin per root was made, and none was removed
        assert server.pins == {t.cid.multihash: "recursive" for t in prep.targets}
        assert server.calls["pin/rm"] == 0
        server.calls.clear()
        assert [r.status for r in backend.pin(prep.targets, store)] == ["already-pinned"] * 4
        assert server.calls["add"] == 0 and server.calls["dag/import"] == 0
        # verified retrieval back from the node's RPC
        source = KuboRpcSource(server.url)
        meta_cid = resolve_path(source, prep.manifest.metadata_cid, "3.json")
        assert read_file(source, meta_cid, 10_000) == (project.metadata_dir / "3.json").read_bytes()


def test_kubo_backend_keeps_the_users_own_pins(kubo, prepared, tmp_path):
    """A file the user pinned on the node before (same bytes, same CID) stays pinned after `pin`."""
    project, prep, store = prepared
    with KuboRpcServer(tmp_path / "kubo", oracle=kubo) as server:
        user = KuboBackend(server.multiaddr, retry=FAST).client
        image = (project.images_dir / "2.png").read_bytes()
        mine = Cid.parse(user.add(io.BytesIO(image))["Hash"])  # `ipfs add` pins by default
        meta = Cid.parse(user.add(io.BytesIO((project.metadata_dir / "4.json").read_bytes()),
                                  pin=False)["Hash"])
        user.pin.add(str(meta), recursive=False)  # and a direct pin on a metadata file
        before = dict(server.pins)
        assert before == {mine.multihash: "recursive", meta.multihash: "direct"}
        assert mine == Cid.parse(prep.manifest.tokens[2].image_cid)
        assert meta == Cid.parse(prep.manifest.tokens[4].metadata_cid)
        server.calls.clear()
        results = KuboBackend(server.multiaddr, retry=FAST).pin(prep.targets, store)
        assert [r.status for r in results] == ["pinned"] * 4
        assert server.pins == {**before, **{t.cid.multihash: "recursive" for t in prep.targets}}
        assert server.calls["pin/rm"] == 0
        assert server.calls["add"] == 5 + 5 + 1 + 1 - 2  # the user's two files were on the node already


def test_kubo_backend_resends_a_file_cut_short(prepared, tmp_path):
    """A file whose root block is on the node but not its leaves is sent again, not trusted."""
    _project, prep, store = prepared
    big = next(Cid.parse(t.image_cid) for t in prep.manifest.tokens.values()
               if dagpb.decode_node(store.get_block(t.image_cid)).links)  # a multi-chunk image
    with KuboRpcServer(tmp_path / "kubo") as server:
        server.store.put(big, store.get_block(big))  # the root alone, as a cut add may leave it
        results = KuboBackend(server.multiaddr, retry=FAST).pin(prep.targets[:1], store)
        assert results[0].status == "pinned"
        assert server.calls["pin/add"] == 2 and server.calls["add"] == 5 - 1 + 5
        assert server.missing(prep.targets[0].cid) == ""


def test_kubo_backend_detects_a_lying_node(kubo, prepared, tmp_path):
    _project, prep, store = prepared
    with KuboRpcServer(tmp_path / "kubo", oracle=kubo) as server:
        server.lie = True
        with pytest.raises(PinningError, match="reports CID"):
            KuboBackend(server.multiaddr, retry=FAST).pin(prep.targets, store)
        contract = prep.targets[2].cid
        server.store.put(contract, store.get_block(contract))
        with pytest.raises(IntegrityError):
            KuboRpcSource(server.url).get_block(contract)


def test_kubo_backend_retries_transient_errors(prepared, tmp_path):
    _project, prep, store = prepared
    with KuboRpcServer(tmp_path / "kubo") as server:
        server.fail_next = 2
        results = KuboBackend(server.multiaddr, retry=FAST).pin(prep.targets[2:], store)
        assert results[0].status == "pinned"
    with pytest.raises(PinningError, match="connection refused"):  # nothing listens any more
        KuboBackend(server.multiaddr, retry=FAST).pin(prep.targets, store)


def _service(url: str, **kw) -> PinningServiceBackend:
    return PinningServiceBackend(url, TOKEN, retry=FAST, poll_interval=0.0, **kw)


def test_pinning_service_pins_polls_and_resumes(prepared):
    _project, prep, store = prepared
    with PinningService(TOKEN) as svc:
        svc.fail_next = 2  # two 503s: retried
        assert [r.status for r in _service(svc.url).pin(prep.targets, store)] == ["pinned"] * 4
        assert svc.calls["POST pins"] == 4
        svc.calls.clear()
        assert [r.status for r in _service(svc.url).pin(prep.targets, store)] == ["already-pinned"] * 4
        assert svc.calls["POST pins"] == 0


def test_pinning_service_waits_for_a_pin_under_way(prepared):
    _project, prep, store = prepared
    with PinningService(TOKEN) as svc:
        svc.polls_to_pin = 100
        with pytest.raises(PinningError, match="within"):
            _service(svc.url, pin_timeout=0.05).pin(prep.targets[:1], store, sleep=lambda s: None)
        svc.polls_to_pin = max(svc.polls.values()) + 3  # still under way when looked up again
        svc.calls.clear()
        assert _service(svc.url).pin(prep.targets[:1], store)[0].status == "pinned"
        assert svc.calls["POST pins"] == 0  # the queued request was resumed, not sent again


@pytest.mark.parametrize("fault,match,error", [
    ("token", "refused the access token", ConfigError),  # a wrong key: configuration, exit 2
    ("lie", "reports CID", PinningError), ("failed", "failed to pin", PinningError)])
def test_pinning_service_faults(prepared, fault, match, error):
    _project, prep, store = prepared
    with PinningService(TOKEN) as svc:
        svc.lie = fault == "lie"
        svc.final = "failed" if fault == "failed" else "pinned"
        backend = PinningServiceBackend(svc.url, "wrong" if fault == "token" else TOKEN, retry=FAST,
                                        poll_interval=0.0)
        with pytest.raises(error, match=match) as info:
            backend.pin(prep.targets, store)
        assert TOKEN not in str(info.value) and TOKEN not in repr(backend)


def test_pin_command_local_and_kubo(kubo, tmp_path, monkeypatch):
    project = init_project(tmp_path / "c")
    runner = CliRunner()
    result = runner.invoke(main, ["pin", "--project", str(project.root), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    m = Manifest.load(project.manifest_path)
    assert doc["base_uri"] == m.base_uri and doc["backend"] == "local"
    assert json.loads(project.state_dir.joinpath("pins.json").read_text()).keys() == {
        m.images_cid, m.metadata_cid, m.copies_index_cid, m.contract_metadata_cid}
    with KuboRpcServer(tmp_path / "kubo", oracle=kubo) as server:
        text = project.config_path.read_text().replace("/ip4/127.0.0.1/tcp/5001/http", server.multiaddr)
        if server.multiaddr not in text:
            text += f"ipfs:\n  kubo_api: {server.multiaddr}\n"
        project.config_path.write_text(text)
        result = runner.invoke(main, ["pin", "--backend", "kubo", "--project", str(project.root)])
        assert result.exit_code == 0, result.output
        assert f"kubo          metadata: pinned {m.metadata_cid}" in result.output
        assert Cid.parse(m.images_cid).multihash in server.pins


def test_pin_command_missing_token_is_a_config_error(tmp_path, monkeypatch):
    project = init_project(tmp_path / "c")
    text = project.config_path.read_text()
    if "pinning_service_url" not in text:
        text = text.replace("ipfs:", "ipfs:\n  pinning_service_url: http://127.0.0.1:9/", 1)
    project.config_path.write_text(text)
    monkeypatch.delenv("NFT_TOOLKIT_PINNING_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["pin", "--backend", "pinning-service", "--project", str(project.root)])
    assert result.exit_code == 2
    assert "NFT_TOOLKIT_PINNING_TOKEN" in result.output


def test_details_of_images_replaced_since_generate_are_left_out_with_a_warning(tmp_path):
    from nft_toolkit.art.generate import generate
    from tests.support.art import make_project

    project = Project(make_project(tmp_path / "g", size=4, image_size=64, seed=3))
    generate(project.load_config(), project.build_dir, workers=1)
    pinned = prepare(project, 0)
    assert pinned.warnings == []
    index = CopiesIndex.parse(read_file(BlockStore(project.store_dir),
                                        pinned.manifest.copies_index_cid, 1 << 20))
    assert index.details.variants and len(index.details.marks) == 1
    # the images replaced by others of another shape: the details cannot be theirs
    for tid in range(1, 5):
        out = io.BytesIO()
        Image.new("RGB", (90, 60), (tid, 9, 9)).save(out, format="PNG")
        (project.images_dir / f"{tid}.png").write_bytes(out.getvalue())
    again = prepare(project, 0)
    assert any("pinned without the collection's details" in w for w in again.warnings)
    index = CopiesIndex.parse(read_file(BlockStore(project.store_dir),
                                        again.manifest.copies_index_cid, 1 << 20))
    assert index.details is NONE
