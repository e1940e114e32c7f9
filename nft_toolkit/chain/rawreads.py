"""The reads of a mint's hot path as raw JSON-RPC, without web3.py's result formatting.

web3.py formats every field of an answer: a 200-token airdrop's receipt carries 200 Transfer
logs, each turned into typed objects (tens of milliseconds), and a batch's call data is checked
address by address (a Keccak hash each). A pipelined mint reads a receipt of every batch, so on
a fast node these formatters, not the chain, would bound the run. Here the answer is taken as the
node gives it: a receipt's few fields a mint needs. (Owners: :meth:`Chain.owners`, which decodes
``ownersInRange`` itself.) Errors leave as :meth:`Chain.rpc` maps them (one ChainError line).
"""

from __future__ import annotations

from typing import Any

from eth_abi import encode
from eth_utils import keccak
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
                 args: list[Any], *, gas: int | None = None,
                 estimate_args: list[Any] | None = None, tag: str = "latest",
                 gas_cap: int | None = None) -> None:
        """`gas`: the call's gas when already known (:mod:`nft_toolkit.chain.batchgas`): the node
        is not asked. Otherwise the node's estimate at block `tag` of the call with
        `estimate_args` in place of `args` when given (a probe of the same shape), kept in
        :attr:`estimated`. `gas_cap`: the most gas the signed transaction may claim (the block's
        gas limit; :meth:`Chain.sign` adds headroom up to it)."""
        self.chain = chain
        self.fn_name = signature.split("(")[0]  # what Chain.sign names in a refusal
        self.to = to
        self.selector = keccak(text=signature)[:4]
        self.data = "0x" + (self.selector + encode(types, args)).hex()
        self.estimate_data = self.data if estimate_args is None else (
            "0x" + (self.selector + encode(types, estimate_args)).hex())
        self.gas = gas
        self.tag = tag
        self.gas_cap = gas_cap
        self.estimated: int | None = None

    def estimate(self, params: dict[str, Any]) -> int:
        """The node's gas estimate (see the constructor) for a transaction of `params` (its
        ``from`` and ``value``); a refusal raised as web3 raises it: ContractLogicError."""
        request: dict[str, Any] = {k: params[k] for k in ("from", "value") if k in params}
        request.update(to=self.to, data=self.estimate_data)
        self.estimated = int(self.chain.w3.eth.estimate_gas(request, self.tag))  # type: ignore[arg-type]
        return self.estimated

    def build_transaction(self, params: dict[str, Any]) -> dict[str, Any]:
        """`params` with the call's `to`, `data` and gas (known, or the node's estimate)."""
        gas = self.gas if self.gas is not None else self.estimate(params)
        return {**params, "to": self.to, "data": self.data, "gas": gas}


def address_bytes(address: str) -> bytes:
    """The 20 bytes of a 0x-hex address already checked (eth_abi then hashes no checksum)."""
    return bytes.fromhex(address.removeprefix("0x"))


def address_word(address: bytes) -> bytes:
    """20 address bytes as the 32-byte ABI word of an address (left-padded with zeros): an
    ``address[]`` is encoded as the ``bytes32[]`` of these words, byte for byte, and eth_abi
    encodes that without checking each address again (a 200-address batch in 4 ms, not 11)."""
    return bytes(12) + address


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
