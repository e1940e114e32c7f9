"""A pipelined mint (several transactions in flight) killed or failed with transactions truly
outstanding on the chain, then run again: exactly the planned owners, never a token twice.

The chain is anvil with automine switched off while the minter sends (``evm_setAutomine``), so
the transactions the minter has sent wait in the node's pool, unmined, at consecutive nonces; the
test then mines them, drops them (a node restarted without its pool) or drops one in the middle
(a nonce gap), or has another admin pause minting in the same block, before they are mined.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.deployment import load_record
from tests.support.anvil import Anvil, anvil
from tests.support.cli import Cli
from tests.support.harness import check_converged, deployed_project, journal_records, kill

RECIPIENTS = [dev_account(i).address for i in range(1, 8)]
ALLOCATION = list(zip(RECIPIENTS, [3, 1, 4, 1, 5, 2, 2]))  # 18 tokens
PLANNED = [a for a, n in ALLOCATION for _ in range(n)]
IN_FLIGHT = 4


@pytest.fixture(scope="module")
def node() -> Iterator[Anvil]:
    with anvil(chain_id=DEV_CHAIN_ID) as chain:
        yield chain


def rpc(url: str, method: str, *params: Any) -> Any:
    answer = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                      "params": list(params)}, timeout=30).json()
    assert "error" not in answer, answer
    return answer["result"]


def outstanding(project) -> list[dict]:
    """The journal's sent records whose batch is not done."""
    records = journal_records(project)
    done = {r["batch"] for r in records if r["type"] == "done"}
    return [r for r in records if r["type"] == "sent" and r["batch"] not in done]


def send(url: str, signer, call, tip: int = 10**9) -> str:
    """Signs and sends `call` from `signer` at its next nonce; its hash."""
    chain = Chain(url, DEV_CHAIN_ID)
    tx = call.build_transaction({"from": signer.address, "nonce": chain.nonce(signer.address),
                                 "chainId": DEV_CHAIN_ID, "maxFeePerGas": 10 * tip,
                                 "maxPriorityFeePerGas": tip, "gas": 200_000})
    return "0x" + chain.w3.eth.send_raw_transaction(signer.sign_transaction(tx).raw_transaction).hex()


def stalled(project, url: str) -> bool:
    """Whether IN_FLIGHT transactions of the mint are journaled and wait in the node's pool
    (journaled first: more may be journaled, signed ahead, than are sent yet)."""
    return len(outstanding(project)) >= IN_FLIGHT and \
        int(rpc(url, "txpool_status")["pending"], 16) >= IN_FLIGHT


def start_stalled_mint(tmp: Path, node: Anvil, name: str, admin=None):
    """A deployed project (with `admin` granted the admin role) and its mint, started with
    automine off; returned once IN_FLIGHT transactions wait unmined in the node's pool."""
    project, record = deployed_project(tmp / name, node.url, max_supply=30)
    if admin is not None:
        fns = Chain(node.url, DEV_CHAIN_ID).collection(record.address).functions
        send(node.url, dev_account(0), fns.grantRole(bytes(32), admin.address))
    csv = tmp / f"{name}.csv"
    csv.write_text("".join(f"{a},{n}\n" for a, n in ALLOCATION))
    cli = Cli(project.root)
    args = ("mint", "--airdrop", str(csv), "--batch-size", "2", "--max-in-flight", str(IN_FLIGHT),
            "--network", "development", "--rpc-url", node.url, "--chain-id", str(DEV_CHAIN_ID))
    rpc(node.url, "evm_setAutomine", False)
    proc = cli.popen(*args)
    try:
        deadline = time.monotonic() + 60
        while not stalled(project, node.url) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        pool = rpc(node.url, "txpool_status")
        assert int(pool["pending"], 16) >= IN_FLIGHT, pool
        assert not [r for r in journal_records(project) if r["type"] == "done"]
    except BaseException:
        kill(proc)
        rpc(node.url, "evm_setAutomine", True)
        raise
    return project, record, cli, args, proc


