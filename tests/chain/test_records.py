"""The typed records of the mint journal and the pending-deployment file, read from what earlier
versions wrote to disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.deployer import PendingDeployment, read_pending
from nft_toolkit.chain.client import Chain, SignedTx
from nft_toolkit.chain.minter import (AIRDROP, MINT, SAFE_MINT, Batch, DoneRecord, EndRecord,
                                      Minter, MintPlan, PlanRecord, ReplanRecord, SentRecord,
                                      UnsentRecord, mint_record_json, read_mint_journal)
from nft_toolkit.errors import ContractError, InputError
from nft_toolkit.journal import Journal

A = dev_account(1).address
B = dev_account(2).address
C = "0x" + "12" * 20
TX = SignedTx("0x" + "ab" * 32, 7, "0x02f8")

# Lines as the mint journal held them before batches named their function.
OLD_JOURNAL = (
    f'{{"allocations":[["{A}",1],["{B}",2]],"batches":[{{"counts":[1],"first":1,"index":0,'
    f'"last":1,"recipients":["{A}"]}},{{"counts":[2],"first":2,"index":1,"last":3,'
    f'"recipients":["{B}"]}}],"chain_id":1337,"contract":"{C}","first":1,"minter":"{A}",'
    '"run":"r1","type":"plan"}\n'
    f'{{"batch":0,"hash":"{TX.hash}","nonce":7,"raw":"0x02f8","run":"r1","type":"sent"}}\n'
    f'{{"batch":0,"hash":"{TX.hash}","run":"r1","type":"done"}}\n'
    '{"batch":1,"hash":null,"run":"r1","type":"done"}\n'
    '{"run":"r1","type":"complete"}\n'
)


def test_an_old_mint_journal_reads_as_typed_records(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "mint.jsonl")
    journal.path.write_text(OLD_JOURNAL)
    plan, sent, done, undone, end = read_mint_journal(journal)
    assert isinstance(plan, PlanRecord)
    assert plan.plan.allocations == ((A, 1), (B, 2)) and plan.plan.last == 3
    assert [b.function for b in plan.plan.batches] == [MINT, MINT]  # one recipient each
    assert sent == SentRecord("r1", 0, TX)
    assert (done, undone) == (DoneRecord("r1", 0, TX.hash), DoneRecord("r1", 1, None))
    assert end == EndRecord("r1", "complete")


def test_records_are_written_as_before(tmp_path: Path) -> None:
    old = Journal(tmp_path / "old.jsonl")
    old.path.write_text(OLD_JOURNAL)
    new = Journal(tmp_path / "new.jsonl")
    for record in read_mint_journal(old):
        new.append(mint_record_json(record))
    expected = old.records()
    for batch in expected[0]["batches"]:
        batch["function"] = MINT  # the fields a plan gained: each batch's function
    expected[0]["deployment"] = None  # and the deployment's block hash (unknown: any)
    assert new.records() == expected


def test_every_record_kind_round_trips(tmp_path: Path) -> None:
    batches = (Batch(0, 5, 6, (A, B), (1, 1), AIRDROP), Batch(1, 7, 7, (C,), (1,), SAFE_MINT))
    records = [PlanRecord(MintPlan("r2", C, 1337, A, ((A, 1), (B, 1), (C, 1)), 5, batches,
                                   "0x" + "ab" * 32)),
               SentRecord("r2", 0, TX), DoneRecord("r2", 0, None),
               ReplanRecord("r2", (Batch(1, 9, 9, (C,), (1,), SAFE_MINT),)),
               UnsentRecord("r2", (1, 2)), EndRecord("r2", "abandoned")]
    journal = Journal(tmp_path / "mint.jsonl")
    journal.append(mint_record_json(records[0]))
    journal.append_many([mint_record_json(r) for r in records[1:]])  # one write, one sync
    assert read_mint_journal(journal) == records


def test_an_unsent_record_forgets_the_transactions_signed_ahead(tmp_path: Path) -> None:
    # A run stopped (a batch reverted) with batches 1 and 2 signed ahead and never sent: a
    # resumed run must not settle them (their nonces go to the batches signed afresh).
    journal = Journal(tmp_path / "mint.jsonl")
    plan = MintPlan("r3", C, 1337, A, ((A, 1), (B, 1), (C, 1)), 5,
                    tuple(Batch(i, 5 + i, 5 + i, (r,), (1,)) for i, r in enumerate((A, B, C))))
    later = SentRecord("r3", 2, TX)
    for record in (PlanRecord(plan), SentRecord("r3", 0, TX), SentRecord("r3", 1, TX), later,
                   UnsentRecord("r3", (1, 2))):
        journal.append(mint_record_json(record))
    m = Minter(Chain("http://127.0.0.1:9", 1337), dev_account(0), C, journal)
    found = m.pending()
    assert found is not None and set(found[1]) == {0}


def test_an_unknown_record_type_is_skipped_and_a_bad_field_named(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "mint.jsonl")
    journal.path.write_text('{"type":"note","text":"a later version"}\n'
                            '{"run":"r1","type":"complete"}\n')
    assert read_mint_journal(journal) == [EndRecord("r1", "complete")]
    journal.path.write_text('{"batch":"0","hash":null,"run":"r1","type":"done"}\n')
    with pytest.raises(InputError) as exc:
        read_mint_journal(journal)
    assert str(exc.value).startswith(f"{journal.path}: record 1 ('done') is not a mint record "
                                     "(batch is '0', not int)")
    journal.path.write_text('{"run":"r1","type":"sent"}\n')
    with pytest.raises(InputError, match=r"record 1 \('sent'\) is not a mint record \(no 'hash'\)"):
        read_mint_journal(journal)


# A pending deployment as the first version wrote it, and one without the optional keys.
OLD_PENDING = {"version": 1, "network": "development", "chain_id": 1337, "issuer": A,
               "plan": {"base_uri": "ipfs://bafy/", "provenance_hash": "0x" + "11" * 32},
               "txs": {"deploy": {"hash": TX.hash, "nonce": 7, "raw": "0x02f8"}},
               "address": C, "transaction": TX.hash, "block": 3}


def test_a_pending_deployment_on_disk_reads_typed(tmp_path: Path) -> None:
    path = tmp_path / "deploy-development.json"
    path.write_text(json.dumps(OLD_PENDING))
    state = read_pending(path)
    assert state == PendingDeployment(1337, A, OLD_PENDING["plan"], "development",
                                      {"deploy": TX}, C, TX.hash, 3)
    assert state is not None and state.as_json() == OLD_PENDING
    bare = {k: v for k, v in OLD_PENDING.items() if k not in ("version", "network")}
    path.write_text(json.dumps({**bare, "txs": {}, "address": None, "transaction": None,
                                "block": None}))
    assert read_pending(path) == PendingDeployment(1337, A, OLD_PENDING["plan"])
    assert read_pending(tmp_path / "none.json") is None


@pytest.mark.parametrize("change, why", [
    ({"chain_id": "1337"}, "chain_id is '1337', not int"),
    ({"txs": {"deploy": {"hash": TX.hash, "raw": "0x"}}}, "no 'nonce'"),
    ({"transaction": None}, "a contract address without its transaction and block"),
    ({"plan": None}, "its plan and txs are not objects"),
])
def test_a_pending_deployment_not_written_here_is_named(tmp_path: Path, change: dict[str, object],
                                                       why: str) -> None:
    path = tmp_path / "deploy-development.json"
    path.write_text(json.dumps({**OLD_PENDING, **change}))
    with pytest.raises(ContractError) as exc:
        read_pending(path)
    assert str(exc.value) == (f"pending deployment {path} is not one this tool wrote ({why}); "
                              "delete it to start over")
