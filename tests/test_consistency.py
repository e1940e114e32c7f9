"""The consistency rule of the issuer's path, without a chain: pin and the rules deploy checks."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nft_toolkit import atomic
from nft_toolkit.cli import main
from nft_toolkit.consistency import (check_deployable, check_repin, check_sequence,
                                     folder_token_ids, same_base_uri)
from nft_toolkit.deployment import DeploymentRecord
from nft_toolkit.errors import ConfigError, InputError
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.provenance import IMAGES, IMAGES_METADATA
from nft_toolkit.ipfs.car import read_car
from nft_toolkit.ipfs.publish import prepare, state_royalty
from nft_toolkit.project import Project
from tests.support.art import tree_digest
from tests.support.builds import make_build
from tests.support.collection import as_images_only

ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def pin(project: Project, *args: str):
    return CliRunner().invoke(main, ["pin", "--project", str(project.root), *args])


def record(project: Project, manifest: Manifest, *, frozen: bool | None = True,
           commitments: bool = True) -> None:
    """A deployment record as deploy writes it (with or without the newer commitment keys)."""
    extra = dict(base_uri=manifest.base_uri, provenance_hash=manifest.provenance_hash,
                 tokens=len(manifest.tokens), frozen=frozen, royalty_receiver=ISSUER,
                 royalty_bps=0) if commitments else {}
    DeploymentRecord("development", 1337, "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x" + "1" * 64,
                     1, ISSUER, "0x" + "2" * 64, **extra).save(project.deployment_path("development"))


@pytest.mark.parametrize("ids, missing", [([1, 3, 4], "2 missing"), ([2, 3], "1 missing"),
                                          (list(range(1, 10)) + [20], "10, 11, 12, 13, 14 and 5 more")])
def test_a_gap_in_token_ids_is_refused_by_name(ids, missing):
    with pytest.raises(InputError, match=missing):
        check_sequence(ids, "build/images")
    assert check_sequence([1, 2, 3], "x") == 3


def test_pin_refuses_a_build_with_a_gap_and_writes_nothing(tmp_path):
    project = make_build(tmp_path / "p", count=4)
    (project.images_dir / "2.png").unlink()
    (project.metadata_dir / "2.json").unlink()
    before = tree_digest(project.root)
    out = pin(project)
    assert out.exit_code == 2 and "2 missing" in out.output and "Traceback" not in out.output
    assert tree_digest(project.root) == before and not project.manifest_path.exists()


@pytest.mark.parametrize("name", ["².png", "٣.png", "01.png", "0.png", "1.0.png", " 1.png", "1.PNG"])
def test_a_file_name_that_is_not_a_token_id_is_one_line(tmp_path, name):
    project = make_build(tmp_path / "p", count=2)
    shutil.copy(project.images_dir / "1.png", project.images_dir / name)
    with pytest.raises(InputError, match="expected only <token id>.png files"):
        folder_token_ids(project.images_dir, ".png")
    out = pin(project)
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert out.exit_code == 2 and len(lines) == 1 and "Traceback" not in out.output


def test_pin_refuses_more_items_than_the_cap(tmp_path):
    project = make_build(tmp_path / "p", count=3)  # e.g. generated before `size` was lowered
    project.config_path.write_text(project.config_path.read_text().replace("size: 3", "size: 2"))
    with pytest.raises(ConfigError, match="max_supply is 2 but 3 items"):
        prepare(project, 0)
    assert not project.manifest_path.exists()


def test_a_cap_above_the_build_is_kept_for_later(tmp_path):
    project = make_build(tmp_path / "p", count=3)
    project.config_path.write_text(project.config_path.read_text() + "contract:\n  max_supply: 10\n")
    prep = prepare(project, 0)
    assert len(prep.manifest.tokens) == 3 and check_deployable(project, 10) == prep.manifest


def test_collection_json_states_its_pinned_image_and_royalty(tmp_path):
    project = make_build(tmp_path / "p", count=2)
    receiver = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    project.config_path.write_text(project.config_path.read_text()
                                   + f"royalty:\n  receiver: \"{receiver}\"\n  bps: 250\n")
    prep = prepare(project, 0)
    doc = json.loads(project.contract_metadata_path.read_text())
    assert doc["fee_recipient"] == receiver and doc["seller_fee_basis_points"] == 250
    # no preview sheet in this build: token 1's image, which the images folder pins
    assert doc["image"] == f"ipfs://{prep.manifest.tokens[1].image_cid}"
    assert state_royalty(project, receiver, 250) is None  # already stated: nothing to pin


def test_deploy_states_the_issuer_as_receiver_when_none_is_configured(tmp_path):
    project = make_build(tmp_path / "p", count=2)
    (project.build_dir / "preview.png").write_bytes((project.images_dir / "2.png").read_bytes())
    prep = prepare(project, 0)
    doc = json.loads(project.contract_metadata_path.read_text())
    assert "fee_recipient" not in doc  # not known before deploy: no wrong receiver stated
    assert {t.name for t in prep.targets} >= {"collection-image", "contract-metadata"}
    target = state_royalty(project, ISSUER, 0)
    assert target is not None
    doc = json.loads(project.contract_metadata_path.read_text())
    assert doc["fee_recipient"] == ISSUER and doc["image"].startswith("ipfs://")
    manifest = Manifest.load(project.manifest_path)
    assert manifest.contract_metadata_cid == str(target.cid)
    # the CAR written again keeps every root pin wrote, in pin's order (the copies index was
    # once dropped here), with the new collection.json last
    data = project.car_path.read_bytes()
    car_roots = [str(r) for r in read_car(io.BytesIO(data), len(data))[0]]
    assert car_roots == [str(t.cid) for t in prep.targets if t.name != "contract-metadata"] + [
        str(target.cid)]
    # pin after deploy keeps stating the deployed issuer, so the contractURI stays right
    record(project, manifest)
    assert prepare(project, 0).manifest.contract_metadata_cid == str(target.cid)


def test_deploy_refuses_a_build_changed_after_pin_or_a_store_that_lacks_it(tmp_path):
    project = make_build(tmp_path / "p", count=3)
    prepare(project, 0)
    check_deployable(project, 3)
    meta = project.metadata_dir / "2.json"
    saved = meta.read_bytes()
    meta.write_text(meta.read_text().replace("Horse #2", "Horse #7"))
    with pytest.raises(InputError, match=r"changed since `pin` \(build/metadata/2.json\)"):
        check_deployable(project, 3)
    meta.write_bytes(saved)
    shutil.rmtree(project.store_dir)
    with pytest.raises(InputError, match="not complete in the local store"):
        check_deployable(project, 3)


def test_repin_of_a_frozen_deployment_is_refused_before_anything_changes(tmp_path):
    project = make_build(tmp_path / "p", count=3)
    manifest = prepare(project, 0).manifest
    record(project, manifest, frozen=True)
    meta = project.metadata_dir / "3.json"
    atomic.write_json(meta, {**json.loads(meta.read_text()), "name": "Renamed"})
    before = tree_digest(project.root / "build")
    out = pin(project)
    assert out.exit_code == 2 and "has frozen its base URI" in out.output
    assert tree_digest(project.root / "build") == before  # manifest, CAR, metadata untouched
    forced = pin(project, "--force")
    assert forced.exit_code == 0 and "keep the content it committed to" in forced.output


@pytest.mark.parametrize("frozen", [True, False])
def test_repin_with_other_images_is_refused_even_unfrozen(tmp_path, frozen):
    project = make_build(tmp_path / "p", count=3)
    record(project, prepare(project, 0).manifest, frozen=frozen)
    (project.images_dir / "3.png").write_bytes(b"\x89PNG\r\n\x1a\nanother picture")
    out = pin(project)
    assert out.exit_code == 2 and "committed to other images" in out.output


def test_repin_of_unfrozen_metadata_is_refused_when_the_chain_commits_to_it(tmp_path):
    """Under the images-metadata scheme the provenance hash on chain covers the metadata: a
    change can never verify again, so pin refuses it even unfrozen (unless --force)."""
    project = make_build(tmp_path / "p", count=3)
    manifest = prepare(project, 0).manifest
    assert manifest.provenance == IMAGES_METADATA
    record(project, manifest, frozen=False)
    meta = project.metadata_dir / "1.json"
    atomic.write_json(meta, {**json.loads(meta.read_text()), "description": "fixed a typo"})
    out = pin(project)
    assert out.exit_code == 2 and "committed to other images or metadata" in out.output


def test_repin_of_unfrozen_metadata_of_an_images_only_deployment_warns(tmp_path):
    """A deployment committed the older way (images only): its metadata may still change while
    unfrozen, with a warning that the base URI must follow, and the new manifest keeps the
    deployment's scheme (the hash on chain cannot change)."""
    project = make_build(tmp_path / "p", count=3)
    prepare(project, 0)
    old = as_images_only(project)
    record(project, old, frozen=False)
    meta = project.metadata_dir / "1.json"
    atomic.write_json(meta, {**json.loads(meta.read_text()), "description": "fixed a typo"})
    out = pin(project)
    assert out.exit_code == 0 and "set its base URI to" in out.output
    again = Manifest.load(project.manifest_path)
    assert (again.provenance, again.provenance_hash) == (IMAGES, old.provenance_hash)
    assert again.metadata_cid != old.metadata_cid
    check_deployable(project, 3)  # the store reproduces the manifest's hash, under its scheme