@pytest.mark.parametrize("then", ["mined", "dropped", "gap"])
def test_sigkill_with_transactions_outstanding(tmp_path: Path, node: Anvil, then: str) -> None:
    """SIGKILL with IN_FLIGHT transactions journaled and unmined (and maybe more journaled,
    signed ahead, never sent); then the node mines them, or loses them all, or loses the second
    (the later ones wait behind the gap). The re-run settles every one (receipt by hash, the same
    bytes sent when the nonce is unused) and converges."""
    project, record, cli, args, proc = start_stalled_mint(tmp_path, node, then)
    kill(proc)
    stuck = outstanding(project)
    first = stuck[0]["nonce"]
    assert len(stuck) >= IN_FLIGHT, stuck
    assert [r["nonce"] for r in stuck] == list(range(first, first + len(stuck))), stuck
    if then == "dropped":
        rpc(node.url, "anvil_dropAllTransactions")
    elif then == "gap":
        rpc(node.url, "anvil_dropTransaction", stuck[1]["hash"])
    rpc(node.url, "evm_setAutomine", True)
    rpc(node.url, "evm_mine")
    f = Chain(node.url, DEV_CHAIN_ID).collection(record.address).functions
    minted = f.totalMinted().call()
    assert {"mined": minted >= 2 * (IN_FLIGHT - 1), "dropped": minted == 0,
            "gap": minted == 2}[then], minted
    out = cli(*args, "--json")
    assert out.returncode == 0, out.stderr
    check_converged(project, node.url, record, PLANNED)
    # every outstanding transaction was settled as journaled: mined by its own hash (the lost
    # ones sent again byte for byte), and its batch journaled done by that hash
    done = {r["batch"]: r["hash"] for r in journal_records(project) if r["type"] == "done"}
    for r in stuck:
        assert rpc(node.url, "eth_getTransactionReceipt", r["hash"])["status"] == "0x1"
        assert done[r["batch"]] == r["hash"]
    again = cli(*args)
    assert again.returncode == 2 and "already completed" in again.stderr


def test_a_batch_reverted_with_later_ones_in_flight(tmp_path: Path, node: Anvil) -> None:
    """Another admin pauses minting in the block that takes the transactions in flight, ahead
    of them (a higher tip): the first reverts and so does every later one, none mints IDs out of
    place; the run stops with one line naming the batch, the cause and what the later ones did,
    and, minting unpaused, the same command resumes to exactly the planned owners."""
    admin = dev_account(9)
    project, record, cli, args, proc = start_stalled_mint(tmp_path, node, "paused", admin)
    fns = Chain(node.url, DEV_CHAIN_ID).collection(record.address).functions
    try:
        send(node.url, admin, fns.pauseMinting(), tip=100 * 10**9)
        rpc(node.url, "evm_setAutomine", True)
        rpc(node.url, "evm_mine")
        _, err = proc.communicate(timeout=120)
    finally:
        kill(proc)
        rpc(node.url, "evm_setAutomine", True)
    assert proc.returncode == 3, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: batch 1 (IDs 1..2) reverted"), err
    assert "minting is paused" in err and "nothing was minted out of place" in err
    assert f"the {IN_FLIGHT - 1} batch(es) in flight after it reverted too" in err
    assert fns.totalMinted().call() == 0 and fns.mintingPaused().call()
    send(node.url, admin, fns.unpauseMinting())
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    check_converged(project, node.url, record, PLANNED)


