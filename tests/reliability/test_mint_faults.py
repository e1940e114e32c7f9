"""A mint survives SIGKILL at seeded points, RPC faults and a second sender on its account.

The CLI runs as a subprocess against ganache (started by `nft-toolkit chain start`) through a
JSON-RPC proxy. A kill point is a request of the CLI, chosen by seed (its method, which call of
that method, and before or after the node executed it): the proxy holds that request, the test
SIGKILLs the CLI while it waits, so the process dies at exactly that point. After every kill the
chain must hold no token twice and no token to the wrong owner; a final run with the same
arguments must converge: every planned token exactly once (ownersInRange over the whole cap,
totalSupply), the journal consistent.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from tests.support.cli import Cli
from tests.support.harness import (LocalChainProcess, check_converged, deployed_project,
                                   journal_records, kill)
from tests.reliability.rpcproxy import Fault, RpcProxy

RECIPIENTS = [dev_account(i).address for i in range(1, 8)]
# Requests of a mint and where a kill there leaves it:
#   eth_estimateGas before: signing the first batch of its shape, nothing journaled;
#   eth_sendRawTransaction before: journaled, never sent; after: sent, no receipt seen;
#   eth_getTransactionReceipt after: mined, receipt never read;
#   eth_getTransactionByHash after: sent and known to the node, the next batch not yet signed;
#   eth_call: reading owners/totalMinted when a window starts (and the final check);
#   eth_getTransactionCount: choosing the nonce a window starts from.
IN_FLIGHT = 3  # transactions in flight: every kill point meets a pipelined mint
KILL_METHODS = [("eth_sendRawTransaction", "after"), ("eth_sendRawTransaction", "before"),
                ("eth_getTransactionReceipt", "after"), ("eth_getTransactionByHash", "after"),
                ("eth_estimateGas", "before"), ("eth_call", "after"),
                ("eth_getTransactionCount", "before")]


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory):
    local = LocalChainProcess(tmp_path_factory.mktemp("chain") / "home")
    local.start()
    yield local
    local.stop()


@pytest.fixture(scope="module")
def proxy(chain: LocalChainProcess):
    with RpcProxy(chain.url) as p:
        yield p


def mint_args(proxy: RpcProxy, *request: str) -> tuple[str, ...]:
    return ("mint", *request, "--network", "development", "--rpc-url", proxy.url,
            "--chain-id", str(DEV_CHAIN_ID), "--max-in-flight", str(IN_FLIGHT))


def run_with_fault(cli: Cli, args: tuple[str, ...], proxy: RpcProxy, *faults: Fault,
                   timeout: float = 240) -> tuple[bool, int | None, str]:
    """Runs the CLI with `faults` armed; SIGKILLs it when the proxy pauses a request.
    Returns (killed, exit code, stderr)."""
    proxy.reset(*faults)
    proc = cli.popen(*args)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if proxy.paused.wait(0.02):
            kill(proc)
            proxy.release()
            return True, None, ""
    if proc.poll() is None:
        kill(proc)
        raise AssertionError(f"the CLI hung for {timeout} s under {faults}")
    _, err = proc.communicate()
    return False, proc.returncode, err


def allocations(rng: random.Random, total: int) -> list[tuple[str, int]]:
    """`total` tokens to one recipient, or split over a few (an airdrop), by seed."""
    if rng.random() < 0.5:
        return [(rng.choice(RECIPIENTS), total)]
    people = rng.sample(RECIPIENTS, rng.randint(2, 5))
    cuts = sorted(rng.sample(range(1, total), len(people) - 1))
    counts = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    return list(zip(people, counts))


def request_args(tmp: Path, alloc: list[tuple[str, int]]) -> tuple[str, ...]:
    if len(alloc) == 1:
        return ("--to", alloc[0][0], "--count", str(alloc[0][1]))
    csv = tmp / "airdrop.csv"
    csv.write_text("address,count\n" + "".join(f"{a},{n}\n" for a, n in alloc))
    return ("--airdrop", str(csv))


def no_double_mint(url: str, address: str, planned: list[str]) -> None:
    """Mid-way invariant: the minted IDs are a prefix of the plan, each to its planned owner."""
    f = Chain(url, DEV_CHAIN_ID).collection(address).functions
    minted = f.totalMinted().call()
    assert minted <= len(planned), f"{minted} minted, only {len(planned)} planned"
    owners = f.ownersInRange(1, max(minted, 1)).call()[:minted] if minted else []
    assert owners == planned[:minted]


def one_line_error(stderr: str) -> str:
    """The one `error:` line a failed run ends with (progress lines may come before it)."""
    lines = stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors == lines[-1:] and "Traceback" not in stderr, stderr
    return errors[0]


def kill_scenario(seed: int, tmp: Path, chain: LocalChainProcess, proxy: RpcProxy,
                  total: int, kills: int) -> list[tuple]:
    """Mints `total` tokens, SIGKILLed at `kills` seeded points, then run to the end.
    Returns the kill points that struck."""
    rng = random.Random(seed)
    batch_size = rng.choice([19, 23, 31, 45, 64]) if total >= 200 else rng.choice([3, 5, 7])
    alloc = allocations(rng, total)
    planned = [a for a, n in alloc for _ in range(n)]
    project, record = deployed_project(tmp / f"p{seed}", chain.url, max_supply=total + 50)
    cli = Cli(project.root)
    args = mint_args(proxy, *request_args(tmp, alloc), "--batch-size", str(batch_size))
    f = Chain(chain.url, DEV_CHAIN_ID).collection(record.address).functions
    struck = []
    for k in range(kills):
        # batches still to send (a batch mined but not yet journaled done needs no new send)
        done = f.totalMinted().call()
        remaining = -(-(total - done) // batch_size)
        if remaining <= 0:
            break
        method, phase = rng.choice(KILL_METHODS)
        # leave room for the next kill: up to IN_FLIGHT batches beyond a kill point may be mined
        span = remaining if k == kills - 1 else max(1, (remaining - IN_FLIGHT) * 2 // 3)
        n = rng.randrange(span)
        if method in ("eth_getTransactionCount", "eth_estimateGas"):
            n = 0  # read when a window starts from an empty one / once per batch shape
        elif method == "eth_call":
            n = rng.randrange(2)  # the owners and next ID a window starts from (per batch no more)
        killed, code, err = run_with_fault(cli, args, proxy, Fault(method, n, phase))
        assert killed, f"seed {seed}: kill point {method}#{n} {phase} not reached (exit {code}: {err})"
        struck.append((seed, batch_size, method, n, phase, done))
        no_double_mint(chain.url, record.address, planned)
    proxy.reset()
    out = cli(*args, "--json")
    if out.returncode == 2 and "already completed" in out.stderr:
        assert journal_records(project)[-1]["type"] == "complete"  # killed after it completed
    else:
        assert out.returncode == 0, f"seed {seed}: {out.stderr}"
    check_converged(project, chain.url, record, planned)
    again = cli(*args)
    assert again.returncode == 2 and "already completed" in one_line_error(again.stderr)
    return struck


def test_sigkill_at_seeded_points_small(tmp_path: Path, chain, proxy, record_property) -> None:
    """The default run's share: 3 kill points of one 40-token mint."""
    struck = kill_scenario(101, tmp_path, chain, proxy, total=40, kills=3)
    record_property("kill_points", struck)
    assert len(struck) == 3


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 9))
def test_sigkill_500_token_mint(seed: int, tmp_path: Path, chain, proxy, record_property) -> None:
    """8 seeds x 3 kills = 24 seeded kill points of a 500-token mint."""
    struck = kill_scenario(seed, tmp_path, chain, proxy, total=500, kills=3)
    record_property("kill_points", struck)
    assert len(struck) == 3


