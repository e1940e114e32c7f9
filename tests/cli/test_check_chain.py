"""`nft-toolkit check` reads the network deploy and mint would use (chain ID, reachability, the
signing account, its fee kind and balance) and says what they would do, on anvil as a
permissioned chain (chain 8848, no fee market, gas price 0) and at its current hardfork."""

from __future__ import annotations

import json
from pathlib import Path

from eth_account import Account

from nft_toolkit.chain.accounts import PRIVATE_KEY_ENV, dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.anvil import anvil
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.collection import build_collection

ISSUER = dev_account(0)


def _with_key(key: str) -> dict[str, str]:
    return {**cli_env(), PRIVATE_KEY_ENV: key}  # cli_env drops the caller's secrets


def _failed(report: dict) -> dict[str, str]:
    return {f["name"]: f["detail"] for f in report["findings"] if not f["ok"]}


def test_check_reads_the_chain_and_describes_deploy_and_mint(tmp_path: Path) -> None:
    build_collection(tmp_path / "p", 3)
    cli = Cli(tmp_path / "p", _with_key(ISSUER.key.hex()))
    with anvil("--hardfork", "berlin", "--gas-price", "0", chain_id=8848) as node:
        wrong = ("--rpc-url", node.url, "--chain-id", "1")
        out = cli("check", *wrong, "--json")
        assert out.returncode == 2 and "8848" in _failed(json.loads(out.stdout))["chain"]
        nobody = ("--rpc-url", f"http://127.0.0.1:{free_port()}", "--chain-id", "1")
        out = cli("check", *nobody, "--json")
        assert out.returncode == 2 and "does not answer" in _failed(json.loads(out.stdout))["chain"]

        right = ("--rpc-url", node.url, "--chain-id", "8848")
        out = cli("check", *right, "--to", CUSTOMER, "--count", "2", "--json")
        assert out.returncode == 0, out.stdout
        report = json.loads(out.stdout)
        assert report["issuer"] == ISSUER.address and report["network"]["chain_id"] == 8848
        account = next(f["detail"] for f in report["findings"] if f["name"] == "account")
        assert "legacy" in account and "nothing to pay" in account
        assert (report["mint"]["first"], report["mint"]["last"]) == (1, 2)  # before any deploy
        text = cli("check", *right).stdout
        assert "transfer policy free" in text and ISSUER.address in text and "chain 8848" in text
        assert "deploy would commit" in text

        assert cli("deploy", *right).returncode == 0
        address = load_record(Project(cli.cwd).deployment_path("custom")).address
        out = cli("check", *right)
        assert out.returncode == 0 and "deploy would commit" not in out.stdout
        assert "already deployed on custom (chain 8848) at" in out.stdout
        assert address in out.stdout.replace("\n", "")


def test_check_states_the_balance_where_gas_is_paid(tmp_path: Path) -> None:
    build_collection(tmp_path / "p", 2)
    with anvil(chain_id=4242) as node:  # EIP-1559, a base fee above 0
        right = ("--rpc-url", node.url, "--chain-id", "4242")
        funded = Cli(tmp_path / "p", _with_key(ISSUER.key.hex()))
        code, report = funded.json("check", *right)
        account = next(f["detail"] for f in report["findings"] if f["name"] == "account")
        assert code == 0 and "EIP-1559" in account and "balance" in account
        empty = Cli(tmp_path / "p", _with_key(Account.create().key.hex()))
        code, report = empty.json("check", *right)
        assert code == 2 and "holds 0 wei" in _failed(report)["account"]


def test_a_development_chain_not_running_is_a_note(tmp_path: Path) -> None:
    build_collection(tmp_path / "p", 2)
    cli = Cli(tmp_path / "p", cli_env(NFT_TOOLKIT_CHAIN_PORT=str(free_port())))
    code, report = cli.json("check", "--to", CUSTOMER, "--count", "2")
    assert code == 0 and report["ok"]
    note = next(f for f in report["findings"] if f["name"] == "chain")
    assert note["warning"] and "not running" in note["detail"]
    assert report["mint"]["last"] == 2 and report["issuer"] == ISSUER.address


def test_a_wrong_chain_id_is_the_users_configuration_error(tmp_path: Path) -> None:
    """DESIGN.md: exit 2 for a usage or configuration error, 3 for what cannot be reached."""
    build_collection(tmp_path / "p", 2)
    cli = Cli(tmp_path / "p", _with_key(ISSUER.key.hex()))
    with anvil("--hardfork", "berlin", "--gas-price", "0", chain_id=8848) as node:
        wrong = ("--rpc-url", node.url, "--chain-id", "1")
        out = cli("deploy", *wrong)
        assert out.returncode == 2 and "chain 8848" in out.stderr and "Traceback" not in out.stderr
        assert cli("deploy", "--rpc-url", node.url, "--chain-id", "8848").returncode == 0
        out = cli("mint", *wrong, "--to", CUSTOMER, "--count", "1")
        assert out.returncode == 2 and "chain 8848" in out.stderr and "Traceback" not in out.stderr


def test_check_names_a_keystores_account_without_its_password(tmp_path: Path) -> None:
    project = build_collection(tmp_path / "p", 2)
    keystore = tmp_path / "issuer.json"
    keystore.write_text(json.dumps(Account.encrypt(ISSUER.key, "pw", iterations=2)))
    cli = Cli(tmp_path / "p")  # no key, no password in its environment
    with anvil("--hardfork", "berlin", "--gas-price", "0", chain_id=8848) as node:
        (project.root / "networks.yaml").write_text(
            f"bank:\n  rpc_url: {node.url}\n  chain_id: 8848\n  keystore: {keystore}\n")
        out = cli("check", "-n", "bank")
        assert out.returncode == 0, out.stdout
        text = out.stdout.replace("\n", "")
        assert f"signs as {ISSUER.address}" in text and "on bank (chain 8848)" in text


def test_check_takes_the_signing_options_deploy_and_mint_take(tmp_path: Path) -> None:
    """`check --signer-url URL --from ADDRESS` (and --keystore) checks the account deploy and mint
    would sign with, as they would: a --from the signer does not hold fails the account rule
    (exit 2) before anyone deploys with it. Before, check had no such options."""
    project = build_collection(tmp_path / "p", 2)
    keystore = tmp_path / "other.json"
    other = dev_account(3)
    keystore.write_text(json.dumps(Account.encrypt(other.key, "pw", iterations=2)))
    cli = Cli(project.root)
    with anvil("--hardfork", "berlin", "--gas-price", "0", chain_id=8848) as node:
        right = ("--rpc-url", node.url, "--chain-id", "8848")
        out = cli("check", *right, "--signer-url", node.url, "--from", ISSUER.address, "--json")
        assert out.returncode == 0, out.stdout
        assert json.loads(out.stdout)["signer"] == ISSUER.address
        stranger = Account.create().address  # anvil holds the mnemonic's accounts, not this one
        out = cli("check", *right, "--signer-url", node.url, "--from", stranger, "--json")
        assert out.returncode == 2
        assert f"does not hold {stranger}" in _failed(json.loads(out.stdout))["account"]
        out = cli("check", *right, "--keystore", str(keystore), "--json")  # its address, no password
        assert out.returncode == 0 and json.loads(out.stdout)["signer"] == other.address
        out = cli("check", *right, "--from", ISSUER.address, "--json")
        assert out.returncode == 2 and "give --signer-url too" in _failed(json.loads(out.stdout))["account"]
