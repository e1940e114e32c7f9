"""The issuer's path end to end, as a user runs it, on each chain client: ganache (shanghai,
EIP-1559), anvil without a fee market (berlin, gas price 0, like many permissioned chains) and
anvil at its current hardfork (EIP-1559).

One project is made once with the real `init`, `generate` and `pin`; on each client a copy of it
is deployed, minted with a run killed mid-way (SIGKILL) and run again, minted again (refused as
done), verified and audited. The fee kind of each transaction is read back from the chain.
"""

from __future__ import annotations

import json
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from web3 import HTTPProvider, Web3

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import PRIVATE_KEY_ENV, dev_account
from nft_toolkit.chain.local import DEV_CHAIN_ID, free_port
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.anvil import anvil
from tests.support.cli import CUSTOMER, Cli, cli_env

SIZE = 24
ISSUER = dev_account(0)
CLIENTS = {  # name: anvil's arguments (None: ganache through `chain start`)
    "ganache-shanghai": None,
    "anvil-berlin-gas-price-0": ("--hardfork", "berlin", "--gas-price", "0"),
    "anvil-current": (),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `init`, `generate` and `pin`, as a user makes one."""
    root = tmp_path_factory.mktemp("clients") / "horse"
    cli = Cli(root.parent)
    out = cli("init", str(root), "--year", "2026", "--size", str(SIZE), "--seed", "7")
    assert out.returncode == 0, out.stderr
    for step in ("generate", "pin"):
        out = Cli(root)(step)
        assert out.returncode == 0, out.stderr
    return root


@contextmanager
def client(name: str, root: Path) -> Iterator[tuple[Cli, tuple[str, ...], str, int]]:
    """The CLI of the project at `root` on client `name`, the network options to give, and the
    chain's URL and ID. On anvil the network comes from networks.yaml: without a fee market the
    issuer is an external signer (anvil holds the account; this process no key), else the
    environment's key."""
    args = CLIENTS[name]
    if args is None:
        cli = Cli(root, cli_env(NFT_TOOLKIT_CHAIN_PORT=str(free_port())))
        out = cli("chain", "start", "--json")
        assert out.returncode == 0, out.stderr
        try:
            yield cli, (), json.loads(out.stdout)["url"], DEV_CHAIN_ID
        finally:
            cli("chain", "stop")
        return
    with anvil(*args) as node:
        entry = f"bank:\n  rpc_url: {node.url}\n  chain_id: {node.chain_id}\n"
        if "berlin" in args:
            entry += f"  signer_url: {node.url}\n  from: \"{ISSUER.address}\"\n"
            env = cli_env()
        else:
            env = {**cli_env(), PRIVATE_KEY_ENV: ISSUER.key.hex()}
        (root / "networks.yaml").write_text(entry)
        yield Cli(root, env), ("--network", "bank"), node.url, node.chain_id


def _records(journal: Path) -> list[dict]:
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_bytes().split(b"\n")[:-1] if line.strip()]


@pytest.mark.parametrize("name", CLIENTS)
def test_issuer_path_on_each_client(name: str, template: Path, tmp_path: Path) -> None:
    root = tmp_path / "horse"
    shutil.copytree(template, root)
    project = Project(root)
    outputs: list[str] = []
    with client(name, root) as (cli, net, url, chain_id):
        network = net[1] if net else "development"

        def run(*args: str, code: int = 0) -> str:
            out = cli(*args, *net)
            outputs.extend([out.stdout, out.stderr])
            assert out.returncode == code, out.stderr
            assert "Traceback" not in out.stderr
            return out.stdout

        run("deploy")
        record = load_record(project.deployment_path(network))
        assert (record.chain_id, record.issuer) == (chain_id, ISSUER.address)
        w3 = Web3(HTTPProvider(url))
        deployment = w3.eth.get_transaction(record.transaction)
        if "berlin" in name:  # no fee market: a legacy transaction at the node's price, 0
            assert "baseFeePerGas" not in w3.eth.get_block("latest")
            assert deployment["type"] == 0 and deployment["gasPrice"] == 0
        else:
            assert deployment["type"] == 2 and deployment["maxFeePerGas"] > 0

        journal = project.journal_dir / f"mint-{network}.jsonl"
        mint = ("mint", "--to", CUSTOMER, "--count", str(SIZE), "--batch-size", "1")
        proc = cli.popen(*mint, *net)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if sum(r["type"] == "sent" for r in _records(journal)) >= 3:
                break
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        outputs.extend(proc.communicate(timeout=30))
        done = sum(r["type"] == "done" for r in _records(journal))
        assert done < SIZE, "the kill must land before the run ends"

        summary = json.loads(run(*mint, "--json"))
        assert summary["resumed"] and (summary["first"], summary["last"]) == (1, SIZE)
        contract = w3.eth.contract(address=record.address, abi=load_artifact().abi)
        assert contract.functions.totalMinted().call() == SIZE
        assert contract.functions.ownersInRange(1, SIZE).call() == [CUSTOMER] * SIZE
        records = _records(journal)
        assert [r["type"] for r in records].count("complete") == 1
        assert sorted(r["batch"] for r in records if r["type"] == "done") == list(range(SIZE))

        out = cli(*mint, *net)
        assert out.returncode == 2 and "already completed" in out.stderr
        assert contract.functions.totalMinted().call() == SIZE

        report = json.loads(run("verify", "5", "--json"))
        assert report["verdict"] == "authentic" and report["chain_id"] == chain_id
        run("audit")
    secret = ISSUER.key.hex().removeprefix("0x")
    assert not [o for o in outputs if secret in o.lower()]
    # ganache's own log lists the public development mnemonic's keys: not the toolkit's files
    files = [p for p in root.rglob("*") if p.is_file() and project.chain_dir not in p.parents]
    assert files and not [p for p in files if secret.encode() in p.read_bytes().lower()]