FAULTS = [
    Fault("batch", 0, "before", "error"),  # only a new plan reads totalMinted/maxSupply batched
    # the node executed it, the client never hears back
    Fault("eth_sendRawTransaction", 1, "after", "drop"),
    Fault("eth_sendRawTransaction", 0, "after", "error"),
    Fault("eth_getTransactionReceipt", 1, "before", "http"),
    Fault("eth_call", 2, "after", "garbage"),
    Fault("eth_getTransactionCount", 0, "before", "error"),  # the nonce a window starts from
    Fault("eth_estimateGas", 0, "before", "drop"),
    Fault("eth_getTransactionByHash", 0, "after", "http"),  # sent; is it known?
    Fault("eth_chainId", 0, "before", "garbage"),
]


def test_rpc_errors_then_rerun_converges(tmp_path: Path, chain, proxy) -> None:
    """Each run meets one injected RPC fault and stops with one `error:` line (exit 3);
    the next run picks up where it stopped; a clean run completes the plan exactly once."""
    project, record = deployed_project(tmp_path / "p", chain.url, max_supply=80)
    cli = Cli(project.root)
    buyer = RECIPIENTS[0]
    planned = [buyer] * 40
    args = mint_args(proxy, "--to", buyer, "--count", "40", "--batch-size", "2")
    for fault in FAULTS:
        killed, code, err = run_with_fault(cli, args, proxy, fault)
        assert not killed and proxy.struck, f"{fault} never struck (exit {code}: {err})"
        assert code == 3, f"{fault}: exit {code}: {err}"
        one_line_error(err)
        no_double_mint(chain.url, record.address, planned)
    proxy.reset()
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    check_converged(project, chain.url, record, planned)


