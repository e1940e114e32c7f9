"""The issuer's path end to end on ganache: the consistency rule where each step starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nft_toolkit.chain.client import Chain
from nft_toolkit.deployment import load_record
from nft_toolkit.ipfs.publish import prepare
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from nft_toolkit.verify.sources import IpfsContent
from nft_toolkit.verify.trust import ipfs_file_cid
from tests.support.cli import CUSTOMER, Cli, start_project


@pytest.fixture
def project_cli(tmp_path: Path):
    clis: list[Cli] = []

    def make(size: int, max_supply: int | None = None) -> Cli:
        cli = start_project(tmp_path / f"p{len(clis)}", size, max_supply=max_supply)
        clis.append(cli)
        return cli
    yield make
    for cli in clis:
        cli("chain", "stop")


def _chain(cli: Cli) -> tuple[Chain, object]:
    project = Project(cli.cwd)
    url = json.loads((project.chain_dir / "chain.json").read_text())["url"]
    chain = Chain(url, 1337)
    return chain, chain.collection(load_record(project.deployment_path("development")).address)


def test_mint_never_passes_the_items_pinned(project_cli) -> None:
    cli = project_cli(2, max_supply=4)  # a cap kept for later drops
    check = cli("check", "--json")
    assert check.returncode == 0, check.stdout
    assert "2 kept for later drops" in check.stdout
    assert cli("deploy").returncode == 0
    journal = Project(cli.cwd).journal_dir / "mint-development.jsonl"
    out = cli("mint", "--to", CUSTOMER, "--count", "4")
    assert out.returncode == 2 and "only IDs 1..2 have content" in out.stderr
    assert "Traceback" not in out.stderr and not journal.exists()  # nothing planned or sent
    dry = cli("check", "--to", CUSTOMER, "--count", "4", "--json")
    assert dry.returncode == 2
    assert [f["name"] for f in json.loads(dry.stdout)["findings"] if not f["ok"]] == ["mint"]
    assert cli("mint", "--to", CUSTOMER, "--count", "2").returncode == 0
    assert cli("mint", "--to", CUSTOMER, "--count", "1").returncode == 2
    chain, contract = _chain(cli)
    assert chain.call(contract.functions.totalMinted()) == 2


def test_deploy_refuses_a_build_with_a_gap_before_sending(project_cli) -> None:
    cli = project_cli(4)
    project = Project(cli.cwd)
    (project.images_dir / "2.png").unlink()
    (project.metadata_dir / "2.json").unlink()
    out = cli("deploy")
    assert out.returncode == 2 and "2 missing" in out.stderr and "Traceback" not in out.stderr
    assert not project.deployment_path("development").exists()
    url = json.loads((project.chain_dir / "chain.json").read_text())["url"]
    assert Chain(url, 1337).nonce("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") == 0  # nothing sent
    assert cli("check").returncode == 2


def test_repinning_a_frozen_collection_is_refused_and_verify_still_holds(project_cli) -> None:
    cli = project_cli(4)
    project = Project(cli.cwd)
    assert cli("deploy").returncode == 0
    assert cli("mint", "--to", CUSTOMER, "--count", "2").returncode == 0
    meta = project.metadata_dir / "4.json"  # an unminted item, renamed after the freeze
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "name": "Changed"}))
    manifest_before = project.manifest_path.read_bytes()
    out = cli("pin")
    assert out.returncode == 2 and "has frozen its base URI" in out.stderr
    assert project.manifest_path.read_bytes() == manifest_before
    code, report = cli.json("verify", "1")
    assert code == 0 and report["verdict"] == "authentic"


def test_contract_uri_states_the_royalty_the_contract_pays(project_cli) -> None:
    cli = project_cli(3)
    project = Project(cli.cwd)
    with open(project.config_path, "a") as fh:
        fh.write("royalty:\n  bps: 375\n")
    prepare(project, 0)  # as `pin` after editing collection.yaml
    assert cli("deploy").returncode == 0
    chain, contract = _chain(cli)
    receiver, amount = chain.call(contract.functions.royaltyInfo(1, 10_000))
    uri = chain.call(contract.functions.contractURI())
    content = IpfsContent(BlockStore(project.store_dir))
    doc = json.loads(content.file(ipfs_file_cid(uri), 1 << 20))
    assert doc["fee_recipient"] == receiver == load_record(
        project.deployment_path("development")).issuer
    assert doc["seller_fee_basis_points"] == amount == 375
    image = ipfs_file_cid(doc["image"])
    assert image is not None and content.file(image, 1 << 24).startswith(b"\x89PNG")


def test_deploy_force_keeps_the_record_it_replaces_and_asks_before_replacing_minted(
        project_cli, tmp_path: Path) -> None:
    cli = project_cli(3)
    project = Project(cli.cwd)
    record_path = project.deployment_path("development")
    assert cli("deploy").returncode == 0
    first = load_record(record_path)
    assert cli("mint", "--to", CUSTOMER, "--count", "2").returncode == 0
    before = record_path.read_bytes()
    refused = cli("deploy", "--force")
    assert refused.returncode == 2 and "2 token(s) minted" in refused.stderr
    assert "--replace-minted" in refused.stderr and "Traceback" not in refused.stderr
    assert record_path.read_bytes() == before and not project.superseded_dir.exists()
    out = cli("deploy", "--force", "--replace-minted")
    assert out.returncode == 0, out.stderr
    kept = project.superseded_record_path("development", first.address)
    assert kept.read_bytes() == before  # the replaced record, whole
    assert load_record(record_path).address != first.address
    code, report = cli.json("check")
    assert code == 0
    warned = [f["detail"] for f in report["findings"] if f["name"] == "superseded" and f["warning"]]
    assert len(warned) == 1 and first.address in warned[0] and "not official" in warned[0]
    listed = cli("publish-identity", "--domain", "bank.example", "-o", str(tmp_path / "id.json"))
    assert listed.returncode == 0, listed.stderr
    assert f"{first.address} on chain 1337 (" in listed.stdout and "superseded" in listed.stdout
    contracts = {c["contract"] for c in json.loads((tmp_path / "id.json").read_text())["collections"]}
    assert contracts == {first.address, load_record(record_path).address}
