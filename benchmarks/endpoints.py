"""What several endpoints cost: reads per second through one anvil by web3's own HTTPProvider
(the baseline, what one endpoint uses) and through the EndpointsProvider of
nft_toolkit.chain.endpoints over two URLs of that same node, in the same run.

    .venv/bin/python benchmarks/endpoints.py [--reads 2000] [--json]

Two kinds of read, as the tools make them: single requests (``eth_getBalance`` at latest, one
per address: the minter's and the verifier's pattern) and JSON-RPC batches of 500
(``eth_getCode``: the audit's pattern). The two URLs (127.0.0.1 and localhost) reach one node,
so the difference is the provider's own work (routing, bookkeeping, the chain ID and head
checks), not a second node's speed.
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    addresses = [Web3.to_checksum_address(f"0x{i + 1:040x}") for i in range(args.reads)]
    with anvil() as node:
        port = node.url.rsplit(":", 1)[1]
        rows = {}
        for _ in range(2):  # the second round is the one reported: caches and sessions warm
            rows["one endpoint (web3 HTTPProvider, baseline)"] = _rates(
                Chain(node.url, node.chain_id), addresses)
            rows["two endpoints (EndpointsProvider)"] = _rates(
                Chain([node.url, f"http://localhost:{port}"], node.chain_id), addresses)
    if args.json:
        print(json.dumps({k: {"single_per_s": round(s), "batched_per_s": round(b)}
                          for k, (s, b) in rows.items()}))
        return
    print(f"{args.reads} reads on one anvil")
    print(f"{'':45} {'single/s':>10} {'batched/s':>10}")
    for name, (single, batched) in rows.items():
        print(f"{name:45} {single:10,.0f} {batched:10,.0f}")


if __name__ == "__main__":
    main()