def test_receipt_and_send_timeouts_in_process(tmp_path: Path, chain, proxy) -> None:
    """RPC timeouts (the proxy answers later than the client waits) end a run with a
    ChainError; the run resumed over a healthy connection converges."""
    from nft_toolkit.errors import ChainError
    from nft_toolkit.chain.minter import Minter
    from nft_toolkit.journal import Journal

    project, record = deployed_project(tmp_path / "p", chain.url, max_supply=40)
    buyer = RECIPIENTS[1]
    journal = Journal(project.journal_dir / "mint-development.jsonl")
    timeouts = [Fault("eth_getTransactionReceipt", 2, "after", "delay", 2.5),
                Fault("eth_sendRawTransaction", 1, "after", "delay", 2.5),
                # the first read of the run resuming the two before: every run makes one (a
                # resumed batch's owners, or the final check), while the two before may have
                # sent every batch, so that no later read comes
                Fault("eth_call", 0, "before", "delay", 2.5)]
    for fault in timeouts:
        proxy.reset(fault)
        slow = Chain(proxy.url, DEV_CHAIN_ID, name="development", timeout=1.0)
        minter = Minter(slow, dev_account(0), record.address, journal)
        with pytest.raises(ChainError, match="timed out"):
            minter.mint([(buyer, 20)], batch_size=3, max_in_flight=IN_FLIGHT)
        assert proxy.struck
        time.sleep(2.2)  # let the delayed request land before the next run reads the chain
        no_double_mint(chain.url, record.address, [buyer] * 20)
    proxy.reset()
    Minter(Chain(proxy.url, DEV_CHAIN_ID), dev_account(0), record.address, journal).mint(
        [(buyer, 20)], batch_size=3, max_in_flight=IN_FLIGHT)
    check_converged(project, chain.url, record, [buyer] * 20)


@pytest.mark.parametrize("how", ["sigkill", pytest.param("stop", marks=pytest.mark.slow)])
def test_chain_killed_and_restarted_mid_mint(tmp_path: Path, how: str) -> None:
    """The chain dies (SIGKILL, or `chain stop`) while the CLI waits on it, at seeded points;
    `chain start` brings it back from its database; the re-run converges."""
    local = LocalChainProcess(tmp_path / "home")
    url = local.start()
    try:
        with RpcProxy(url) as proxy:
            project, record = deployed_project(tmp_path / "p", url, max_supply=60)
            cli = Cli(project.root)
            planned = [RECIPIENTS[2]] * 30
            args = mint_args(proxy, "--to", RECIPIENTS[2], "--count", "30", "--batch-size", "5")
            rng = random.Random(f"restart-{how}")
            points = [Fault("eth_sendRawTransaction", rng.randrange(2), "after"),
                      Fault("eth_call", rng.randrange(2), "after"),
                      Fault("eth_sendRawTransaction", 0, "before")]
            for point in points:
                proxy.reset(point)
                proc = cli.popen(*args)
                assert proxy.paused.wait(120), f"{point} not reached"
                if how == "sigkill":
                    os.kill(local.pid(), signal.SIGKILL)
                else:
                    assert local.cli("chain", "stop").returncode == 0
                proxy.release()
                _, err = proc.communicate(timeout=120)
                assert proc.returncode == 3, err
                assert "does not answer" in one_line_error(err)
                assert local.start() == url  # same port, same database
                no_double_mint(url, record.address, planned)
            proxy.reset()
            out = cli(*args)
            assert out.returncode == 0, out.stderr
            check_converged(project, url, record, planned)
    finally:
        local.stop()


