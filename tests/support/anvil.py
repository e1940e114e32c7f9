"""anvil (the npm package pinned in package.json) as a second chain client for the tests: a chain
with EIP-1559 (its current hardfork) or without a fee market (``--hardfork berlin --gas-price
0``, like many permissioned chains)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from nft_toolkit.chain.local import DEV_MNEMONIC, free_port

ANVIL = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "anvil"


@dataclass(frozen=True)
class Anvil:
    """A running anvil: where it answers and the chain ID it reports."""

    url: str
    chain_id: int


@contextmanager
def anvil(*args: str, chain_id: int = 4242) -> Iterator[Anvil]:
    """anvil with `args` (e.g. ``--hardfork berlin --gas-price 0``) on a free port, with the
    development mnemonic's accounts; stopped on exit."""
    port = free_port()
    proc = subprocess.Popen([str(ANVIL), "--port", str(port), "--host", "127.0.0.1",
                             "--chain-id", str(chain_id), "--mnemonic", DEV_MNEMONIC,
                             "--silent", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"anvil exited with {proc.returncode}"
            try:
                requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId",
                                         "params": []}, timeout=1).raise_for_status()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "anvil did not answer within 30 s"
                time.sleep(0.05)
        yield Anvil(url, chain_id)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
