"""What several endpoints cost: reads per second through one anvil by web3's own HTTPProvider
(the baseline, what one endpoint uses) and through the EndpointsProvider of
nft_toolkit.chain.endpoints over two URLs of that same node, in the same run.

    .venv/bin/python benchmarks/endpoints.py [--reads 1000] [--rounds 5] [--json]

Two kinds of read, as the tools make them: single requests (``eth_getBalance`` at latest, one
per address: the minter's and the verifier's pattern) and JSON-RPC batches of 500
(``eth_getCode``: the audit's pattern). The two URLs (127.0.0.1 and localhost) reach one node,
so the difference is the provider's own work (routing, bookkeeping, the chain ID and head
checks), not a second node's speed. The two are measured in alternating rounds and the
median round is reported (the machine is shared: single rounds vary by a fifth).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web3 import Web3  # noqa: E402

from nft_toolkit.chain.client import Chain  # noqa: E402
from tests.support.anvil import anvil  # noqa: E402


def _rates(chain: Chain, addresses: list[str]) -> tuple[float, float]:
    """(single reads per second, batched reads per second) through `chain`."""
    chain.check()
    start = time.perf_counter()
    for address in addresses:
        chain.rpc(lambda a=address: chain.w3.eth.get_balance(a), "eth_getBalance")
    single = len(addresses) / (time.perf_counter() - start)
    start = time.perf_counter()
    chain.codes(addresses)
    batched = len(addresses) / (time.perf_counter() - start)
    return single, batched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    addresses = [Web3.to_checksum_address(f"0x{i + 1:040x}") for i in range(args.reads)]
    with anvil() as node:
        port = node.url.rsplit(":", 1)[1]
        one, two = "one endpoint (web3 HTTPProvider, baseline)", "two endpoints (EndpointsProvider)"
        rounds: dict[str, list[tuple[float, float]]] = {one: [], two: []}
        _rates(Chain(node.url, node.chain_id), addresses[:100])  # warm the node and sessions
        for _ in range(args.rounds):
            rounds[one].append(_rates(Chain(node.url, node.chain_id), addresses))
            rounds[two].append(_rates(Chain([node.url, f"http://localhost:{port}"],
                                            node.chain_id), addresses))
        rows = {name: (statistics.median(s for s, _ in got), statistics.median(b for _, b in got))
                for name, got in rounds.items()}
    if args.json:
        print(json.dumps({k: {"single_per_s": round(s), "batched_per_s": round(b)}
                          for k, (s, b) in rows.items()}))
        return
    print(f"{args.reads} reads on one anvil, median of {args.rounds} rounds")
    print(f"{'':45} {'single/s':>10} {'batched/s':>10}")
    for name, (single, batched) in rows.items():
        print(f"{name:45} {single:10,.0f} {batched:10,.0f}")


if __name__ == "__main__":
    main()