class SecondSender:
    """Another process signing with the issuer's account: plain transfers to itself."""

    def __init__(self, url: str) -> None:
        self.w3 = Chain(url, DEV_CHAIN_ID).w3
        self.account = dev_account(0)

    def spend(self, nonce: int) -> None:
        tx = {"to": self.account.address, "value": 1, "gas": 21000, "nonce": nonce,
              "chainId": DEV_CHAIN_ID, "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9}
        self.w3.eth.send_raw_transaction(self.account.sign_transaction(tx).raw_transaction)


def test_second_sender_takes_the_journaled_nonce(tmp_path: Path, chain, proxy) -> None:
    """Another process spends the nonce of a transaction the minter journaled but had not yet
    sent, and the node answers the minter as geth does (`nonce too low`; ganache's own answer
    varies, it may even queue the transaction for ever): the run stops at once with one line,
    and the re-run converges."""
    project, record = deployed_project(tmp_path / "p", chain.url, max_supply=60)
    cli = Cli(project.root)
    planned = [RECIPIENTS[3]] * 12
    args = mint_args(proxy, "--to", RECIPIENTS[3], "--count", "12", "--batch-size", "3")
    proxy.reset(Fault("eth_sendRawTransaction", 1, "before", "hold-error", message="nonce too low"))
    proc = cli.popen(*args)
    assert proxy.paused.wait(120)
    sent = [r for r in journal_records(project) if r["type"] == "sent"]
    # the second one journaled is the one held (those after it are signed ahead, not yet sent)
    SecondSender(chain.url).spend(sent[1]["nonce"])
    proxy.release()
    try:
        _, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        kill(proc)
        raise AssertionError("the minter hangs after its journaled nonce was spent elsewhere")
    assert proc.returncode == 3 and "spent by another transaction" in one_line_error(err), err
    no_double_mint(chain.url, record.address, planned)
    proxy.reset()
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    check_converged(project, chain.url, record, planned)


@pytest.mark.slow
def test_second_sender_races_all_along(tmp_path: Path, chain, proxy) -> None:
    """A second sender on the issuer's account sends a transaction every 50..300 ms (seeded)
    while the mint runs: every run ends (exit 0, or exit 3 with one line), and re-runs converge."""
    project, record = deployed_project(tmp_path / "p", chain.url, max_supply=60)
    cli = Cli(project.root)
    planned = [RECIPIENTS[4]] * 24
    args = mint_args(proxy, "--to", RECIPIENTS[4], "--count", "24", "--batch-size", "3")
    sender = SecondSender(chain.url)
    stop = threading.Event()
    spent = []
    rng = random.Random(7)

    def race() -> None:
        while not stop.wait(rng.uniform(0.05, 0.3)):
            try:
                sender.spend(sender.w3.eth.get_transaction_count(sender.account.address, "pending"))
                spent.append(1)
            except Exception:  # its own nonce races lose too; it just tries again
                pass
    thread = threading.Thread(target=race, daemon=True)
    thread.start()
    runs = []
    try:
        for _ in range(12):
            proxy.reset()
            out = cli(*args, timeout=120)
            runs.append(out.returncode)
            if out.returncode == 0 or "already completed" in out.stderr:
                break
            assert out.returncode == 3, out.stderr
            one_line_error(out.stderr)
            no_double_mint(chain.url, record.address, planned)
    finally:
        stop.set()
        thread.join(10)
    assert spent, "the second sender never got a transaction in"
    out = cli(*args)
    assert out.returncode == 0 or "already completed" in out.stderr, out.stderr
    check_converged(project, chain.url, record, planned)
