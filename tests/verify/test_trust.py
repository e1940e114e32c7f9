"""The chain-of-trust logic over a real pinned collection and a chain reader given as facts.

The verifier's core is pure: these tests feed it the facts a chain would state (the CLI tests
cover the same paths against ganache) to pin the verdict of each broken commitment.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from nft_toolkit.artifact import load_artifact
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, trust_from_manifest, verify_token
from tests.support.collection import build_collection
from tests.support.stated import CONTRACT, ISSUER, StatedChain

@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory):
    project = build_collection(tmp_path_factory.mktemp("trust") / "c", 6)
    manifest = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash, 4, 6)
    return manifest, facts, IpfsContent(BlockStore(project.store_dir)), project


def run(stated, trust: Trust | None = None, **changes):
    manifest, facts, content, _ = stated
    trust = trust or trust_from_manifest(CONTRACT, ISSUER, 1337, manifest)
    chain = StatedChain(replace(facts, **changes))
    return verify_token(chain, content, trust, 2)


def test_authentic(stated) -> None:
    report = run(stated)
    assert report.verdict is Verdict.AUTHENTIC and not report.warnings


def test_unfrozen_base_uri_is_only_a_warning(stated) -> None:
    report = run(stated, frozen=False)
    assert report.verdict is Verdict.AUTHENTIC
    assert [c.name for c in report.warnings] == ["base_uri_frozen"]
    assert not report.as_json()["checks"][5]["ok"]


def test_other_provenance_is_tampered(stated) -> None:
    report = run(stated, provenance_hash="0x" + "ab" * 32)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "provenance")


def test_no_provenance_is_tampered(stated) -> None:
    assert run(stated, provenance_hash="0x" + "00" * 32).verdict is Verdict.TAMPERED


def test_base_uri_moved_to_other_content_is_tampered(stated) -> None:
    """Judged on what the chain commits to (a folder without 2.json), the manifest a warning."""
    manifest = stated[0]
    report = run(stated, base_uri=f"ipfs://{manifest.images_cid}/")
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "metadata")
    assert "has no entry '2.json'" in report.checks[-1].detail
    assert any(c.name == "local_build" and c.warning for c in report.checks)


def test_without_manifest_provenance_is_rebuilt_from_content(stated) -> None:
    report = run(stated, trust=Trust(CONTRACT, ISSUER, 1337))
    assert report.verdict is Verdict.AUTHENTIC
    assert "item 2 of 6" in report.checks[-1].detail


def test_issuer_without_admin_role_is_still_the_issuers(stated) -> None:
    """The issuer handed the admin role to a multisig: its contract still (issuer() and the
    address say so), authentic with a warning naming the admin."""
    multisig = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
    report = run(stated, issuer_is_admin=False, admins=[multisig])
    assert report.verdict is Verdict.AUTHENTIC
    (admin,) = [c for c in report.checks if c.name == "admin"]
    assert admin.warning and multisig in admin.detail and ISSUER in admin.detail
    unknown = run(stated, issuer_is_admin=False, admins=None)
    assert unknown.verdict is Verdict.AUTHENTIC
    assert "no longer holds the admin role" in unknown.warnings[0].detail


def test_a_copy_not_created_by_the_issuer_is_counterfeit(stated) -> None:
    report = run(stated, issuer_is_admin=False, created_by_issuer=False)
    assert (report.verdict, report.checks[-1].name) == (Verdict.COUNTERFEIT, "issuer")


def test_other_code_is_counterfeit(stated) -> None:
    manifest, facts, content, _ = stated
    chain = StatedChain(facts, load_artifact().runtime[:-1] + b"\x00")
    report = verify_token(chain, content, trust_from_manifest(CONTRACT, ISSUER, 1337, manifest), 2)
    assert (report.verdict, report.checks[-1].name) == (Verdict.COUNTERFEIT, "runtime_code")


def test_other_chain_is_counterfeit(stated) -> None:
    manifest = stated[0]
    report = run(stated, trust=trust_from_manifest(CONTRACT, ISSUER, 1, manifest))
    assert report.verdict is Verdict.COUNTERFEIT and "official chain is 1" in report.checks[0].detail


def test_unminted(stated) -> None:
    assert run(stated, total_minted=1).verdict is Verdict.NOT_MINTED


def test_another_tokens_malformed_metadata_is_tampered_not_a_crash(stated, tmp_path) -> None:
    # Without a manifest the provenance list is rebuilt from every token's metadata: a pinned
    # 3.json that is JSON but not an object must end as a verdict on token 2, not a traceback.
    project = stated[3]
    folder = tmp_path / "metadata"
    shutil.copytree(project.metadata_dir, folder)
    (folder / "3.json").write_bytes(b"[]")
    store = BlockStore(tmp_path / "store")
    for cid in BlockStore(project.store_dir):
        store.put(cid, BlockStore(project.store_dir).get_block(cid))
    base = Importer(ImportOptions(cid_version=0), sink=store.put).add_path(folder).cid
    report = run((*stated[:2], IpfsContent(store), project), trust=Trust(CONTRACT, ISSUER, 1337),
                 base_uri=f"ipfs://{base}/")
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "provenance")
    assert "3.json names no ipfs://<CID> image" in report.checks[-1].detail
    assert "hash" not in report.checks[-1].detail  # nothing was hashed