def test_another_sender_mints_inside_the_window(tmp_path: Path, node: Anvil) -> None:
    """Another minter's transaction lands ahead of a window of IN_FLIGHT batches (a higher tip,
    same block): with the first-ID guard (release 4) the first batch reverts with
    UnexpectedFirstId and so does every later one, nothing is minted out of place, the run stops
    with one line; the same command then re-plans the batches after the other sender's token and
    mints exactly the planned owners there."""
    other = dev_account(9)
    project, record, cli, args, proc = start_stalled_mint(tmp_path, node, "other", other)
    fns = Chain(node.url, DEV_CHAIN_ID).collection(record.address).functions
    minter_role = fns.MINTER_ROLE().call()
    outsider = dev_account(8).address
    try:
        # the grant is mined with the window waiting in the pool (which the minter then follows
        # with the next window: the other sender's mint lands ahead of that one)
        send(node.url, other, fns.grantRole(minter_role, other.address), tip=100 * 10**9)
        rpc(node.url, "evm_mine")
        deadline = time.monotonic() + 60
        while not stalled(project, node.url) and time.monotonic() < deadline:
            time.sleep(0.02)
        send(node.url, other, fns.mint(outsider, 1), tip=100 * 10**9)
        rpc(node.url, "evm_setAutomine", True)
        rpc(node.url, "evm_mine")
        _, err = proc.communicate(timeout=120)
    finally:
        kill(proc)
        rpc(node.url, "evm_setAutomine", True)
    assert proc.returncode == 3, err
    lines = err.strip().splitlines()
    found = re.match(r"error: batch (\d+) \(IDs (\d+)\.\.\d+\) reverted", lines[0])
    assert len(lines) == 1 and found, err
    at = int(found[2])  # the first ID of the first batch that reverted: the outsider's token
    assert f"the contract's next ID is {at + 1}, not {at}: someone else minted in between" in err
    assert f"the {IN_FLIGHT - 1} batch(es) in flight after it reverted too" in err
    assert "nothing was minted out of place" in err
    assert fns.totalMinted().call() == at and fns.ownerOf(at).call() == outsider
    assert fns.ownersInRange(1, at - 1).call() == PLANNED[:at - 1]
    out = cli(*args, "--json")
    assert out.returncode == 0, out.stderr
    assert fns.totalMinted().call() == 1 + len(PLANNED)
    owners = PLANNED[:at - 1] + [outsider] + PLANNED[at - 1:]
    assert fns.ownersInRange(1, 1 + len(PLANNED)).call() == owners
    assert any(f"moved to IDs {at + 1}..{len(PLANNED) + 1}" in note
               for note in json.loads(out.stdout)["notes"]), out.stdout
    records = journal_records(project)
    assert [r["type"] for r in records].count("replan") == 1
    again = cli(*args)
    assert again.returncode == 2 and "already completed" in again.stderr


def test_a_redeployment_at_the_same_address_is_a_new_collection(tmp_path: Path) -> None:
    """A dev chain restarted and the contract deployed again at the same address (the deployer's
    nonce 0 again): the earlier deployment's completed run in the journal is not this one's, so
    the same mint is not refused as already completed, and mints on the new contract."""
    allocation = ALLOCATION[:2]
    csv = tmp_path / "a.csv"
    csv.write_text("".join(f"{a},{n}\n" for a, n in allocation))
    with anvil(chain_id=DEV_CHAIN_ID) as first:
        project, record = deployed_project(tmp_path / "p", first.url, max_supply=30)
        args = ("mint", "--airdrop", str(csv), "--network", "development", "--rpc-url", first.url,
                "--chain-id", str(DEV_CHAIN_ID))
        assert Cli(project.root)(*args).returncode == 0
    with anvil(chain_id=DEV_CHAIN_ID) as second:
        # a later time, as a restart brings (two anvils started in one second could otherwise
        # build the very same blocks, and then the very same chain)
        rpc(second.url, "evm_setNextBlockTimestamp", int(time.time()) + 3600)
        out = Cli(project.root)("deploy", "--force", "--network", "development", "--rpc-url",
                                second.url, "--chain-id", str(DEV_CHAIN_ID))
        assert out.returncode == 0, out.stderr
        again = load_record(project.deployment_path("development"))
        assert again.address == record.address
        args = ("mint", "--airdrop", str(csv), "--network", "development", "--rpc-url",
                second.url, "--chain-id", str(DEV_CHAIN_ID))
        out = Cli(project.root)(*args)
        assert out.returncode == 0, out.stderr
        f = Chain(second.url, DEV_CHAIN_ID).collection(record.address).functions
        assert f.ownersInRange(1, 4).call() == [a for a, n in allocation for _ in range(n)]
        assert "already completed" in Cli(project.root)(*args).stderr
