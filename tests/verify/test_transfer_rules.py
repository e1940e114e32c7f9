"""The verifier reports the collection's transfer policy and, under gift_after_hold, the owner's
hold: the pure figures, then on a real chain (ganache, time moved with evm_increaseTime) for the
shipped release and for a collection of release 1, which has no policy functions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.deployer import deploy, plan_for_project
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.chain.minter import Minter
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.journal import Journal
from nft_toolkit.policy import DAY
from nft_toolkit.verify.audit import audit
from nft_toolkit.verify.holding import TransferRules, iso
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import IpfsContent, Web3Reader
from nft_toolkit.verify.trust import Trust, trust_from_manifest, verify_token
from tests.support.collection import build_collection
from tests.support.harness import LocalChainProcess

CUSTOMER = dev_account(1)
RELEASE1 = Path(__file__).resolve().parents[1] / "support" / "release1_bytecode.json"


def test_the_figures_of_a_hold() -> None:
    since = 1_790_000_000
    early = TransferRules("gift_after_hold", 30, since, since + 3 * DAY + 7200)
    assert early.transferable_at == since + 30 * DAY and early.held_seconds == 3 * DAY + 7200
    out = early.as_json()
    assert out == {"policy": "gift_after_hold", "hold_days": 30, "held_since": iso(since),
                   "held_seconds": 3 * DAY + 7200, "transferable_at": iso(since + 30 * DAY),
                   "transferable_now": False, "as_of": iso(since + 3 * DAY + 7200)}
    assert iso(since) == "2026-09-21T14:13:20Z"  # date -u -d @1790000000
    assert "held 3 days 2 hours since" in early.describe()
    assert iso(since + 30 * DAY) in early.describe()
    # one day, one hour: singular (not "1 days", "held 1 days 0 h")
    one = TransferRules("gift_after_hold", 1, since, since + DAY + 3600)
    assert "after holding it 1 day;" in one.describe(), one.describe()
    assert "held 1 day 1 hour since" in one.describe() and "may be given now" in one.describe()
    assert early.held_for == (3, 2) and early.transferable_now is False
    assert replace(early, as_of=since + 30 * DAY).as_json()["transferable_now"] is True
    assert replace(early, as_of=since + 30 * DAY - 1).as_json()["transferable_now"] is False
    assert TransferRules("free").as_json() == {"policy": "free", "hold_days": 0}
    assert "soulbound" in TransferRules("non_transferable").describe()


@pytest.fixture(scope="module")
def chain_url(tmp_path_factory: pytest.TempPathFactory):
    local = LocalChainProcess(tmp_path_factory.mktemp("home"))
    try:
        yield local.start()
    finally:
        local.stop()


def test_verify_shows_the_hold_and_when_it_ends(chain_url: str, tmp_path: Path) -> None:
    project = build_collection(tmp_path / "gift", 3)
    issuer = dev_account(0)
    plan = plan_for_project(project.load_config(), Manifest.load(project.manifest_path), issuer.address)
    plan = replace(plan, params=replace(plan.params, transfer_policy="gift_after_hold", hold_days=30))
    chain = Chain(chain_url, DEV_CHAIN_ID)
    record = deploy(chain, issuer, plan, "development", project.journal_dir / "deploy.json",
                    project.deployment_path("development"))
    assert (record.transfer_policy, record.hold_days) == ("gift_after_hold", 30)
    Minter(chain, issuer, record.address, Journal(project.journal_dir / "mint.jsonl")).mint(
        [(CUSTOMER.address, 2)], batch_size=2)
    since = chain.collection(record.address).functions.heldSince(2).call()
    trust = trust_from_manifest(record.address, record.issuer, DEV_CHAIN_ID,
                                Manifest.load(project.manifest_path))
    content = IpfsContent(BlockStore(project.store_dir))

    report = verify_token(Web3Reader(chain), content, trust, 2)
    assert report.verdict is Verdict.AUTHENTIC, report.as_json()
    rules = report.as_json()["transfer_policy"]
    assert rules["policy"] == "gift_after_hold" and rules["hold_days"] == 30
    assert rules["held_since"] == iso(since) and rules["transferable_at"] == iso(since + 30 * DAY)
    assert rules["transferable_now"] is False and rules["held_seconds"] < DAY

    # An audit states the policy once, for the collection, and reads no hold per token.
    assert audit(Web3Reader(chain), content, trust).as_json()["transfer_policy"] == {
        "policy": "gift_after_hold", "hold_days": 30}

    chain.w3.provider.make_request("evm_increaseTime", [31 * DAY])
    chain.w3.provider.make_request("evm_mine", [])
    rules = verify_token(Web3Reader(chain), content, trust, 2).as_json()["transfer_policy"]
    assert rules["transferable_now"] is True and 31 * DAY <= rules["held_seconds"] < 32 * DAY


@pytest.mark.parametrize("soulbound", [False, True], ids=["free", "non_transferable"])
def test_a_release_1_collection_reports_what_it_enforces(chain_url: str, soulbound: bool) -> None:
    chain = Chain(chain_url, DEV_CHAIN_ID)
    artifact = load_artifact()
    w3 = chain.w3
    issuer = w3.eth.accounts[0]
    factory = w3.eth.contract(abi=artifact.releases[0].abi,
                              bytecode=json.loads(RELEASE1.read_text())["bytecode"])
    tx = factory.constructor("Old", "OLD", 2026, 5, issuer, 0, soulbound).transact({"from": issuer})
    address = w3.eth.wait_for_transaction_receipt(tx)["contractAddress"]
    assert artifact.release_of(chain.code(address)).release == 1
    old = w3.eth.contract(address=address, abi=artifact.releases[0].abi)
    w3.eth.wait_for_transaction_receipt(old.functions.mint(CUSTOMER.address, 1).transact({"from": issuer}))
    # No base URI was set: the content links fail after the token link; the policy is read first.
    report = verify_token(Web3Reader(chain), IpfsContent(BlockStore(Path("/nonexistent"))),
                          Trust(address, issuer, DEV_CHAIN_ID), 1)
    assert [c.name for c in report.checks[:4]] == ["contract", "runtime_code", "issuer", "token"]
    assert all(c.ok for c in report.checks[:4]) and "release 1 " in report.checks[1].detail
    assert report.as_json()["transfer_policy"] == {
        "policy": "non_transferable" if soulbound else "free", "hold_days": 0}
