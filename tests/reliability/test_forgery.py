"""Forgeries and tampering, each judged by `nft-toolkit verify --json` on ganache: never
`authentic`, always the verdict DESIGN.md gives it, with its exit code.

The official collection: 6 items pinned, deployed (frozen) by development account 0 on a chain
started by `nft-toolkit chain start`, tokens 1..4 minted to a customer.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from multiformats import CID as MfCID

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.deployer import deploy, plan_for_project
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.chain.minter import Minter
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.journal import Journal
from nft_toolkit.project import Project
from tests.support.forgery import (HostileGateway, LyingSource, OtherChain, PlainGateway,
                                       forge_lookalike)
from tests.support.cli import Cli
from tests.support.harness import LocalChainProcess, deployed_project
from tests.support.collection import as_images_only, build_collection, repin, tiny_png

CUSTOMER = dev_account(1)
FORGER = dev_account(9)


def mint(url: str, project: Project, address: str, to: str, count: int, by: int = 0) -> None:
    Minter(Chain(url, DEV_CHAIN_ID), dev_account(by), address,
           Journal(project.journal_dir / "mint-development.jsonl")).mint([(to, count)], batch_size=count)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("forgery")
    local = LocalChainProcess(tmp / "home")
    url = local.start()
    try:
        # Deployed first on a fresh chain, so at account 0's nonce 0 (see the wrong-chain case).
        project, record = deployed_project(tmp / "official", url, max_supply=6, size=6)
        mint(url, project, record.address, CUSTOMER.address, 4)
        yield {"url": url, "project": project, "record": record, "tmp": tmp,
               "cli": Cli(project.root), "outside": Cli(tmp)}
    finally:
        local.stop()


def verify(cli: Cli, url: str, token: int, *extra: str, timeout: float = 120) -> tuple[int, dict]:
    out = cli("verify", str(token), "--network", "development", "--rpc-url", url, *extra, "--json",
              timeout=timeout)
    assert out.returncode in (0, 1, 3), out.stderr
    report = json.loads(out.stdout)
    assert report["verdict"] != "authentic" or out.returncode == 0
    return out.returncode, report


def failed_check(report: dict) -> str:
    return next(c["name"] for c in report["checks"] if not c["ok"] and
                not c["detail"].startswith("warning"))


def manifest(project: Project) -> Manifest:
    return Manifest.load(project.manifest_path)


def test_the_official_token_is_authentic(world) -> None:
    code, report = verify(world["cli"], world["url"], 1)
    assert (code, report["verdict"]) == (0, "authentic"), report


def test_lookalike_same_bytecode_other_deployer(world) -> None:
    """Same name, symbol, metadata, base URI, provenance and bytecode, tokens minted to the same
    customer, deployed by another account: counterfeit."""
    url = world["url"]
    fake_project, fake = deployed_project(world["tmp"] / "fake", url, max_supply=6, size=6,
                                          issuer_index=9)
    assert Manifest.load(fake_project.manifest_path).base_uri == manifest(world["project"]).base_uri
    mint(url, fake_project, fake.address, CUSTOMER.address, 2, by=9)
    code, report = verify(world["cli"], url, 1, "--contract", fake.address)
    assert (code, report["verdict"]) == (1, "counterfeit"), report
    assert failed_check(report) == "issuer"


def test_lookalike_with_forged_issuer_immutable(world) -> None:
    """The forger sets up their own genuine deployment (real base URI and provenance, tokens
    minted, the real issuer granted the admin role), then deploys a copy through hand-made
    creation code: the audited runtime with the issuer immutable naming the real issuer and
    the storage copied. Code, issuer(), admin role and content all look right: counterfeit."""
    url, record = world["url"], world["record"]
    forger_project, genuine = deployed_project(world["tmp"] / "forger", url, max_supply=6, size=6,
                                               issuer_index=9)
    mint(url, forger_project, genuine.address, CUSTOMER.address, 3, by=9)
    chain = Chain(url, DEV_CHAIN_ID)
    contract = chain.collection(genuine.address)
    grant = contract.functions.grantRole(bytes(32), record.issuer).build_transaction(
        {"from": FORGER.address, "nonce": chain.nonce(FORGER.address), "chainId": DEV_CHAIN_ID,
         "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9})
    chain.w3.eth.wait_for_transaction_receipt(
        chain.w3.eth.send_raw_transaction(FORGER.sign_transaction(grant).raw_transaction))
    forged = forge_lookalike(url, genuine.address, FORGER, record.issuer)
    fc = chain.collection(forged).functions
    assert fc.issuer().call() == record.issuer and fc.hasRole(bytes(32), record.issuer).call()
    assert fc.baseURI().call() == manifest(world["project"]).base_uri
    code, report = verify(world["cli"], url, 1, "--contract", forged)
    assert (code, report["verdict"]) == (1, "counterfeit"), report
    # and for a customer outside the project, trusting only the issuer's address
    code, report = verify(world["outside"], url, 1, "--contract", forged, "--issuer",
                          record.issuer, "--chain-id", str(DEV_CHAIN_ID), "--gateway", "http://127.0.0.1:9")
    assert (code, report["verdict"]) == (1, "counterfeit"), report


def test_right_address_wrong_chain(world) -> None:
    """A second chain (ID 1338) where the issuer's account at the same nonce gives the same
    address, the same code and the same issuer: counterfeit, by the chain ID."""
    other = OtherChain(world["tmp"] / "chain1338", 1338)
    try:
        twin_project, twin = deployed_project(world["tmp"] / "twin", other.url, max_supply=6, size=6,
                                               chain_id=1338)
        assert twin.address == world["record"].address
        code, report = verify(world["cli"], other.url, 1)
        assert (code, report["verdict"]) == (1, "counterfeit"), report
        assert failed_check(report) == "contract" and "1338" in report["checks"][0]["detail"]
    finally:
        other.stop()


def block_file(project: Project, cid: str) -> Path:
    return BlockStore(project.store_dir)._path(Cid.parse(cid))


def test_metadata_altered_in_the_store(world) -> None:
    project = world["project"]
    path = block_file(project, manifest(project).tokens[2].metadata_cid)
    original = path.read_bytes()
    try:
        path.write_bytes(original.replace(b"Horse", b"Horsf"))
        code, report = verify(world["cli"], world["url"], 2)
        assert (code, report["verdict"], failed_check(report)) == (1, "tampered", "metadata"), report
    finally:
        path.write_bytes(original)


def test_image_swapped_in_the_store(world) -> None:
    project = world["project"]
    m = manifest(project)
    path = block_file(project, m.tokens[3].image_cid)
    original = path.read_bytes()
    try:
        path.write_bytes(block_file(project, m.tokens[4].image_cid).read_bytes())
        code, report = verify(world["cli"], world["url"], 3)
        assert (code, report["verdict"], failed_check(report)) == (1, "tampered", "image"), report
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize("lie", ["honest", "metadata", "image", "other-token", "directory"])
def test_lying_gateway(world, lie: str) -> None:
    """A customer outside the project reads the content from a gateway serving altered bytes
    over HTTP (the package's own gateway server over a lying block source)."""
    project, record = world["project"], world["record"]
    m = manifest(project)
    store = BlockStore(project.store_dir)
    lies = {
        "honest": {},
        "metadata": {m.tokens[2].metadata_cid: store.get_block(m.tokens[2].metadata_cid)
                     .replace(b"Horse", b"H0rse")},
        "image": {m.tokens[2].image_cid: store.get_block(m.tokens[5].image_cid)},
        "other-token": {m.tokens[2].metadata_cid: store.get_block(m.tokens[3].metadata_cid)},
        "directory": {m.metadata_cid: store.get_block(m.images_cid)},
    }[lie]
    with Gateway(LyingSource(store, lies)) as gw:
        code, report = verify(world["outside"], world["url"], 2, "--contract", record.address,
                              "--issuer", record.issuer, "--chain-id", str(DEV_CHAIN_ID),
                              "--gateway", gw.url)
    if lie == "honest":
        assert (code, report["verdict"]) == (0, "authentic"), report
    else:
        assert (code, report["verdict"]) == (1, "tampered"), report


def test_token_never_minted(world) -> None:
    code, report = verify(world["cli"], world["url"], 5)
    assert (code, report["verdict"], failed_check(report)) == (1, "not_minted", "token"), report


def test_burned_token(world) -> None:
    chain = Chain(world["url"], DEV_CHAIN_ID)
    contract = chain.collection(world["record"].address)
    tx = contract.functions.burn(4).build_transaction(
        {"from": CUSTOMER.address, "nonce": chain.nonce(CUSTOMER.address), "chainId": DEV_CHAIN_ID,
         "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9})
    receipt = chain.w3.eth.wait_for_transaction_receipt(
        chain.w3.eth.send_raw_transaction(CUSTOMER.sign_transaction(tx).raw_transaction))
    assert receipt["status"] == 1
    code, report = verify(world["cli"], world["url"], 4)
    assert (code, report["verdict"]) == (1, "not_minted"), report
    assert "burned" in report["checks"][-1]["detail"]


def test_base_uri_changed_after_minting_while_unfrozen(world) -> None:
    """An unfrozen collection whose issuer points the base URI, after minting, at a folder where
    tokens 1 and 2 trade images: tampered, with the pin manifest and without it."""
    url = world["url"]
    project, record = deployed_project(world["tmp"] / "unfrozen", url, max_supply=6, size=6,
                                       freeze=False)
    mint(url, project, record.address, CUSTOMER.address, 3)
    cli = Cli(project.root)
    code, report = verify(cli, url, 1)
    assert (code, report["verdict"]) == (0, "authentic")
    assert any(c["name"] == "base_uri_frozen" and not c["ok"] for c in report["checks"])
    m = manifest(project)
    swapped = world["tmp"] / "swapped-metadata"
    shutil.copytree(project.metadata_dir, swapped)
    for a, b in ((1, 2), (2, 1)):
        meta = json.loads((project.metadata_dir / f"{a}.json").read_text())
        meta["image"] = f"ipfs://{m.tokens[b].image_cid}"
        (swapped / f"{a}.json").write_text(json.dumps(meta, sort_keys=True))
    store = BlockStore(project.store_dir)
    new_base = Importer(ImportOptions(cid_version=0), sink=store.put).add_path(swapped).cid
    chain = Chain(url, DEV_CHAIN_ID)
    issuer = dev_account(0)
    tx = chain.collection(record.address).functions.setBaseURI(f"ipfs://{new_base}/").build_transaction(
        {"from": issuer.address, "nonce": chain.nonce(issuer.address), "chainId": DEV_CHAIN_ID,
         "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9})
    chain.w3.eth.wait_for_transaction_receipt(
        chain.w3.eth.send_raw_transaction(issuer.sign_transaction(tx).raw_transaction))
    code, report = verify(cli, url, 1)  # judged on what the chain commits to: provenance
    assert (code, report["verdict"], failed_check(report)) == (1, "tampered", "provenance"), report
    assert any(c["name"] == "local_build" for c in report["checks"])
    with Gateway(store) as gw:  # a customer without the manifest: provenance catches it
        code, report = verify(world["outside"], url, 1, "--contract", record.address, "--issuer",
                              record.issuer, "--chain-id", str(DEV_CHAIN_ID), "--gateway", gw.url)
    assert (code, report["verdict"], failed_check(report)) == (1, "tampered", "provenance"), report


@pytest.mark.parametrize("mode", ["huge", pytest.param("drip", marks=pytest.mark.slow),
                                  "error", "garbage"])
def test_hostile_gateway_is_bounded(world, mode: str) -> None:
    """A gateway that answers the metadata block with an endless body, one byte at a time, an
    HTTP 500 or short garbage: the verdict comes within bounds (never a hang), never authentic."""
    project, record = world["project"], world["record"]
    target = manifest(project).tokens[2].metadata_cid
    started = time.monotonic()
    with HostileGateway(BlockStore(project.store_dir), target, mode) as gw:
        code, report = verify(world["outside"], world["url"], 2, "--contract", record.address,
                              "--issuer", record.issuer, "--chain-id", str(DEV_CHAIN_ID),
                              "--gateway", gw.url)
    took = time.monotonic() - started
    expected = "tampered" if mode == "garbage" else "unverifiable"
    assert (report["verdict"], failed_check(report)) == (expected, "metadata"), report
    assert code == (1 if mode == "garbage" else 3)
    assert took < 75, f"{mode}: {took:.0f} s"  # the drip: given up after 30 s per block


# -- answers that must not mislead (issue 9, kind 9) ------------------------------------------

def send(url: str, signer, call) -> None:
    chain = Chain(url, DEV_CHAIN_ID)
    tx = call.build_transaction({"from": signer.address, "nonce": chain.nonce(signer.address),
                                 "chainId": DEV_CHAIN_ID, "maxFeePerGas": 10**11,
                                 "maxPriorityFeePerGas": 10**9})
    receipt = chain.w3.eth.wait_for_transaction_receipt(
        chain.w3.eth.send_raw_transaction(signer.sign_transaction(tx).raw_transaction))
    assert receipt["status"] == 1


def run_json(cli: Cli, url: str, *args: str) -> tuple[int, dict]:
    out = cli(*args, "--network", "development", "--rpc-url", url, "--json")
    assert out.returncode in (0, 1, 3), out.stderr
    return out.returncode, json.loads(out.stdout)


def test_admin_handed_to_a_multisig_is_still_the_issuers(world) -> None:
    """The issuer grants the admin role to a multisig and renounces its own: the contract is still
    the issuer's (issuer() immutable, its address from the issuer's nonce): authentic, with a
    warning naming the admin; the audit agrees."""
    url = world["url"]
    multisig = dev_account(5).address
    project, record = deployed_project(world["tmp"] / "multisig", url, max_supply=6, size=6)
    mint(url, project, record.address, CUSTOMER.address, 2)
    issuer = dev_account(0)
    fns = Chain(url, DEV_CHAIN_ID).collection(record.address).functions
    send(url, issuer, fns.grantRole(bytes(32), multisig))
    send(url, issuer, fns.renounceRole(bytes(32), issuer.address))
    assert not fns.hasRole(bytes(32), issuer.address).call()
    code, report = verify(Cli(project.root), url, 1)
    assert (code, report["verdict"]) == (0, "authentic"), report
    (admin,) = [c for c in report["checks"] if c["name"] == "admin"]
    assert multisig in admin["detail"] and "no longer holds the admin role" in admin["detail"]
    code, summary = run_json(Cli(project.root), url, "audit")
    assert (code, summary["verdict"], summary["counts"]) == (0, "authentic", {"authentic": 2})


def test_base_uri_as_cidv1_is_authentic_inside_and_outside(world) -> None:
    """The chain's base URI names the pinned folder as CIDv1 base32 while the manifest says
    CIDv0: the same content, authentic for verify, verify-file and audit, inside the project as
    outside it."""
    url = world["url"]
    project = build_collection(world["tmp"] / "cidv1", 6, max_supply=6)
    m = manifest(project)
    v1 = MfCID.decode(m.metadata_cid).set(version=1).encode("base32")
    plan = replace(plan_for_project(project.load_config(), m, dev_account(0).address),
                   base_uri=f"ipfs://{v1}/")
    record = deploy(Chain(url, DEV_CHAIN_ID), dev_account(0), plan, "development",
                    project.journal_dir / "deploy-development.json",
                    project.deployment_path("development"))
    mint(url, project, record.address, CUSTOMER.address, 3)
    cli = Cli(project.root)
    code, report = verify(cli, url, 2)
    assert (code, report["verdict"]) == (0, "authentic"), report
    assert report["token_uri"] == f"ipfs://{v1}/2.json"
    assert not any(c["name"] == "local_build" for c in report["checks"])
    code, report = run_json(cli, url, "verify-file", str(project.images_dir / "3.png"))
    assert (code, report["verdict"], report["token_id"]) == (0, "authentic", 3), report
    code, summary = run_json(cli, url, "audit")
    assert (code, summary["counts"]) == (0, {"authentic": 3}), summary
    with Gateway(BlockStore(project.store_dir)) as gw:
        code, report = verify(world["outside"], url, 2, "--contract", record.address, "--issuer",
                              record.issuer, "--chain-id", str(DEV_CHAIN_ID), "--gateway", gw.url)
    assert (code, report["verdict"]) == (0, "authentic"), report


def test_repinned_after_deploy_is_judged_on_the_chain(world) -> None:
    """The issuer changes unminted image 6 after deploying (frozen) and pins again: a genuine
    token stays authentic (a warning says the local build differs), the new picture, never
    committed on chain, is no item, and the audit finds every minted token authentic."""
    url = world["url"]
    project, record = deployed_project(world["tmp"] / "repinned", url, max_supply=6, size=6)
    mint(url, project, record.address, CUSTOMER.address, 3)
    committed = manifest(project).metadata_cid
    repin(project, {6: tiny_png(106)})
    assert manifest(project).metadata_cid != committed
    cli = Cli(project.root)
    code, report = verify(cli, url, 1)
    assert (code, report["verdict"]) == (0, "authentic"), report
    (warning,) = [c for c in report["checks"] if c["name"] == "local_build"]
    assert committed in warning["detail"] and "warning" in warning["detail"]
    code, report = run_json(cli, url, "verify-file", str(project.images_dir / "6.png"))
    assert (code, report["verdict"], report["token_id"]) == (1, "not_an_item", None), report
    code, report = run_json(cli, url, "verify-file", str(project.images_dir / "2.png"))
    assert (code, report["verdict"], report["token_id"]) == (0, "authentic", 2), report
    code, summary = run_json(cli, url, "audit")
    assert (code, summary["counts"]) == (0, {"authentic": 3}), summary


def test_gateway_ignoring_format_raw_is_unverifiable(world) -> None:
    """A gateway that answers ?format=raw with the plain file or a folder's HTML listing is not
    a trustless gateway: unverifiable (exit 3) with that reason, not 'content altered'."""
    project, record = world["project"], world["record"]
    with PlainGateway(BlockStore(project.store_dir)) as gw:
        code, report = verify(world["outside"], world["url"], 2, "--contract", record.address,
                              "--issuer", record.issuer, "--chain-id", str(DEV_CHAIN_ID),
                              "--gateway", gw.url)
    assert (code, report["verdict"], failed_check(report)) == (3, "unverifiable", "metadata"), report
    assert "not a trustless gateway" in report["checks"][-1]["detail"]
    assert "altered" not in report["checks"][-1]["detail"]


# -- provenance covers metadata; one engine for verify and audit (issue 10) --------------------

def set_base_uri(url: str, address: str, base: str) -> None:
    send(url, dev_account(0), Chain(url, DEV_CHAIN_ID).collection(address).functions
         .setBaseURI(f"ipfs://{base}/"))


def rename_and_repoint(url: str, project: Project, address: str, folder: Path) -> str:
    """The issuer renames token 1 (images untouched), pins the new folder to the store and
    points the unfrozen contract's base URI at it; the new base CID."""
    shutil.copytree(project.metadata_dir, folder)
    meta = json.loads((folder / "1.json").read_text())
    (folder / "1.json").write_text(json.dumps({**meta, "name": "Golden Horse #1"}, sort_keys=True))
    store = BlockStore(project.store_dir)
    base = str(Importer(ImportOptions(cid_version=0), sink=store.put).add_path(folder).cid)
    set_base_uri(url, address, base)
    return base


def test_metadata_changed_after_minting_while_unfrozen_is_tampered(world) -> None:
    """A collection pinned with the images-metadata scheme, unfrozen: the issuer renames token 1
    after minting. verify (with the manifest, and for a customer without it) and audit: tampered,
    decided by the provenance, naming the scheme."""
    url = world["url"]
    project, record = deployed_project(world["tmp"] / "renamed", url, max_supply=6, size=6,
                                       freeze=False)
    assert manifest(project).provenance == "images-metadata-sha256"
    mint(url, project, record.address, CUSTOMER.address, 3)
    cli = Cli(project.root)
    code, report = verify(cli, url, 1)
    assert (code, report["verdict"]) == (0, "authentic"), report
    assert "scheme images-metadata-sha256" in report["checks"][-1]["detail"]
    rename_and_repoint(url, project, record.address, world["tmp"] / "renamed-metadata")
    code, report = verify(cli, url, 1)
    assert (code, report["verdict"], failed_check(report)) == (1, "tampered", "provenance"), report
    with Gateway(BlockStore(project.store_dir)) as gw:
        code, report = verify(world["outside"], url, 1, "--contract", record.address, "--issuer",
                              record.issuer, "--chain-id", str(DEV_CHAIN_ID), "--gateway", gw.url)
    assert (code, report["verdict"], failed_check(report)) == (1, "tampered", "provenance"), report
    code, summary = run_json(cli, url, "audit")
    assert (code, summary["verdict"], summary["counts"]) == (1, "tampered", {"tampered": 3}), summary
    tokens = json.loads(Path(summary["report"]).read_text())["tokens"]
    assert {t["check"] for t in tokens} == {"provenance"}


def test_an_images_only_collection_still_verifies_on_chain(world) -> None:
    """A collection pinned and deployed before the metadata was committed (its manifest without
    "provenance", the images-only hash on chain): authentic, saying which scheme held; and its
    unfrozen metadata can still change, as it always could (the freeze warning says so)."""
    url = world["url"]
    project = build_collection(world["tmp"] / "old", 6, max_supply=6, freeze=False)
    old = as_images_only(project)
    record = deploy(Chain(url, DEV_CHAIN_ID), dev_account(0),
                    plan_for_project(project.load_config(), old, dev_account(0).address),
                    "development", project.journal_dir / "deploy-development.json",
                    project.deployment_path("development"))
    mint(url, project, record.address, CUSTOMER.address, 2)
    cli = Cli(project.root)
    code, report = verify(cli, url, 2)
    assert (code, report["verdict"]) == (0, "authentic"), report
    assert "scheme images-sha256" in report["checks"][-1]["detail"]
    code, summary = run_json(cli, url, "audit")
    assert (code, summary["counts"]) == (0, {"authentic": 2}), summary
    rename_and_repoint(url, project, record.address, world["tmp"] / "old-renamed")
    with Gateway(BlockStore(project.store_dir)) as gw:
        code, report = verify(world["outside"], url, 1, "--contract", record.address, "--issuer",
                              record.issuer, "--chain-id", str(DEV_CHAIN_ID), "--gateway", gw.url)
    assert (code, report["verdict"]) == (0, "authentic"), report
    assert "scheme images-sha256" in report["checks"][-1]["detail"]


def test_verify_and_audit_agree_on_ganache(world, tmp_path) -> None:
    """The same verdict and deciding check from verify and audit for every token of a collection
    read from ganache (batched owners, one tokenURI call, one listing), with token 2's metadata
    and token 3's image served altered by a gateway, token 4 burned, 5 and 6 never minted; with
    the manifest and without it."""
    from nft_toolkit.verify.audit import audit, deciding_check
    from nft_toolkit.verify.sources import IpfsContent, Web3Reader
    from nft_toolkit.verify.trust import Trust, trust_from_manifest, verify_token
    from nft_toolkit.ipfs.retrieval import GatewaySource

    url = world["url"]
    project, record = deployed_project(world["tmp"] / "agree", url, max_supply=6, size=6)
    mint(url, project, record.address, CUSTOMER.address, 4)
    send(url, CUSTOMER, Chain(url, DEV_CHAIN_ID).collection(record.address).functions.burn(4))
    m, store = manifest(project), BlockStore(project.store_dir)
    lies = {m.tokens[2].metadata_cid: store.get_block(m.tokens[2].metadata_cid)
            .replace(b"Horse", b"H0rse"),
            m.tokens[3].image_cid: store.get_block(m.tokens[5].image_cid)}
    chain = Web3Reader(Chain(url, DEV_CHAIN_ID))
    with Gateway(LyingSource(store, lies)) as gw:
        content = IpfsContent(GatewaySource(gw.url))
        for trust in (trust_from_manifest(record.address, record.issuer, DEV_CHAIN_ID, m),
                      Trust(record.address, record.issuer, DEV_CHAIN_ID)):
            result = audit(chain, content, trust)
            seen = []
            for token_id in range(0, 8):
                report = verify_token(chain, content, trust, token_id)
                deciding = deciding_check(report)
                verified = (report.verdict.value, deciding.name if deciding else "")
                audited = result.result(token_id)
                assert (audited.verdict.value, audited.check) == verified, token_id
                seen.append(verified)
            assert seen[1:5] == ([("authentic", ""), ("tampered", "metadata"),
                                  ("tampered", "image"), ("not_minted", "token")]
                                 if trust.items else
                                 [("tampered", "provenance"), ("tampered", "metadata"),
                                  ("tampered", "image"), ("not_minted", "token")])
