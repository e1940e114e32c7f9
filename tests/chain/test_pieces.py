"""Networks file, accounts, journal and batch planning: the parts under deploy and mint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

from nft_toolkit.chain.accounts import (PASSWORD_ENV, PRIVATE_KEY_ENV, dev_account, from_env,
                                        from_keystore)
from nft_toolkit.chain.airdrop import read_airdrop
from nft_toolkit.chain.deployer import MAX_SUPPLY_LIMIT, CollectionParams
from nft_toolkit.chain.minter import plan_batches
from nft_toolkit.chain.networks import load_networks, resolve_network
from nft_toolkit.errors import ConfigError, InputError
from nft_toolkit.journal import Journal

A = dev_account(1).address
B = dev_account(2).address


def test_dev_accounts_are_ganaches() -> None:
    # Well-known addresses of the public test mnemonic; ganache derives the same.
    assert dev_account(0).address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    with pytest.raises(InputError):
        dev_account(10)


def test_networks_file(tmp_path: Path) -> None:
    path = tmp_path / "networks.yaml"
    path.write_text("sepolia:\n  rpc_url: https://rpc.example/${KEY}\n  chain_id: 11155111\n")
    known = load_networks(path)
    net = resolve_network("sepolia", None, None, known, 1337)
    assert (net.chain_id, net.confirmations) == (11155111, 2)
    with pytest.raises(ConfigError, match="unknown network 'mainnet'"):
        resolve_network("mainnet", None, None, known, 1337)
    with pytest.raises(ConfigError, match="not --chain-id 5"):
        resolve_network("sepolia", None, 5, known, 1337)
    path.write_text("sepolia:\n  rpc_url: https://x\n")
    with pytest.raises(ConfigError, match="chain_id"):
        load_networks(path)
    path.write_text("sepolia: [unclosed\n")
    with pytest.raises(ConfigError, match="invalid YAML at line") as exc:
        load_networks(path)
    assert "\n" not in str(exc.value)


def test_keystore_and_env_key_never_echo_the_secret(tmp_path: Path) -> None:
    account = Account.create()
    keystore = tmp_path / "k.json"
    keystore.write_text(json.dumps(Account.encrypt(account.key, "pw", iterations=2)))
    assert from_keystore(keystore, env={PASSWORD_ENV: "pw"}).address == account.address
    assert from_keystore(keystore, ask_password=lambda _: "pw", env={}).address == account.address
    with pytest.raises(ConfigError, match="wrong password") as exc:
        from_keystore(keystore, env={PASSWORD_ENV: "nope"})
    assert "nope" not in str(exc.value)
    assert from_env({PRIVATE_KEY_ENV: account.key.hex()}).address == account.address
    with pytest.raises(ConfigError) as exc:
        from_env({PRIVATE_KEY_ENV: "0xdeadbeefsecret"})
    assert "deadbeef" not in str(exc.value)


def test_journal_drops_a_torn_last_record(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append({"type": "plan", "n": 1})
    with open(journal.path, "ab") as fh:
        fh.write(b'{"type": "sen')  # a crash mid-write
    assert journal.records() == [{"type": "plan", "n": 1}]
    journal.append({"type": "done", "n": 2})
    assert journal.records() == [{"type": "plan", "n": 1}, {"type": "done", "n": 2}]

    journal.path.write_bytes(b'{"type": "plan"}\nnot json\n{"type": "done"}\n')  # damaged, not torn
    with pytest.raises(InputError, match=r"j.jsonl:2 is not a journal record"):
        journal.records()


def test_batches_cover_the_plan_in_order() -> None:
    batches = plan_batches([(A, 5), (B, 3), (A, 1)], first=11, batch_size=4)
    assert [(b.first, b.last) for b in batches] == [(11, 14), (15, 18), (19, 19)]
    assert [o for b in batches for o in b.owners()] == [A] * 5 + [B] * 3 + [A]
    assert batches[1].recipients == (A, B) and batches[1].counts == (1, 3)


def test_airdrop_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"address,count\n{A},2\n{B}\n")
    assert read_airdrop(path) == [(A, 2), (B, 1)]
    path.write_text(f"address,count\n{A},2\n0x123,1\n")
    with pytest.raises(InputError, match=":3: address"):
        read_airdrop(path)


def test_collection_params_refuse_a_cap_the_contract_would_clamp() -> None:
    issuer = dev_account(0).address
    assert CollectionParams("Horse", "H", 2026, MAX_SUPPLY_LIMIT, issuer, 500).max_supply == 2**32 - 1
    for cap in (0, MAX_SUPPLY_LIMIT + 1):
        with pytest.raises(InputError, match="max supply must be within 1..4,294,967,295"):
            CollectionParams("Horse", "H", 2026, cap, issuer, 500)


def test_a_collection_without_a_zodiac_year_deploys_with_year_0() -> None:
    """An artist's collection (layers, no `year`) passes 0, the contract's "no zodiac year"."""
    issuer = dev_account(0).address
    assert CollectionParams("Eyes", "EYES", 0, 10, issuer, 500).year == 0
    for year in (-1, 65536):
        with pytest.raises(InputError, match="zodiac year"):
            CollectionParams("Eyes", "EYES", year, 10, issuer, 500)
