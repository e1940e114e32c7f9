"""Verification answers that do not mislead (issue 9, kind 9), on the pure core over a pinned
collection and stated chain facts: CIDs compared by what they address, a URI that names no CID,
a token beyond the cap, a gateway that is not trustless, a local build the chain does not commit
to, a picture that is no item. The same paths on ganache: tests/reliability/test_forgery.py."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace

import pytest
from multiformats import CID as MfCID

from nft_toolkit.chain.networks import check_url, load_networks, resolve_network
from nft_toolkit.errors import ConfigError
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.retrieval import GatewaySource, NotTrustless
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.audit import audit
from nft_toolkit.verify.identify import find_token, identify
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, same_cid, trust_from_manifest, verify_token
from tests.support.forgery import PlainGateway
from tests.support.collection import build_collection, repin, tiny_png
from tests.support.stated import CONTRACT, ISSUER, StatedChain


def forms(cid: str) -> list[str]:
    """The same CID as CIDv1 base32, base32 upper case, base58btc, base36 and base64url."""
    v1 = MfCID.decode(cid).set(version=1)
    return [v1.encode(base) for base in ("base32", "base32upper", "base58btc", "base36",
                                         "base64url")]


@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory):
    project = build_collection(tmp_path_factory.mktemp("answers") / "c", 6)
    manifest = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash, 4, 6)
    return manifest, facts, IpfsContent(BlockStore(project.store_dir)), project


def trust(manifest: Manifest) -> Trust:
    return trust_from_manifest(CONTRACT, ISSUER, 1337, manifest)


# -- CIDs compared by what they address -------------------------------------------------------

def test_same_cid_is_by_codec_and_multihash(stated) -> None:
    manifest = stated[0]
    for form in forms(manifest.metadata_cid):
        assert same_cid(manifest.metadata_cid, form) and same_cid(form, manifest.metadata_cid)
    assert not same_cid(manifest.metadata_cid, manifest.images_cid)
    assert not same_cid("notacid", "notacid")
    raw_v1 = str(MfCID.decode(manifest.metadata_cid).set(version=1, codec="raw"))
    assert not same_cid(manifest.metadata_cid, raw_v1)  # another codec: other content


@pytest.mark.parametrize("index", range(5))
def test_base_uri_as_another_cid_form_is_authentic(stated, index: int) -> None:
    """The chain's base URI names the manifest's folder as CIDv1 (base32, upper case, base58,
    base36, base64url): the same content, authentic with the manifest, no local-build warning."""
    manifest, facts, content, _ = stated
    base = forms(manifest.metadata_cid)[index]
    report = verify_token(StatedChain(replace(facts, base_uri=f"ipfs://{base}/")), content,
                          trust(manifest), 2)
    assert report.verdict is Verdict.AUTHENTIC, report.checks
    assert not any(c.name == "local_build" for c in report.checks)


def test_audit_compares_cids_by_content(stated) -> None:
    manifest, facts, content, _ = stated
    base = forms(manifest.metadata_cid)[1]
    result = audit(StatedChain(replace(facts, base_uri=f"ipfs://{base}/")), content, trust(manifest))
    assert result.exit_code == 0 and result.counts == {"authentic": 4}, result.as_json()


def test_manifest_cids_in_another_form_still_match(stated) -> None:
    """The pin manifest names the token's metadata and image as CIDv1: the same content."""
    manifest, facts, content, _ = stated
    tokens = dict(manifest.tokens)
    tokens[2] = replace(tokens[2], metadata_cid=forms(tokens[2].metadata_cid)[0],
                        image_cid=forms(tokens[2].image_cid)[1])
    t = replace(trust(manifest), tokens=tokens)
    assert verify_token(StatedChain(facts), content, t, 2).verdict is Verdict.AUTHENTIC
    assert audit(StatedChain(facts), content, t).counts == {"authentic": 4}


@pytest.mark.parametrize("uri", ["ipfs://notacid/", "ipfs://Qm!!/", "ipfs://bafy/",
                                 "https://example.com/meta/"])
