"""Which mints the minter sends by the collection's release: from release 4 on, each batch with
its planned first ID (several in flight); for releases 1 to 3, without the guard, one
transaction in flight at a time, said once in a note."""

from __future__ import annotations

import json
from pathlib import Path

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.chain.minter import Minter, UNGUARDED_NOTE, has_first_id_guard
from nft_toolkit.journal import Journal
from tests.support.anvil import anvil

RELEASE1 = Path(__file__).resolve().parents[1] / "support" / "release1_bytecode.json"
RECIPIENTS = [dev_account(i).address for i in range(1, 5)]


def test_the_releases_that_have_the_guard() -> None:
    artifact = load_artifact()
    guarded = [r.release for r in artifact.releases if has_first_id_guard(r.abi)]
    assert guarded == [r.release for r in artifact.releases if r.release >= 4]
    assert has_first_id_guard(artifact.abi)


def mint_four(chain: Chain, address: str, journal: Path) -> tuple[Minter, list]:
    minter = Minter(chain, dev_account(0), address, Journal(journal))
    result = minter.mint([(r, 1) for r in RECIPIENTS], batch_size=1, max_in_flight=4)
    owners = chain.collection(address).functions.ownersInRange(1, 4).call()
    assert owners == RECIPIENTS
    return minter, result


def test_release_1_keeps_one_transaction_in_flight(tmp_path: Path) -> None:
    artifact = load_artifact()
    with anvil(chain_id=DEV_CHAIN_ID) as node:
        chain = Chain(node.url, DEV_CHAIN_ID)
        w3 = chain.w3
        issuer = dev_account(0).address
        factory = w3.eth.contract(abi=artifact.releases[0].abi,
                                  bytecode=json.loads(RELEASE1.read_text())["bytecode"])
        tx = factory.constructor("Old", "OLD", 2026, 10, issuer, 0, False).transact({"from": issuer})
        address = w3.eth.wait_for_transaction_receipt(tx)["contractAddress"]
        assert artifact.release_of(chain.code(address)).release == 1
        minter, result = mint_four(chain, address, tmp_path / "old.jsonl")
        assert not minter.guarded
        assert result.notes == [UNGUARDED_NOTE.format(release=1)]
        sent = [b for b in result.batches if b.sent_at is not None]
        assert len(sent) == 4
        # each batch left after the previous one's receipt was seen: never two in flight
        assert all(b.sent_at >= a.receipt_at for a, b in zip(sent, sent[1:]))


def test_the_latest_release_sends_each_batch_with_its_first_id(tmp_path: Path) -> None:
    artifact = load_artifact()
    with anvil(chain_id=DEV_CHAIN_ID) as node:
        chain = Chain(node.url, DEV_CHAIN_ID)
        w3 = chain.w3
        issuer = dev_account(0).address
        factory = w3.eth.contract(abi=artifact.abi, bytecode="0x" + artifact.bytecode.hex())
        tx = factory.constructor("New", "NEW", 2026, 10, issuer, 0, 0, 0).transact({"from": issuer})
        address = w3.eth.wait_for_transaction_receipt(tx)["contractAddress"]
        minter, result = mint_four(chain, address, tmp_path / "new.jsonl")
        assert minter.guarded and result.notes == []
        selector = w3.keccak(text="mint(address,uint256,uint256)")[:4]
        for b in result.batches:
            sent = w3.eth.get_transaction(b.tx)
            data = bytes(sent["input"])
            assert data[:4] == selector
            assert int.from_bytes(data[-32:], "big") == b.batch.first  # its planned first ID
