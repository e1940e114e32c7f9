"""Tools of a forger, for the forgery suite: a lying gateway, a second chain with another chain
ID, and a look-alike contract whose code is the audited runtime with the issuer immutable and
the storage written by hand-made creation code (no constructor runs)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import requests
from eth_account.signers.local import LocalAccount

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_MNEMONIC, free_port, find_ganache, rpc
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.store import BlockStore


class LyingSource:
    """The project's blocks, except that `lies` maps a CID (text) to other bytes."""

    def __init__(self, store: BlockStore, lies: dict[str, bytes]) -> None:
        self.store = store
        self.lies = {Cid.coerce(k).multihash: v for k, v in lies.items()}

    def get_block(self, cid: Cid | str) -> bytes:
        cid = Cid.coerce(cid)
        return self.lies.get(cid.multihash) or self.store.get_block(cid)


class OtherChain:
    """A plain ganache process with its own chain ID (same mnemonic, so the same accounts)."""

    def __init__(self, db: Path, chain_id: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        db.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [str(find_ganache()), "--server.host", "127.0.0.1", "--server.port", str(self.port),
             "--database.dbPath", str(db), "--chain.chainId", str(chain_id),
             "--chain.hardfork", "shanghai", "--wallet.mnemonic", DEV_MNEMONIC,
             "--miner.instamine", "strict", "--logging.quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                rpc(self.url, "eth_blockNumber")
                return
            except (requests.RequestException, ValueError):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("the second ganache did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def storage_of(url: str, address: str) -> dict[int, int]:
    """Every non-zero storage slot of `address` at the latest block (debug_storageRangeAt)."""
    chain = Chain(url, None)
    block = "0x" + bytes(chain.w3.eth.get_block("latest")["hash"]).hex()
    slots: dict[int, int] = {}
    start = "0x00"
    while start is not None:
        page: Any = rpc(url, "debug_storageRangeAt", [block, 0, address, start, 256], timeout=30)
        for entry in page["storage"].values():
            if int(entry["value"], 16):
                slots[int(entry["key"], 16)] = int(entry["value"], 16)
        start = page.get("nextKey")
    return slots


def creation_code(slots: dict[int, int], runtime: bytes) -> bytes:
    """EVM creation code that writes `slots` (PUSH32 value, PUSH32 key, SSTORE each) and returns
    `runtime` as the contract's code."""
    code = bytearray()
    for key, value in slots.items():
        code += b"\x7f" + value.to_bytes(32, "big") + b"\x7f" + key.to_bytes(32, "big") + b"\x55"
    tail = 3 + 4 + 2 + 1 + 3 + 2 + 1  # the copy-and-return sequence below
    offset = len(code) + tail
    size = len(runtime).to_bytes(2, "big")
    code += b"\x61" + size + b"\x62" + offset.to_bytes(3, "big") + b"\x60\x00\x39"  # CODECOPY
    code += b"\x61" + size + b"\x60\x00\xf3"  # RETURN
    assert len(code) == offset
    return bytes(code) + runtime


def forge_lookalike(url: str, genuine: str, forger: LocalAccount, claimed_issuer: str) -> str:
    """Deploys, from `forger`, a copy of the collection at `genuine` (the forger's own genuine
    deployment, storage already set up as wanted) whose issuer immutable names `claimed_issuer`.
    Returns its address. The runtime code differs from the audited artifact only in immutables."""
    chain = Chain(url, None)

    def send(tx: dict) -> dict:
        tx = {"nonce": chain.nonce(forger.address), "chainId": chain.chain_id, "gas": 12_000_000,
              "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9, "value": 0, **tx}
        tx_hash = chain.w3.eth.send_raw_transaction(forger.sign_transaction(tx).raw_transaction)
        return dict(chain.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60))

    # debug_storageRangeAt reads the state before a block's first transaction: make a block
    send({"to": forger.address, "gas": 21000})
    code = bytearray(chain.code(genuine))
    forger_word = bytes(12) + bytes.fromhex(forger.address[2:])
    claimed_word = bytes(12) + bytes.fromhex(claimed_issuer[2:])
    for start, length in load_artifact().immutables:
        if length == 32 and bytes(code[start:start + 32]) == forger_word:
            code[start:start + 32] = claimed_word
    receipt = send({"data": creation_code(storage_of(url, genuine), bytes(code))})
    assert receipt["status"] == 1, "the forged creation code reverted"
    return str(receipt["contractAddress"])


class HostileGateway:
    """A trustless gateway (raw blocks from `store`) that misbehaves for one CID: `huge` (an
    endless body), `drip` (one byte every `pause` seconds, forever), `error` (HTTP 500) or
    `garbage` (200 with bytes of the wrong length and hash)."""

    def __init__(self, store: BlockStore, target: str, mode: str, pause: float = 0.5) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        target_mh = Cid.parse(target).multihash
        stop = self.stop_event = __import__("threading").Event()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = self.path.split("?")[0].split("/")
                try:
                    cid = Cid.parse(parts[2])
                    block = store.get_block(cid)
                except Exception:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if cid.multihash != target_mh:
                    self._send(200, block)
                elif mode == "error":
                    self._send(500, b"internal error")
                elif mode == "garbage":
                    self._send(200, b"\x00" * 17)
                else:  # huge or drip: a body that never ends
                    self.send_response(200)
                    self.send_header("Content-Type", "application/vnd.ipld.raw")
                    self.end_headers()
                    try:
                        while not stop.is_set():
                            self.wfile.write(b"x" * (1 << 16) if mode == "huge" else b"x")
                            self.wfile.flush()
                            if mode == "drip":
                                stop.wait(pause)
                    except OSError:
                        pass
                    self.close_connection = True

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.ipld.raw")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> HostileGateway:
        __import__("threading").Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class PlainGateway:
    """A gateway that is not trustless: it ignores ``?format=raw`` and the Accept header and
    answers every ``/ipfs/<cid>[/path]`` with the plain file (an HTML listing for a folder), as
    the package's gateway serves a browser. With `claim_raw` it labels those answers
    ``application/vnd.ipld.raw``: a liar rather than a plain gateway."""

    def __init__(self, store: BlockStore, claim_raw: bool = False) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from nft_toolkit.ipfs.gateway import Gateway

        self.inner = inner = Gateway(store)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                plain = requests.get(inner.url + self.path.split("?")[0], timeout=30,
                                     headers={"Accept": "*/*"})
                ctype = "application/vnd.ipld.raw" if claim_raw else plain.headers["Content-Type"]
                self.send_response(plain.status_code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(plain.content)))
                self.end_headers()
                self.wfile.write(plain.content)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> PlainGateway:
        self.inner.start()
        __import__("threading").Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.inner.stop()