def test_a_base_uri_naming_no_cid_is_tampered_without_hashing(stated, uri: str) -> None:
    manifest, facts, content, _ = stated
    report = verify_token(StatedChain(replace(facts, base_uri=uri)), content, trust(manifest), 2)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "token_uri")
    assert "names no CID" in report.checks[-1].detail and "hash" not in report.checks[-1].detail


def test_an_image_uri_naming_no_cid_is_tampered_without_hashing(stated, tmp_path) -> None:
    """Token 2's metadata (pinned as such, so it hashes to its CID) names ipfs://notacid."""
    manifest, facts, _, project = stated
    folder = tmp_path / "metadata"
    shutil.copytree(project.metadata_dir, folder)
    meta = json.loads((folder / "2.json").read_text())
    (folder / "2.json").write_text(json.dumps({**meta, "image": "ipfs://notacid"}))
    store = BlockStore(tmp_path / "store")
    for cid in BlockStore(project.store_dir):
        store.put(cid, BlockStore(project.store_dir).get_block(cid))
    base = Importer(ImportOptions(cid_version=0), sink=store.put).add_path(folder).cid
    report = verify_token(StatedChain(replace(facts, base_uri=f"ipfs://{base}/")),
                          IpfsContent(store), Trust(CONTRACT, ISSUER, 1337), 2)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "image")
    assert "names no CID" in report.checks[-1].detail and "hash" not in report.checks[-1].detail


# -- a token that does not exist is a verdict -------------------------------------------------

@pytest.mark.parametrize("token_id, reason", [(99, "beyond the cap (this collection has IDs 1..6)"),
                                              (0, "IDs start at 1"), (5, "never minted")])
def test_a_token_that_does_not_exist_is_not_minted(stated, token_id: int, reason: str) -> None:
    manifest, facts, content, _ = stated
    report = verify_token(StatedChain(facts), content, trust(manifest), token_id)
    assert (report.verdict, report.checks[-1].name) == (Verdict.NOT_MINTED, "token")
    assert reason in report.checks[-1].detail and report.verdict.exit_code == 1


# -- a gateway that is not trustless ----------------------------------------------------------

def test_gateway_ignoring_format_raw_is_unverifiable(stated) -> None:
    """The plain file (or an HTML listing) for ?format=raw: not a trustless gateway."""
    manifest, facts, _, project = stated
    with PlainGateway(BlockStore(project.store_dir)) as gw:
        with pytest.raises(NotTrustless, match="not a trustless gateway"):
            GatewaySource(gw.url).get_block(manifest.tokens[2].image_cid)
        report = verify_token(StatedChain(facts), IpfsContent(GatewaySource(gw.url)),
                              Trust(CONTRACT, ISSUER, 1337), 2)
    assert (report.verdict, report.checks[-1].name) == (Verdict.UNVERIFIABLE, "metadata")
    assert "not a trustless gateway" in report.checks[-1].detail
    assert "text/html" in report.checks[-1].detail  # the folder's listing


def test_gateway_claiming_raw_with_other_bytes_is_tampered(stated) -> None:
    manifest, facts, _, project = stated
    with PlainGateway(BlockStore(project.store_dir), claim_raw=True) as gw:
        report = verify_token(StatedChain(facts), IpfsContent(GatewaySource(gw.url)),
                              Trust(CONTRACT, ISSUER, 1337), 2)
    assert (report.verdict, report.checks[-1].name) == (Verdict.TAMPERED, "metadata")
    assert "content altered" in report.checks[-1].detail


# -- judged by what the chain commits to ------------------------------------------------------

@pytest.fixture(scope="module")
def repinned(tmp_path_factory: pytest.TempPathFactory):
    """A collection whose issuer changed unminted image 6 and pinned again after deploying: the
    chain still commits to the first base CID, the manifest names the new one."""
    project = build_collection(tmp_path_factory.mktemp("repinned") / "c", 6)
    first = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, first.base_uri, True, first.provenance_hash, 4, 6)
    new_image = tiny_png(106)
    repin(project, {6: new_image})
    second = Manifest.load(project.manifest_path)
    assert second.metadata_cid != first.metadata_cid
    return first, second, facts, IpfsContent(BlockStore(project.store_dir)), new_image


