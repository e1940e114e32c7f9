"""The gas of a guarded mint's batches: one estimate per batch shape, of fresh recipients, enough
for every batch of that shape (nft_toolkit.chain.batchgas), and the batches' call data."""

from __future__ import annotations

import hashlib
from pathlib import Path

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.batchgas import LOG_FLUSH_GAS, GasBook, estimates_pending, probe_recipients
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.chain.minter import AIRDROP, Batch, Minter, SentRecord, read_mint_journal
from nft_toolkit.chain.inflight import gas_limit
from nft_toolkit.journal import Journal
from tests.support.anvil import anvil
from tests.support.endpoint import Endpoint
from tests.support.harness import deployed_project

ISSUER = dev_account(0)


def fresh(n: int, salt: str) -> list[str]:
    """`n` distinct addresses that hold nothing (hash tails)."""
    return [to_checksum_address(hashlib.sha256(f"{salt} {i}".encode()).digest()[:20])
            for i in range(n)]


def test_probe_recipients_are_distinct_addresses_and_the_same_each_time() -> None:
    probes = probe_recipients(300)
    assert len(set(probes)) == 300 and all(len(p) == 20 for p in probes)
    assert probe_recipients(3) == probes[:3]


def test_a_shape_that_mints_several_tokens_to_one_recipient_gets_a_log_flush_more() -> None:
    book = GasBook()
    assert book.put(("airdrop", (1, 1)), 100_000) == 100_000
    assert book.put(("airdrop", (1, 3)), 100_000) == 100_000 + LOG_FLUSH_GAS
    assert book.get(("airdrop", (1, 3))) == 100_000 + LOG_FLUSH_GAS
    assert book.get(("mint", (1,))) is None


def test_only_ganache_is_never_asked_an_estimate_behind_transactions_in_flight() -> None:
    # web3_clientVersion as each answers it; ganache's estimate runs on its moving live state
    assert not estimates_pending("Ganache/v7.9.2/EthereumJS TestRPC/v7.9.2/ethereum-js")
    assert estimates_pending("anvil/v1.7.1")
    assert estimates_pending("Geth/v1.14.0-stable/linux-amd64/go1.22.2")
    assert estimates_pending("besu/v24.1.0/linux-x86_64/openjdk-java-17")


def test_an_airdrop_batch_is_the_call_data_of_its_address_array(tmp_path: Path) -> None:
    recipients = tuple(fresh(3, "encode"))
    m = Minter(Chain("http://127.0.0.1:9", DEV_CHAIN_ID), ISSUER, "0x" + "12" * 20,
               Journal(tmp_path / "j.jsonl"))
    call = m._call(Batch(0, 7, 10, recipients, (1, 2, 1), AIRDROP), gas=1)
    selector = keccak(text="airdrop(address[],uint256[],uint256)")[:4]
    assert call.data == "0x" + (selector + encode(["address[]", "uint256[]", "uint256"],
                                                  [list(recipients), [1, 2, 1], 7])).hex()


def test_one_estimate_per_batch_shape_is_enough_gas_for_each_batch(tmp_path: Path) -> None:
    # The first batch goes to accounts that already hold a token (each balance slot already
    # set: the cheapest recipients), the later ones to addresses that hold nothing: the shape's
    # gas, estimated once with fresh recipients, must cover them all.
    holders = [dev_account(i).address for i in range(1, 5)]
    with anvil(chain_id=DEV_CHAIN_ID) as node:
        _, record = deployed_project(tmp_path / "p", node.url, max_supply=30)
        Minter(Chain(node.url, DEV_CHAIN_ID), ISSUER, record.address,
               Journal(tmp_path / "first.jsonl")).mint([(h, 1) for h in holders])
        newcomers = fresh(12, "gas")
        allocations = [(a, 1) for a in holders + newcomers] + [(newcomers[0], 2)]
        with Endpoint(node.url) as proxy:
            journal = Journal(tmp_path / "drop.jsonl")
            m = Minter(Chain(proxy.url, DEV_CHAIN_ID), ISSUER, record.address, journal)
            result = m.mint(allocations, batch_size=4, max_in_flight=16)
            estimates = len(proxy.served("eth_estimateGas"))
        owners = Chain(node.url, DEV_CHAIN_ID).owners(record.address, 5, 22)
    # two shapes: four recipients of one token each (4 batches), one recipient of two
    assert [len(b.batch.recipients) for b in result.batches] == [4, 4, 4, 4, 1]
    assert estimates == 2
    assert owners == holders + newcomers + [newcomers[0]] * 2
    limits = [gas_limit(r.tx.raw) for r in read_mint_journal(journal) if isinstance(r, SentRecord)]
    used = [b.gas_used for b in result.batches]
    assert len(limits) == 5 and all(u <= lim for u, lim in zip(used, limits))
    assert used[0] < used[1]  # the holders' batch was the cheap one
