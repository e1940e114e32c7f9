"""A network of several RPC endpoints, as a user runs the CLI against it: one endpoint dies in
the middle of a mint and of an audit (the work completes through the other, with the same
result), every endpoint down, and endpoints of different chains.

The chain is one real anvil; each endpoint is a real HTTP proxy in front of it that dies at a
chosen request (tests/support/endpoint.py): after the node has run that request, the answer is
lost, the connection dropped and the port closed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import HTTPProvider, Web3

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import PRIVATE_KEY_ENV, dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.anvil import Anvil, anvil
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.collection import build_collection
from tests.support.endpoint import Endpoint, two_endpoints

SIZE = 12
ISSUER = dev_account(0)
KEY_PATH = "/v3/0123456789abcdef0123456789abcdef"  # an API key in a URL's path: never shown


@pytest.fixture(scope="module")
def node() -> Iterator[Anvil]:
    with anvil("--hardfork", "berlin", "--gas-price", "0") as n:  # a permissioned chain's kind
        yield n


@pytest.fixture
def two(node: Anvil) -> Iterator[tuple[Endpoint, Endpoint]]:
    with two_endpoints(node.url) as pair:
        yield pair


def _project(root: Path, chain_id: int, *urls: str) -> Cli:
    """A pinned collection whose network `bank` lists `urls` in networks.yaml."""
    build_collection(root, SIZE)
    (root / "networks.yaml").write_text(
        "bank:\n  rpc_urls:\n" + "".join(f"    - {url}\n" for url in urls)
        + f"  chain_id: {chain_id}\n")
    return Cli(root, {**cli_env(), PRIVATE_KEY_ENV: ISSUER.key.hex()})


def _ok(out: object) -> None:
    assert out.returncode == 0, out.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in out.stderr  # type: ignore[attr-defined]


def _owners(node: Anvil, root: Path) -> list[str]:
    record = load_record(Project(root).deployment_path("bank"))
    w3 = Web3(HTTPProvider(node.url))  # straight to the node, past the endpoints
    return list(w3.eth.contract(address=record.address, abi=load_artifact().abi)
                .functions.ownersInRange(1, SIZE).call())


# Where the first endpoint dies (after the node ran that request; its answer is lost): the third
# of six batches sent; a receipt polled. Two transactions in flight, so batches are still to be
# sent when a receipt is read (a mint reads one per batch). Not at a gas estimate: the six
# batches are of one shape, so the mint asks one estimate in all, of whichever endpoint's turn it
# is (an estimate's lost answer: tests/reliability/test_mint_faults.py).
DEATHS = [("eth_sendRawTransaction", 3), ("eth_getTransactionReceipt", 1)]


@pytest.mark.parametrize("method, n", DEATHS, ids=[m for m, _ in DEATHS])
def test_an_endpoint_killed_mid_mint(node: Anvil, two: tuple[Endpoint, Endpoint],
                                     tmp_path: Path, method: str, n: int) -> None:
    a, b = two
    cli = _project(tmp_path / "horse", node.chain_id, a.url, b.url)
    _ok(cli("deploy", "--network", "bank"))
    a.die_after(method, n)
    out = cli("mint", "--to", CUSTOMER, "--count", str(SIZE), "--batch-size", "2",
              "--max-in-flight", "2", "--network", "bank", "--json")
    _ok(out)
    summary = json.loads(out.stdout)
    assert (summary["first"], summary["last"]) == (1, SIZE)
    assert a.dead and a.died_at is not None
    assert [t for t in b.served("eth_sendRawTransaction") if t > a.died_at], \
        "the batches after the death went through the other endpoint"
    assert not [t for t in a.served() if t > a.died_at]
    assert _owners(node, tmp_path / "horse") == [CUSTOMER] * SIZE  # each exactly once


def test_an_endpoint_killed_mid_audit(node: Anvil, two: tuple[Endpoint, Endpoint],
                                      tmp_path: Path) -> None:
    """The endpoints given on the command line (`--rpc-url` twice); the audit after the death
    gives the verdicts of the audit before it, token by token."""
    a, b = two
    root = tmp_path / "horse"
    cli = _project(root, node.chain_id, node.url)
    _ok(cli("deploy", "--network", "bank"))
    _ok(cli("mint", "--to", CUSTOMER, "--count", str(SIZE), "--network", "bank"))
    audit = ("audit", "--network", "bank", "--rpc-url", a.url, "--rpc-url", b.url, "--json")

    def verdicts(report: str) -> list[tuple[int, str]]:
        data = json.loads((root / "reports" / report).read_text())
        return [(t["token_id"], t["verdict"]) for t in data["tokens"]]

    _ok(cli(*audit, "--report", "reports/before.json"))
    before = verdicts("before.json")
    assert len(before) == SIZE and {v for _, v in before} == {"authentic"}
    asked = len(a.served())
    assert asked >= 3, "the audit asks the first endpoint several things"
    a.die_after("*", asked // 2 + 1)
    _ok(cli(*audit, "--report", "reports/after.json"))
    assert a.dead and a.died_at is not None
    assert [t for t in b.served() if t > a.died_at], "the audit went on through the other"
    assert verdicts("after.json") == before


def test_every_endpoint_down_is_one_line_and_exit_3(tmp_path: Path) -> None:
    urls = [f"http://127.0.0.1:{free_port()}{KEY_PATH}", f"http://127.0.0.1:{free_port()}"]
    cli = _project(tmp_path / "horse", 4242, *urls)
    out = cli("deploy", "--network", "bank")
    assert out.returncode == 3, out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines[-1].startswith("error: no RPC endpoint of bank answers"), out.stderr
    assert lines[-1].count("does not answer") == 2 and "Traceback" not in out.stderr
    assert KEY_PATH not in out.stderr and "/v3/***" in lines[-1]


def test_endpoints_that_do_not_answer_are_named_each_with_its_reason(node: Anvil,
                                                                     tmp_path: Path) -> None:
    """Found by a user (a live node, a dead port, a typo in a host): check's chain line named all
    three as answering, the typo read as a refused connection, and deploy, mint, audit and
    verify went on without a word that two of three nodes were down."""
    dead = f"http://127.0.0.1:{free_port()}"
    typo = f"http://node.invalid:{free_port()}{KEY_PATH}"
    cli = _project(tmp_path / "horse", node.chain_id, node.url, dead, typo)
    out = cli("check", "--network", "bank", "--json")
    assert out.returncode == 0 and "RPC endpoint" not in out.stderr, out.stderr  # said below
    found = {f["name"]: f for f in json.loads(out.stdout)["findings"]}
    assert found["chain"]["ok"] and found["endpoints"]["warning"]
    assert found["chain"]["detail"] == (f"bank at {node.url} answers as chain {node.chain_id}, "
                                        "as expected")
    shown_typo = typo.replace(KEY_PATH, "/v3/***")
    assert found["endpoints"]["detail"] == (
        f"2 of 3 endpoints do not answer ({dead}: connection refused or reset; {shown_typo}: "
        "name does not resolve); the others serve meanwhile")
    assert KEY_PATH not in out.stdout

    said = [f"RPC endpoint 2 of bank ({dead}) does not answer (connection refused or reset): "
            "using the others",
            f"RPC endpoint 3 of bank ({shown_typo}) does not answer (name does not resolve): "
            "using the others"]
    for command in (("deploy",), ("mint", "--to", CUSTOMER, "--count", "2"), ("audit",),
                    ("verify", "2")):
        out = cli(*command, "--network", "bank", "--json")
        _ok(out)
        json.loads(out.stdout)  # stdout stays the command's own
        warnings = [line for line in out.stderr.splitlines() if "RPC endpoint" in line]
        assert warnings == [f"warning: {w}" for w in said], out.stderr  # once each, as said
        assert KEY_PATH not in out.stderr


def test_endpoints_of_different_chains_are_refused_before_anything_is_sent(
        node: Anvil, tmp_path: Path) -> None:
    with anvil("--hardfork", "berlin", "--gas-price", "0", chain_id=node.chain_id + 1) as other, \
            Endpoint(other.url) as wrong:
        cli = _project(tmp_path / "horse", node.chain_id, node.url, wrong.url + KEY_PATH)
        nonce = Web3(HTTPProvider(node.url)).eth.get_transaction_count(ISSUER.address)
        out = cli("deploy", "--network", "bank")
        assert out.returncode == 2, out.stderr
        assert f"is chain {node.chain_id + 1}, but {node.url} is chain {node.chain_id}" \
            in out.stderr
        assert KEY_PATH not in out.stderr and "Traceback" not in out.stderr
        assert Web3(HTTPProvider(node.url)).eth.get_transaction_count(ISSUER.address) == nonce
        assert Web3(HTTPProvider(other.url)).eth.get_transaction_count(ISSUER.address) == 0