def test_a_different_local_build_is_a_warning(repinned) -> None:
    first, second, facts, content, _ = repinned
    report = verify_token(StatedChain(facts), content, trust(second), 2)
    assert report.verdict is Verdict.AUTHENTIC, report.checks
    (warning,) = [c for c in report.checks if c.name == "local_build"]
    assert warning.warning and second.metadata_cid in warning.detail
    assert first.metadata_cid in warning.detail
    result = audit(StatedChain(facts), content, trust(second))
    assert result.exit_code == 0 and result.counts == {"authentic": 4}, result.as_json()
    assert any(c.name == "local_build" for c in result.collection)


def test_a_picture_never_committed_is_no_item(repinned) -> None:
    """The re-pinned image 6 is in the manifest but not behind the chain's base URI."""
    first, second, facts, content, new_image = repinned
    assert find_token(new_image, second, content, first.metadata_cid) is None
    assert find_token(new_image, second, content, second.metadata_cid) == 6  # if it were
    report = identify(StatedChain(facts), content, trust(second), new_image, second)
    assert (report.verdict, report.token_id) == (Verdict.NOT_AN_ITEM, None)
    assert report.as_json()["token_id"] is None and report.verdict.exit_code == 1
    genuine = identify(StatedChain(facts), content, trust(second), tiny_png(1), second)
    assert (genuine.verdict, genuine.token_id) == (Verdict.AUTHENTIC, 1)


def test_verify_file_matches_cidv1_images(stated) -> None:
    """Without a manifest, the metadata names images as CIDv0; the picture is found whatever
    CID version the collection used."""
    manifest, facts, content, _ = stated
    report = identify(StatedChain(facts), content, Trust(CONTRACT, ISSUER, 1337), tiny_png(3), None)
    assert (report.verdict, report.token_id) == (Verdict.AUTHENTIC, 3)
    assert report.image_sha256 == hashlib.sha256(tiny_png(3)).hexdigest()


# -- malformed URLs are usage errors ----------------------------------------------------------

@pytest.mark.parametrize("url", ["http://", "http://127.0.0.1:notaport", "http://127.0.0.1:99999",
                                 "ftp://127.0.0.1", "127.0.0.1:8545", "http://:8545", "http://h:0"])
def test_malformed_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError) as err:
        resolve_network(None, url, None, {}, 1337)
    assert "--rpc-url" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="--gateway"):
        check_url(url, "--gateway")


def test_well_formed_urls_pass() -> None:
    for url in ("http://127.0.0.1:8545", "https://sepolia.example/v3/key", "http://[::1]:80/"):
        assert check_url(url, "--rpc-url") == url


def test_networks_yaml_rpc_url_is_checked(tmp_path) -> None:
    path = tmp_path / "networks.yaml"
    path.write_text("sepolia:\n  rpc_url: https://host:port/v3\n  chain_id: 11155111\n")
    with pytest.raises(ConfigError, match=r"sepolia\.rpc_url"):
        load_networks(path)
    path.write_text("sepolia:\n  rpc_url: https://host:${PORT}/v3/${KEY}\n  chain_id: 11155111\n")
    assert load_networks(path)["sepolia"].rpc_url == "https://host:${PORT}/v3/${KEY}"


def test_a_warning_says_so_in_the_json() -> None:
    """Found by a new user: a script saw `"ok": false` under an authentic verdict with nothing
    telling a caveat (an unfrozen base URI, a differing local build) from a failure."""
    from nft_toolkit.verify.report import Report, Verdict

    report = Report(token_id=1, contract="0x" + "11" * 20)
    report.passed("token", "owned")
    report.warn("base_uri_frozen", "the base URI is not frozen")
    checks = report.as_json()["checks"]
    assert report.verdict is Verdict.AUTHENTIC
    assert checks[0] == {"name": "token", "ok": True, "detail": "owned"}
    assert checks[1]["warning"] is True and checks[1]["ok"] is False
