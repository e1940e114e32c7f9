"""Airdrop wall time with one transaction in flight and with several, beside the chain's own
busy time for the same transactions, on anvil.

    .venv/bin/python benchmarks/inflight.py [--recipients 1000] [--batch-size 200]
                                            [--in-flight 16] [--block-time S] [--json]

Each run airdrops one token to each of N distinct generated addresses through the library's
minter (the path of `nft-toolkit mint --airdrop`: plan, journal, signing with a gas estimate,
receipts, owners read back) on a fresh anvil (automine: a block per transaction), once with
``max_in_flight=1`` (the baseline: each batch sent after the previous one's receipt) and once
with K in flight. ``--block-time S`` makes anvil mine a block every S seconds instead, as a chain
with block times does: there one transaction at a time costs a block per batch.

The chain's busy time is what the node itself spends on those transactions: the same signed
transactions (from the run's journal) replayed on a fresh anvil brought to the same state (the
same deployment), with automine off, each sent untimed and then mined alone by a timed
``evm_mine``: the sum of those calls is the time the node takes to execute the transactions and
build their blocks (one per transaction, as in the run), plus one local round trip each. The
tool's overhead is its wall time beyond that sum; issue 15's goal is within 10 %. Printed beside
it: the node's time to answer an ``eth_estimateGas`` of each transaction in the same state (work
the minter used to ask of the node before signing each batch; it now asks one per batch shape,
nft_toolkit.chain.batchgas), and the run's sending phase (first transaction out to last receipt),
apart from planning (every recipient's eth_getCode).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nft_toolkit.chain.accounts import dev_account  # noqa: E402
from nft_toolkit.chain.client import Chain  # noqa: E402
from nft_toolkit.chain.deployer import CollectionParams, DeployPlan, deploy  # noqa: E402
from nft_toolkit.chain.local import DEV_CHAIN_ID, DEV_MNEMONIC, free_port  # noqa: E402
from nft_toolkit.chain.minter import Minter, SentRecord, read_mint_journal  # noqa: E402
from nft_toolkit.journal import Journal  # noqa: E402
from pipeline import rpc  # noqa: E402  (the benchmarks' one JSON-RPC helper)

ANVIL = ROOT / "node_modules" / ".bin" / "anvil"
BASE_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/"


@contextmanager
def anvil(block_time: float | None = None) -> Iterator[str]:
    """A fresh anvil on a free port with the development accounts (automine, or a block every
    `block_time` seconds); its URL."""
    port = free_port()
    interval = ["--block-time", str(block_time)] if block_time else []
    proc = subprocess.Popen([str(ANVIL), "--port", str(port), "--host", "127.0.0.1",
                             "--chain-id", str(DEV_CHAIN_ID), "--mnemonic", DEV_MNEMONIC,
                             "--silent", *interval], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                rpc(url, "eth_chainId")
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("anvil did not start")
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def recipients(n: int) -> list[tuple[str, int]]:
    """N distinct addresses, one token each (derived from a hash: no precompiles, no code)."""
    from eth_utils import to_checksum_address
    return [(to_checksum_address(hashlib.sha256(f"recipient {i}".encode()).digest()[:20]), 1)
            for i in range(n)]


def deployed(url: str, folder: Path, n: int) -> str:
    """The collection deployed by the first development account; its address (the same on
    every fresh chain: the account's nonces are the same)."""
    plan = DeployPlan(CollectionParams("Bench", "BENCH", 2026, n, dev_account(0).address, 0),
                      BASE_URI, "0x" + "ab" * 32, None, True)
    record = deploy(Chain(url, DEV_CHAIN_ID), dev_account(0), plan, "development",
                    folder / "deploy.json", folder / "record.json")
    return record.address


def airdrop(folder: Path, allocations: list[tuple[str, int]], batch_size: int,
            in_flight: int, block_time: float | None) -> dict[str, Any]:
    """One airdrop on a fresh anvil: wall and CPU seconds, its signed transactions in order."""
    folder.mkdir()
    with anvil(block_time) as url:
        address = deployed(url, folder, len(allocations))
        journal = Journal(folder / "mint.jsonl")
        minter = Minter(Chain(url, DEV_CHAIN_ID), dev_account(0), address, journal)
        cpu, t0 = time.process_time(), time.perf_counter()
        result = minter.mint(allocations, batch_size, max_in_flight=in_flight)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu
    sent = [r.tx.raw for r in read_mint_journal(journal) if isinstance(r, SentRecord)]
    stamps = [(b.sent_at, b.receipt_at) for b in result.batches if b.sent_at and b.receipt_at]
    overlap = max(sum(1 for s, r in stamps if s <= t < r) for t, _ in stamps) if stamps else 0
    # the sending phase: from the first transaction out to the last receipt seen (the rest of
    # the wall time is planning, with its eth_getCode of every recipient, and the final check)
    sending = max(r for _, r in stamps) - min(s for s, _ in stamps) if stamps else 0.0
    return {"in_flight": in_flight, "wall_s": wall, "cpu_s": cpu, "sending_s": sending,
            "transactions": len(sent), "gas": result.gas_used, "max_overlap": overlap,
            "raw": sent}


def busy_time(folder: Path, n: int, raw: list[str]) -> tuple[float, float]:
    """The node's own seconds for `raw`: replayed on a fresh anvil in the same state, each
    mined alone by a timed evm_mine; and, beside it, the node's seconds to answer the
    eth_estimateGas of each (the minter asks one per transaction before signing it)."""
    folder.mkdir()
    with anvil() as url:
        deployed(url, folder, n)
        rpc(url, "evm_setAutomine", False)
        busy = estimating = 0.0
        hashes = []
        for tx in raw:
            hashes.append(rpc(url, "eth_sendRawTransaction", tx))
            pending = rpc(url, "eth_getTransactionByHash", hashes[-1])
            t0 = time.perf_counter()
            rpc(url, "eth_estimateGas", {k: pending[k] for k in ("from", "to", "input")}, "latest")
            estimating += time.perf_counter() - t0
            t0 = time.perf_counter()
            rpc(url, "evm_mine")
            busy += time.perf_counter() - t0
        failed = [h for h in hashes if rpc(url, "eth_getTransactionReceipt", h)["status"] != "0x1"]
        if failed:
            raise SystemExit(f"the replay differs from the run: {len(failed)} transaction(s) failed")
    return busy, estimating


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--block-time", type=float, default=None, metavar="S",
                        help="anvil mines a block every S seconds (a chain with block times) "
                             "instead of one per transaction")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    allocations = recipients(args.recipients)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [airdrop(Path(tmp) / f"k{k}", allocations, args.batch_size, k, args.block_time)
                for k in (1, args.in_flight)]
        busy, estimating = busy_time(Path(tmp) / "replay", args.recipients, runs[-1]["raw"])
    rows = [{**{k: v for k, v in run.items() if k != "raw"},
             "busy_s": busy, "over_busy": run["wall_s"] / busy - 1} for run in runs]
    chain = (f"anvil, a block every {args.block_time:g} s" if args.block_time
             else "anvil, a block per transaction")
    if args.json:
        print(json.dumps({"recipients": args.recipients, "batch_size": args.batch_size,
                          "chain": chain, "busy_s": busy,
                          "estimate_gas_s": estimating, "runs": rows}))
        return
    print(f"airdrop of {args.recipients:,} tokens to {args.recipients:,} addresses, batches of "
          f"{args.batch_size}, {chain}; chain busy time {busy:.2f} s (replayed, evm_mine each); "
          f"the node's eth_estimateGas of the same transactions {estimating:.2f} s")
    print(f"{'in flight':>9} {'txs':>5} {'wall s':>8} {'cpu s':>7} {'sending s':>9} "
          f"{'overlap':>7} {'busy s':>7} {'wall/busy':>9} {'sending/busy':>12}")
    for r in rows:
        print(f"{r['in_flight']:>9} {r['transactions']:>5} {r['wall_s']:>8.2f} {r['cpu_s']:>7.2f} "
              f"{r['sending_s']:>9.2f} {r['max_overlap']:>7} {r['busy_s']:>7.3f} "
              f"{r['wall_s'] / r['busy_s']:>9.1f} {r['sending_s'] / r['busy_s']:>12.1f}")


if __name__ == "__main__":
    main()
