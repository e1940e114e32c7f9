"""Provenance covers metadata (issue 10, item 4): the images-metadata-sha256 scheme catches a
metadata change after minting; collections committed the images-only way keep verifying; the
scheme that held is reported; and the two schemes can never be mistaken for each other."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from nft_toolkit.errors import InputError
from nft_toolkit.ipfs import provenance as prov
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.verify.audit import audit
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, items_from_content, trust_from_manifest, verify_token
from tests.support.collection import as_images_only, build_collection
from tests.verify.forgeries import Pinned, edit_json, pinned_collection, twice_as_many
from tests.support.stated import CONTRACT, ISSUER, StatedChain

ALONE = Trust(CONTRACT, ISSUER, 1337)  # a customer outside the project


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> Pinned:
    return pinned_collection(tmp_path_factory.mktemp("prov") / "c")


@pytest.fixture(scope="module")
def renamed(pinned: Pinned, tmp_path_factory: pytest.TempPathFactory):
    """The issuer of the unfrozen collection renames token 1 and gives it a rarer trait after
    minting, and points the base URI at the new folder (images untouched)."""
    def edit(folder, _store):
        edit_json(folder, 1, name="Test Horse #1 (golden)",
                  attributes=[{"trait_type": "n", "value": "legendary"}])
    content, base = pinned.folder(tmp_path_factory.mktemp("renamed"), edit)
    return content, base


def provenance_check(report):
    (check,) = [c for c in report.checks if c.name == "provenance"]
    return check


def test_pin_commits_to_images_and_metadata(pinned: Pinned) -> None:
    m = pinned.manifest
    assert m.provenance == prov.IMAGES_METADATA
    assert m.provenance_hash == prov.provenance_hash(m.items, prov.IMAGES_METADATA)
    assert m.provenance_hash != prov.provenance_hash(m.items, prov.IMAGES)
    assert items_from_content(IpfsContent(pinned.store), m.metadata_cid) == m.items


def test_the_scheme_that_held_is_reported(pinned: Pinned) -> None:
    for trust in (pinned.trust(), ALONE):
        report = verify_token(StatedChain(pinned.facts), IpfsContent(pinned.store), trust, 2)
        assert report.verdict is Verdict.AUTHENTIC
        detail = provenance_check(report).detail
        assert "item 2 of 6" in detail and "scheme images-metadata-sha256" in detail
    result = audit(StatedChain(pinned.facts), IpfsContent(pinned.store), ALONE)
    (head,) = [c for c in result.collection if c.name == "provenance"]
    assert head.ok and "scheme images-metadata-sha256" in head.detail


@pytest.mark.parametrize("with_manifest", [True, False])
def test_metadata_changed_after_minting_is_tampered(pinned: Pinned, renamed,
                                                    with_manifest: bool) -> None:
    content, base = renamed
    chain = StatedChain(replace(pinned.facts, frozen=False, base_uri=f"ipfs://{base}/"))
    trust = pinned.trust() if with_manifest else ALONE
    report = verify_token(chain, content, trust, 1)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "provenance"), report.checks
    assert "images-metadata-sha256" in report.checks[-1].detail
    result = audit(chain, content, trust)
    assert [(t.verdict, t.check) for t in result.tokens] == [(Verdict.TAMPERED, "provenance")] * 4
    assert result.verdict is Verdict.TAMPERED and result.exit_code == 1


@pytest.fixture(scope="module")
def images_only(tmp_path_factory: pytest.TempPathFactory):
    """A collection pinned and deployed before the metadata was committed: its manifest has no
    "provenance" field and the chain holds the images-only hash."""
    project = build_collection(tmp_path_factory.mktemp("old") / "c", 6, max_supply=8)
    manifest = as_images_only(project)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash, 4, 8)
    return Pinned(project, manifest, facts)


def test_an_images_only_collection_still_verifies(images_only: Pinned) -> None:
    assert "provenance" not in json.loads(images_only.project.manifest_path.read_text())
    content = IpfsContent(images_only.store)
    for trust in (images_only.trust(), ALONE):
        report = verify_token(StatedChain(images_only.facts), content, trust, 2)
        assert report.verdict is Verdict.AUTHENTIC, report.checks
        detail = provenance_check(report).detail
        assert "scheme images-sha256" in detail and "the metadata is not committed" in detail
        result = audit(StatedChain(images_only.facts), content, trust)
        assert result.exit_code == 0 and result.counts == {"authentic": 4}


def test_an_images_only_collection_cannot_catch_a_metadata_change(pinned: Pinned, renamed) -> None:
    """The weakness the new scheme removes, kept for collections committed the old way: their
    unfrozen metadata can still change (the freeze warning says so)."""
    content, base = renamed
    facts = replace(pinned.facts, frozen=False, base_uri=f"ipfs://{base}/",
                    provenance_hash=prov.provenance_hash(pinned.manifest.items, prov.IMAGES))
    report = verify_token(StatedChain(facts), content, ALONE, 1)
    assert report.verdict is Verdict.AUTHENTIC
    assert [c.name for c in report.warnings] == ["base_uri_frozen"]
    assert "scheme images-sha256" in provenance_check(report).detail


def test_the_schemes_cannot_be_mistaken_for_each_other(pinned: Pinned, tmp_path) -> None:
    """Without the tag, 2N files alternating image k and metadata k would reproduce the new
    hash as images-only; with it, that folder is tampered (and so with any content)."""
    content, base = pinned.folder(tmp_path, twice_as_many(pinned))
    doubled = items_from_content(content, base)
    assert len(doubled) == 12
    untagged = hashlib.sha256(b"".join(i.image_sha256 + i.metadata_sha256
                                       for i in pinned.manifest.items)).hexdigest()
    assert prov.provenance_hash(doubled, prov.IMAGES) == "0x" + untagged  # the attack, untagged
    assert prov.scheme_of(doubled, pinned.manifest.provenance_hash) is None
    facts = replace(pinned.facts, frozen=False, base_uri=f"ipfs://{base}/", max_supply=12)
    report = verify_token(StatedChain(facts), content, ALONE, 1)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "provenance")
    assert prov.preimage(pinned.manifest.items, prov.IMAGES_METADATA).startswith(prov.TAG)
    assert len(prov.TAG) >= 32  # the old preimage starts with a digest: no digest is the tag


def test_scheme_of_tries_the_new_scheme_first() -> None:
    items = [prov.Item(bytes([i]) * 32, bytes([i + 100]) * 32) for i in range(3)]
    new, old = (prov.provenance_hash(items, s) for s in (prov.IMAGES_METADATA, prov.IMAGES))
    assert prov.scheme_of(items, new) == prov.IMAGES_METADATA
    assert prov.scheme_of(items, old.upper().replace("0X", "0x")) == prov.IMAGES
    assert prov.scheme_of(items, "0x" + "00" * 32) is None
    with pytest.raises(ValueError, match="unknown provenance scheme"):
        prov.provenance_hash(items, "images-md5")


def test_a_manifest_names_its_scheme(pinned: Pinned) -> None:
    doc = pinned.manifest.to_json()
    assert doc["provenance"] == prov.IMAGES_METADATA
    assert Manifest.from_json({k: v for k, v in doc.items() if k != "provenance"}).provenance \
        == prov.IMAGES
    with pytest.raises(InputError, match="unknown provenance scheme 'images-md5'"):
        Manifest.from_json({**doc, "provenance": "images-md5"})
    assert trust_from_manifest(CONTRACT, ISSUER, 1337, pinned.manifest).items == pinned.manifest.items
