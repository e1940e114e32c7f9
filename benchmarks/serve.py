"""The verification service under load: pages per second and p50/p99 latency, cold and warm, for
16 concurrent clients over random tokens, beside running `nft-toolkit verify` once per request
(the baseline: what a site shelling out to the CLI would do), in the same run.

    .venv/bin/python benchmarks/serve.py [--tokens 60] [--requests 800] [--chain anvil|ganache]
                                         [--workers 1] [--cli-requests 32] [--json]

A pinned collection (8x8 PNG items, the local store) is deployed and fully minted on a fresh
local chain (anvil by default: ganache answers ~50 calls a second, which would measure ganache);
`nft-toolkit serve` runs as its own process, and clients fetch /token/<random id> pages. Cold:
a service just started, each token asked for the first time; warm: the same service afterwards
(its caches full; requests for one token within the same head block share the answer as of that
block, see nft_toolkit/web/service.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nft_toolkit.chain.accounts import dev_account  # noqa: E402
from nft_toolkit.chain.client import Chain  # noqa: E402
from nft_toolkit.chain.deployer import deploy_project  # noqa: E402
from nft_toolkit.chain.local import DEV_CHAIN_ID, DEV_MNEMONIC, LocalChain, free_port  # noqa: E402
from nft_toolkit.chain.minter import project_minter  # noqa: E402
from tests.support.collection import build_collection  # noqa: E402

CLIENTS = 16
NFT_TOOLKIT = str(Path(sys.executable).parent / "nft-toolkit")
ANVIL = ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"


def wait_for(url: str, proc: subprocess.Popen[bytes], what: str, rpc: bool = False) -> None:
    """Until `url` answers (a JSON-RPC call when `rpc`), or `proc` ends."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if rpc:
                requests.post(url, timeout=2, json={"jsonrpc": "2.0", "id": 1,
                                                    "method": "eth_blockNumber"})
            else:
                requests.get(url, timeout=2)
            return
        except requests.RequestException:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


def load(paths: list[str], base: str, clients: int = CLIENTS) -> dict[str, float]:
    """GETs `paths` with `clients` threads; pages/s, p50 and p99 in ms (every answer checked)."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(reversed(paths))
    failures: list[str] = []

    host, port = base.removeprefix("http://").split(":")

    def client() -> None:
        # http.client on a kept-alive connection: a lighter load generator than requests, so
        # the clients' own CPU (same machine) weighs less on the figures
        connection = http.client.HTTPConnection(host, int(port), timeout=120)
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            t0 = time.perf_counter()
            connection.request("GET", path)
            answer = connection.getresponse()
            body = answer.read()
            took = time.perf_counter() - t0
            if answer.status != 200 or b'data-verdict="authentic"' not in body:
                failures.append(f"{path}: {answer.status}")
            with lock:
                latencies.append(took)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} answers were not authentic pages: {failures[:3]}")
    return figures(latencies, elapsed)


def figures(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {"requests": len(ordered), "per_s": len(ordered) / elapsed,
            "p50_ms": 1000 * statistics.median(ordered),
            "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]}


def cli_load(tokens: list[int], args: list[str], cwd: Path, clients: int = CLIENTS) -> dict[str, float]:
    """`nft-toolkit verify ID --json` once per request, `clients` at a time."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(tokens)

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                token = queue.pop()
            t0 = time.perf_counter()
            out = subprocess.run([NFT_TOOLKIT, "verify", str(token), *args, "--json"], cwd=cwd,
                                 capture_output=True, text=True, timeout=600)
            took = time.perf_counter() - t0
            if out.returncode != 0:
                raise RuntimeError(f"verify {token}: {out.stderr or out.stdout}")
            with lock:
                latencies.append(took)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return figures(latencies, time.perf_counter() - started)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=60)
    ap.add_argument("--requests", type=int, default=800, help="warm page requests")
    ap.add_argument("--cli-requests", type=int, default=32)
    ap.add_argument("--chain", choices=["anvil", "ganache"], default="anvil")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = random.Random(7)
    procs: list[subprocess.Popen[bytes]] = []
    local: LocalChain | None = None
    with tempfile.TemporaryDirectory(prefix="nft-bench-serve-") as tmp:
        try:
            project = build_collection(Path(tmp) / "c", args.tokens)
            if args.chain == "anvil":
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                procs.append(subprocess.Popen(
                    [str(ANVIL), "--port", str(port), "--chain-id", str(DEV_CHAIN_ID),
                     "--mnemonic", DEV_MNEMONIC, "--silent"], start_new_session=True))
                wait_for(url, procs[-1], "anvil", rpc=True)
            else:
                local = LocalChain(project.chain_dir)
                url = local.start(free_port()).url
            chain = Chain(url, DEV_CHAIN_ID, name="development")
            issuer = dev_account(0)
            deploy_project(project, chain, issuer, "development")
            project_minter(project, chain, issuer, "development").mint(
                [(dev_account(1).address, args.tokens)], batch_size=200)
            options = ["--project", str(project.root), "--network", "development",
                       "--rpc-url", url, "--chain-id", str(DEV_CHAIN_ID)]
            port = free_port()
            procs.append(subprocess.Popen(
                [NFT_TOOLKIT, "serve", *options, "--port", str(port),
                 "--workers", str(args.workers)], start_new_session=True))
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/static/style.css", procs[-1], "nft-toolkit serve")
            ids = list(range(1, args.tokens + 1))
            rng.shuffle(ids)
            cold = load([f"/token/{i}" for i in ids], base)
            warm = load([f"/token/{rng.randint(1, args.tokens)}" for _ in range(args.requests)],
                        base)
            cli = cli_load([rng.randint(1, args.tokens) for _ in range(args.cli_requests)],
                           options, project.root)
            # one at a time too: 16 processes starting at once on a small machine is the CLI's
            # worst case; the ratio below uses whichever of the two is faster
            cli_one = cli_load([rng.randint(1, args.tokens) for _ in range(4)], options,
                               project.root, clients=1)
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait(timeout=30)
            if local is not None:
                local.stop()
    result = {"chain": args.chain, "tokens": args.tokens, "clients": CLIENTS,
              "workers": args.workers, "cpus": os.cpu_count(), "cold": cold, "warm": warm,
              "cli": cli, "cli_one_at_a_time": cli_one,
              "warm_vs_cli": warm["per_s"] / max(cli["per_s"], cli_one["per_s"])}
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{CLIENTS} concurrent clients, {args.tokens}-token collection on {args.chain}, "
          f"serve --workers {args.workers}, {os.cpu_count()} CPUs")
    print(f"{'':34}{'requests':>9}{'pages/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, f in (("serve, cold (fresh caches)", cold), ("serve, warm", warm),
                     (f"verify per request, {CLIENTS} at once", cli),
                     ("verify per request, 1 at once", cli_one)):
        print(f"{label:34}{f['requests']:>9.0f}{f['per_s']:>10.1f}{f['p50_ms']:>10.1f}"
              f"{f['p99_ms']:>10.1f}")
    print(f"warm serve / per-request CLI throughput (the faster CLI row): {result['warm_vs_cli']:.0f}x "
          f"(goal >= 20x, warm p99 <= 100 ms: {'met' if warm['p99_ms'] <= 100 and result['warm_vs_cli'] >= 20 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
