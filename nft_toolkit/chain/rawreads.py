"""The reads of a mint's hot path as raw JSON-RPC, without web3.py's result formatting.

web3.py formats every field of an answer: a 200-token airdrop's receipt carries 200 Transfer
logs, each turned into typed objects (tens of milliseconds), and a batch's call data is checked
address by address (a Keccak hash each). A pipelined mint reads a receipt of every batch, so on
a fast node these formatters, not the chain, would bound the run. Here the answer is taken as the
node gives it: a receipt's few fields a mint needs. (Owners: :meth:`Chain.owners`, which decodes
``ownersInRange`` itself.) Errors leave as :meth:`Chain.rpc` maps them (one ChainError line).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eth_abi import encode
from eth_utils import keccak
from web3.exceptions import ContractLogicError
from web3.types import RPCEndpoint

from nft_toolkit.chain.client import CODES_CHUNK, Chain
from nft_toolkit.errors import ChainError


def request(chain: Chain, method: str, params: list[Any], what: str | None = None) -> Any:
    """The ``result`` of one JSON-RPC request through `chain`'s provider; ChainError (or the
    revert, as :meth:`Chain.rpc` raises it) otherwise."""
    def run() -> Any:
        answer = chain.w3.provider.make_request(RPCEndpoint(method), params)
        error = answer.get("error")
        if error is not None:
            text = error.get("message", error) if isinstance(error, dict) else error
            raise ChainError(f"{what or method} failed on {chain.name}: {str(text)[:300]}")
        return answer.get("result")
    return chain.rpc(run, what or method)


def receipt(chain: Chain, tx_hash: str) -> dict[str, Any] | None:
    """The fields of `tx_hash`'s receipt a mint reads, as ints (``status``, ``blockNumber``,
    ``gasUsed``, ``effectiveGasPrice``; ``transactionHash`` as hex), or None while it is unknown
    or pending. Its logs are not parsed."""
    raw = request(chain, "eth_getTransactionReceipt", [tx_hash])
    if not raw or raw.get("blockNumber") is None:
        return None
    return {"transactionHash": raw["transactionHash"], "status": int(raw["status"], 16),
            "blockNumber": int(raw["blockNumber"], 16), "gasUsed": int(raw["gasUsed"], 16),
            "effectiveGasPrice": int(raw.get("effectiveGasPrice") or "0x0", 16)}


class EncodedCall:
    """A contract call whose data is encoded here with eth_abi, for :meth:`Chain.sign`: web3.py's
    ``build_transaction`` validates every address argument by its checksum (a Keccak hash each,
    200 for an airdrop batch); these come from a plan whose addresses were checked once."""

    def __init__(self, chain: Chain, to: str, signature: str, types: list[str],
                 args: list[Any], behind: Callable[[], list[Any]] | None = None,
                 extra_gas: int = 0) -> None:
        """`behind`: for a call sent behind others still in flight whose own arguments hold
        only once those are mined (a guarded mint's first ID), the arguments true at "latest":
        its gas is estimated against the node's pending state, which holds them on nodes that
        build it from their pool (geth, anvil), else with `behind()` against "latest" (the same
        code path, so the same gas), with `extra_gas` added for what the state the call will
        meet may cost more than the one estimated against."""
        self.chain = chain
        self.fn_name = signature.split("(")[0]  # what Chain.sign names in a refusal
        self.to = to
        self.selector = keccak(text=signature)[:4]
        self.types = types
        self.data = "0x" + (self.selector + encode(types, args)).hex()
        self.behind = behind
        self.extra_gas = extra_gas

    def build_transaction(self, params: dict[str, Any]) -> dict[str, Any]:
        """`params` with the call's `to`, `data` and the node's gas estimate (a refusal raised
        as web3 raises it: ContractLogicError)."""
        tx = {**params, "to": self.to, "data": self.data}
        estimate: dict[str, Any] = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
        eth = self.chain.w3.eth
        if self.behind is None:
            tx["gas"] = int(eth.estimate_gas(estimate))  # type: ignore[arg-type]
            return tx
        try:
            gas = eth.estimate_gas(estimate, "pending")  # type: ignore[arg-type]
        except ContractLogicError:  # a pending state without the pool's transactions
            for attempt in range(3):
                # the first ID true at `latest`; the batches ahead may be mined between that
                # read and the estimate (the guard then refuses it): read again, a few times
                estimate["data"] = "0x" + (self.selector + encode(self.types, self.behind())).hex()
                try:
                    gas = eth.estimate_gas(estimate, "latest")  # type: ignore[arg-type]
                    break
                except ContractLogicError:
                    if attempt == 2:
                        raise
        tx["gas"] = int(gas) + self.extra_gas
        return tx


def address_bytes(address: str) -> bytes:
    """The 20 bytes of a 0x-hex address already checked (eth_abi then hashes no checksum)."""
    return bytes.fromhex(address.removeprefix("0x"))


def has_code(chain: Chain, addresses: list[str]) -> list[bool]:
    """Whether each of `addresses` holds code, in order: eth_getCode in raw JSON-RPC batches of
    CODES_CHUNK (web3's batch formats every answer and hashes every address's checksum); a
    provider without batches is asked through :meth:`Chain.codes`."""
    batch = getattr(chain.w3.provider, "make_batch_request", None)
    if batch is None:
        return [bool(c) for c in chain.codes(addresses)]
    out: list[bool] = []
    for start in range(0, len(addresses), CODES_CHUNK):
        chunk = addresses[start:start + CODES_CHUNK]

        def run(chunk: list[str] = chunk) -> Any:
            return batch([(RPCEndpoint("eth_getCode"), [a, "latest"]) for a in chunk])
        answers = chain.rpc(run, "batched eth_getCode")
        if not isinstance(answers, list) or len(answers) != len(chunk):
            error = answers.get("error") if isinstance(answers, dict) else None
            raise ChainError(f"batched eth_getCode failed on {chain.name}: "
                             f"{str(error or 'an answer per address missing')[:300]}")
        for answer in answers:
            if answer.get("error") is not None or not isinstance(answer.get("result"), str):
                raise ChainError(f"eth_getCode failed on {chain.name}: "
                                 f"{str(answer.get('error'))[:300]}")
            out.append(answer["result"] not in ("0x", "0x0", ""))
    return out