def test_an_old_record_falls_back_to_the_manifest_and_collection_yaml(tmp_path):
    project = make_build(tmp_path / "p", count=2)
    record(project, prepare(project, 0).manifest, commitments=False)  # freeze: true by default
    meta = project.metadata_dir / "1.json"
    atomic.write_json(meta, {**json.loads(meta.read_text()), "name": "Other"})
    with pytest.raises(InputError, match="has frozen its base URI"):
        prepare(project, 0)


def test_the_same_build_pinned_again_passes_the_rule(tmp_path):
    project = make_build(tmp_path / "p", count=3)
    prepare(project, 0)
    state_royalty(project, ISSUER, 0)  # as deploy does
    manifest = Manifest.load(project.manifest_path)
    record(project, manifest, frozen=True)
    again = prepare(project, 0)
    assert again.manifest == manifest and again.warnings == []


def test_base_uris_are_compared_by_what_they_address():
    v0 = "QmQqhdGquAyhvPJXbBaBqgRHj5rZijwJkFNAKPtbhjqyqf"
    v1 = str(Cid.parse(v0).to_v1())
    assert same_base_uri(f"ipfs://{v0}/", f"ipfs://{v1}/")
    assert same_base_uri(f"ipfs://{v0}/", f"ipfs://{v1.upper()}/")
    assert not same_base_uri(f"ipfs://{v0}/", "ipfs://QmYjNqm3kJdhrx9xhjDjm1A2daQZtH8G2pRALMZqZYBaAY/")