@pytest.mark.parametrize("entry, code, said", [
    ("  fees: eip1559\n", 2, "fees: eip1559, but bank has no base fee"),
    ("  fees: cheap\n", 2, "bank.fees: 'cheap' is not a fee kind"),
    (f"  signer_url: http://issuer:s3cret@127.0.0.1:{free_port()}\n  from: \"{ISSUER.address}\"\n",
     3, "the signer at http://***@127.0.0.1:"),
], ids=["eip1559-forced-on-berlin", "bad-fees", "unreachable-signer"])
def test_a_fee_or_signer_mistake_is_one_line_and_sends_nothing(template: Path, tmp_path: Path,
                                                                entry: str, code: int,
                                                                said: str) -> None:
    root = tmp_path / "horse"
    shutil.copytree(template, root)
    with anvil("--hardfork", "berlin", "--gas-price", "0") as node:
        (root / "networks.yaml").write_text(
            f"bank:\n  rpc_url: {node.url}\n  chain_id: {node.chain_id}\n" + entry)
        env = {**cli_env(), PRIVATE_KEY_ENV: ISSUER.key.hex()} if "signer_url" not in entry \
            else cli_env()
        out = Cli(root, env)("deploy", "--network", "bank")
        assert out.returncode == code and said in out.stderr, out.stderr
        lines = out.stderr.strip().splitlines()
        assert lines[-1].startswith("error: ") and "Traceback" not in out.stderr
        assert "s3cret" not in out.stderr and ISSUER.key.hex()[2:] not in out.stderr
        nonce = Web3(HTTPProvider(node.url)).eth.get_transaction_count(ISSUER.address)
        assert nonce == 0  # nothing sent


def test_verbose_output_names_no_signer_password_nor_rpc_key(template: Path, tmp_path: Path) -> None:
    """`-v` shows web3's and urllib3's debug lines, which name every endpoint called."""
    root = tmp_path / "horse"
    shutil.copytree(template, root)
    with anvil("--hardfork", "berlin", "--gas-price", "0") as node:
        signer = node.url.replace("http://", "http://issuer:S3CRETPW@")
        out = Cli(root)("-v", "deploy", "--rpc-url", f"{node.url}/?apikey=APIKEY1", "--chain-id",
                        str(node.chain_id), "--signer-url", signer, "--from", ISSUER.address)
        assert out.returncode == 0, out.stderr[-2000:]
    assert "eth_signTransaction" in out.stderr and "DEBUG" in out.stderr  # the lines are there
    for secret in ("S3CRETPW", "APIKEY1"):
        assert secret not in out.stdout + out.stderr
        assert not [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_the_development_chain_can_be_anvil_without_a_fee_market(template: Path,
                                                                   tmp_path: Path) -> None:
    """`chain start --client anvil --hardfork berlin --gas-price 0`: the project's own chain
    without EIP-1559; its client, settings and state stay with its data across a stop."""
    root = tmp_path / "horse"
    shutil.copytree(template, root)
    cli = Cli(root, cli_env(NFT_TOOLKIT_CHAIN_PORT=str(free_port())))
    try:
        code, started = cli.json("chain", "start", "--client", "anvil", "--hardfork", "berlin",
                                 "--gas-price", "0")
        assert code == 0 and (started["client"], started["hardfork"], started["gas_price"]) == (
            "anvil", "berlin", 0)
        assert cli("deploy").returncode == 0
        assert cli("mint", "--to", CUSTOMER, "--count", "2").returncode == 0
        record = load_record(Project(root).deployment_path("development"))
        w3 = Web3(HTTPProvider(started["url"]))
        assert w3.eth.get_transaction(record.transaction)["type"] == 0
        assert cli("chain", "stop").returncode == 0

        code, again = cli.json("chain", "start")  # no options: the same client and state
        assert code == 0 and again["client"] == "anvil" and again["hardfork"] == "berlin"
        code, report = cli.json("verify", "2")
        assert code == 0 and report["verdict"] == "authentic"
        out = cli("chain", "start", "--client", "ganache")
        assert out.returncode == 2 and "already runs with other settings" in out.stderr
        cli("chain", "stop")
        out = cli("chain", "start", "--client", "ganache")
        assert out.returncode == 2 and "belongs to client=anvil hardfork=berlin" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    finally:
        cli("chain", "stop")