def test_repin_as_cidv1_of_the_same_content_is_not_a_change(tmp_path):
    project = make_build(tmp_path / "p", count=2)
    manifest = prepare(project, 0).manifest
    v1 = f"ipfs://{Cid.parse(manifest.metadata_cid).to_v1()}/"
    record(project, manifest)
    assert check_repin(project, True, v1, manifest.provenance_hash) == []


def test_check_lists_every_broken_rule(tmp_path: Path):
    project = make_build(tmp_path / "p", count=4)
    prepare(project, 0)
    (project.images_dir / "2.png").unlink()
    (project.metadata_dir / "2.json").unlink()
    out = CliRunner().invoke(main, ["check", "--project", str(project.root), "--json"])
    assert out.exit_code == 2
    report = json.loads(out.output)
    failed = {f["name"] for f in report["findings"] if not f["ok"]}
    assert failed == {"build", "build_unchanged"} and report["ok"] is False


def test_a_royalty_changed_after_deploy_is_refused(tmp_path):
    """Found by a new user: pin and check passed a new rate that the contract, whose royalty is
    fixed at deployment, never pays."""
    project = make_build(tmp_path / "p", count=2)
    record(project, prepare(project, 0).manifest)  # pays 0 basis points to the issuer
    config = project.config_path.read_text()
    project.config_path.write_text(config + "royalty:\n  bps: 900\n")
    before = tree_digest(project.root / "build")
    out = pin(project)
    assert out.exit_code == 2 and "pays 0 basis points to " + ISSUER in out.output
    assert tree_digest(project.root / "build") == before
    report = json.loads(CliRunner().invoke(main, ["check", "--project", str(project.root),
                                                  "--json"]).output)
    failed = {f["name"]: f["detail"] for f in report["findings"] if not f["ok"]}
    assert "pays 0 basis points" in failed["royalty"] and not report["ok"]
    receiver = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    project.config_path.write_text(config + f"royalty:\n  receiver: \"{receiver}\"\n  bps: 0\n")
    assert pin(project).exit_code == 2  # another receiver is another royalty too
    project.config_path.write_text(config + "royalty:\n  bps: 0\n")
    assert pin(project).exit_code == 0
