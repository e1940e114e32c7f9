"""One connection to one chain: checked chain ID, reads, batched reads, signed transactions.

Nothing is sent before :meth:`Chain.check` has confirmed the chain ID the caller expects.
Every web3/transport failure leaves as a :class:`~nft_toolkit.errors.ChainError` with one line
that names the endpoint, so the CLI can show it (exit 3). A chain reached through several
endpoints spreads its reads and skips a failing one (:mod:`nft_toolkit.chain.endpoints`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import requests
from eth_abi import encode
from eth_typing import ChecksumAddress
from eth_utils import keccak
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3Exception

from nft_toolkit.address import ZERO_ADDRESS, eip55, parse_address
from nft_toolkit.artifact import Artifact, load_artifact
from nft_toolkit.chain.accounts import Signer
from nft_toolkit.chain.endpoints import (NAME_UNRESOLVED, EndpointsFailed, connection_fault,
                                         provider_for)
from nft_toolkit.chain.fees import FeePolicy, fee_fields
from nft_toolkit.chain.networks import redact_text, redact_url
from nft_toolkit.chain.revert import SIGNER_REFUSALS, describe_revert, error_name, revert_data
from nft_toolkit.errors import ChainError, ConfigError

T = TypeVar("T")

RPC_TIMEOUT = 30.0  # seconds per request; never infinite
STALL_SECONDS = 120.0  # no new block for this long: the chain is not going to confirm
DEV_CLIENTS = ("ganache", "hardhatnetwork", "anvil")  # web3_clientVersion prefixes
DEV_CHAIN_IDS = (1337, 31337)  # ganache and geth --dev; Hardhat and anvil
OWNERS_CHUNK = 2000  # ownersInRange IDs per call, well inside ganache's eth_call gas limit
CODES_CHUNK = 500  # eth_getCode requests per JSON-RPC batch
OWNERS_IN_RANGE = keccak(text="ownersInRange(uint256,uint256)")[:4]  # its selector
# What nodes answer for an opcode their hardfork lacks (anvil, revm; geth; ganache).
OPCODE_REFUSALS = ("notactivated", "invalid opcode", "opcode 0x")


@dataclass(frozen=True)
class SignedTx:
    """A signed transaction, known (hash, nonce) before it is sent, so it can be journaled."""

    hash: str
    nonce: int
    raw: str  # 0x-hex of the raw transaction


def to_hex(value: bytes | str) -> str:
    """0x-prefixed lower-case hex of a hash."""
    if isinstance(value, str):
        return "0x" + value.removeprefix("0x").lower()
    return "0x" + bytes(value).hex()


# The one address parser (EIP-55 checked, zero refused), under the name the chain code uses.
checksum = parse_address


def address_array(data: bytes, what: str, checksummed: bool = True) -> list[str]:
    """The ABI-encoded ``address[]`` return value `data` (offset, length, one 32-byte word per
    address, its first 12 bytes zero) as checksum addresses (lower-case 0x-hex unless
    `checksummed`: no Keccak hash each); ChainError naming `what` when the node answered
    anything else."""
    n = len(data)
    offset = int.from_bytes(data[:32], "big") if n >= 32 else -1
    count = int.from_bytes(data[offset:offset + 32], "big") if 32 <= offset <= n - 32 else -1
    words = data[offset + 32:offset + 32 + 32 * count] if count >= 0 else b""
    if count < 0 or len(words) != 32 * count or any(
            words[i:i + 12].strip(b"\x00") for i in range(0, len(words), 32)):
        raise ChainError(f"{what} answered {n} bytes that are no ABI-encoded address[]")
    if not checksummed:
        return ["0x" + words[i + 12:i + 32].hex() for i in range(0, len(words), 32)]
    return [eip55(words[i + 12:i + 32]) for i in range(0, len(words), 32)]


class Chain:
    """A chain reached over JSON-RPC at `url` (or at each of several endpoints of it), expected
    to be chain `expected_chain_id`."""

    def __init__(self, url: str | Sequence[str], expected_chain_id: int | None, *,
                 name: str = "custom", timeout: float = RPC_TIMEOUT, w3: Web3 | None = None,
                 fees: FeePolicy | None = None) -> None:
        self.urls = (url,) if isinstance(url, str) else tuple(url)
        self.url = self.urls[0]
        self.name = name
        self.fee_policy = fees or FeePolicy()
        self.expected_chain_id = expected_chain_id
        self.w3 = w3 or Web3(provider_for(self.urls, name=name, timeout=timeout))
        self._chain_id: int | None = None

    @classmethod
    def over(cls, w3: Web3, expected_chain_id: int | None, *, name: str = "custom",
             fees: FeePolicy | None = None) -> Chain:
        """A Chain on an existing connection (Brownie's ``web3``, say) rather than its own."""
        url = str(getattr(w3.provider, "endpoint_uri", None) or type(w3.provider).__name__)
        return cls(url, expected_chain_id, name=name, w3=w3, fees=fees)

    def __repr__(self) -> str:
        return f"Chain({self.name!r}, {self.where!r})"

    @property
    def where(self) -> str:
        """The endpoint's URL, or the endpoints' URLs, for messages (redacted)."""
        return ", ".join(redact_url(url) for url in self.urls)

    # -- errors ---------------------------------------------------------------------------------
    def rpc(self, fn: Callable[[], T], what: str) -> T:
        """Runs `fn`, turning transport and node failures into one ChainError line; a revert
        stays a ContractLogicError (callers tell a refusal from a failure), its reason decoded."""
        try:
            return fn()
        except ContractLogicError as exc:
            raise decoded(exc) from exc
        except EndpointsFailed as exc:
            raise ChainError(f"no RPC endpoint of {self.name} answers ({what}): {exc}") from exc
        except (requests.ConnectionError, ConnectionError) as exc:
            if connection_fault(exc) == NAME_UNRESOLVED:
                raise ChainError(f"the chain at {self.where} does not answer ({what}): its host "
                                 "name does not resolve; check the URL") from exc
            raise ChainError(f"the chain at {self.where} does not answer ({what}); "
                             "is it running? (`nft-toolkit chain start` for development)") from exc
        except requests.Timeout as exc:
            raise ChainError(f"the chain at {self.where} timed out ({what})") from exc
        except (Web3Exception, requests.RequestException, OSError, ValueError) as exc:
            revert = _node_revert(exc)
            if revert is not None:
                raise decoded(revert) from exc
            raise ChainError(f"{what} failed on {self.name}: {redact_text(_message(exc))}") from exc

    # -- identity -------------------------------------------------------------------------------
    @property
    def chain_id(self) -> int:
        """The chain ID the node reports (read once)."""
        if self._chain_id is None:
            self._chain_id = int(self.rpc(lambda: self.w3.eth.chain_id, "eth_chainId"))
        return self._chain_id

    def is_development(self) -> bool:
        """Whether the node is a development chain (ganache, Hardhat, anvil, geth --dev): one
        whose blocks are final at once and that mines a block only when a transaction comes."""
        if self.chain_id in DEV_CHAIN_IDS:
            return True
        client = str(self.rpc(lambda: self.w3.client_version, "web3_clientVersion"))
        return client.lower().startswith(DEV_CLIENTS)

    def confirmations_for(self, wanted: int) -> tuple[int, str | None]:
        """The confirmations to wait for when `wanted`, with a note when it is fewer: 1 on a
        development chain, where a second block may never come and the first is final."""
        if wanted > 1 and self.is_development():
            return 1, (f"{self.name} is a development chain that mines only when a transaction "
                       f"comes and never reorganizes: waiting for 1 confirmation, not {wanted}")
        return wanted, None

    def check(self) -> int:
        """The chain ID, after checking it is the expected one (call before sending anything);
        ConfigError (exit 2) when it is not: the options or networks.yaml name another chain."""
        actual = self.chain_id
        if self.expected_chain_id is not None and actual != self.expected_chain_id:
            raise ConfigError(f"{self.name} at {self.where} is chain {actual}, "
                             f"not the expected chain {self.expected_chain_id}: refusing to go on")
        return actual

    # -- reads ----------------------------------------------------------------------------------
    def code(self, address: str) -> bytes:
        """The runtime code at `address` (empty for an account)."""
        at = Web3.to_checksum_address(address)  # already parsed: no user input reaches here
        return bytes(self.rpc(lambda: self.w3.eth.get_code(at), "eth_getCode"))

    def codes(self, addresses: Sequence[str]) -> list[bytes]:
        """The runtime code at each of `addresses`, in order: eth_getCode in JSON-RPC batches."""
        out: list[bytes] = []
        for start in range(0, len(addresses), CODES_CHUNK):
            chunk = [Web3.to_checksum_address(a) for a in addresses[start:start + CODES_CHUNK]]
            if len(chunk) == 1:
                out.append(self.code(chunk[0]))
                continue

            def run(chunk: list[ChecksumAddress] = chunk) -> list[Any]:
                with self.w3.batch_requests() as batch:
                    for address in chunk:
                        batch.add(self.w3.eth.get_code(address))
                    return list(batch.execute())
            out += [bytes(c) for c in self.rpc(run, "batched eth_getCode")]
        return out

    def block_number(self) -> int:
        """The number of the newest block."""
        return int(self.rpc(lambda: self.w3.eth.block_number, "eth_blockNumber"))

    def nonce(self, address: str, block: Literal["latest", "pending"] = "latest") -> int:
        """The transaction count of `address` at `block` ("pending" counts the node's pool)."""
        at = Web3.to_checksum_address(address)
        return int(self.rpc(lambda: self.w3.eth.get_transaction_count(at, block),
                            "eth_getTransactionCount"))

    def collection(self, address: str, artifact: Artifact | None = None) -> Contract:
        """The collection contract at `address`, with the packaged ABI."""
        abi = (artifact or load_artifact()).abi
        return self.w3.eth.contract(address=checksum(address, "contract address"), abi=abi)

    def call(self, fn: Any, what: str | None = None) -> Any:
        """`fn.call()` of a bound contract function, errors mapped."""
        return self.rpc(fn.call, what or f"{fn.fn_name}()")

    def batch_call(self, fns: Sequence[Any]) -> list[Any]:
        """Calls many bound contract functions in one JSON-RPC batch; results in order.

        A reverted call yields its ContractLogicError in place of a result, so one missing token
        does not hide the answers to the others.
        """
        if not fns:
            return []

        def run() -> list[Any]:
            with self.w3.batch_requests() as batch:
                for fn in fns:
                    batch.add(fn)
                return list(batch.execute())
        try:
            return self.rpc(run, "batched eth_call")
        except ContractLogicError:
            # The batch stops at the first revert: fall back to one call each.
            out: list[Any] = []
            for fn in fns:
                try:
                    out.append(self.call(fn))
                except ContractLogicError as exc:
                    out.append(exc)
            return out

    def owners(self, address: str, first: int, last: int, checksummed: bool = True) -> list[str]:
        """Owners of tokens `first`..`last` of the collection at `address`, the zero address for
        unminted or burned ones: ``ownersInRange`` in chunks, several in one JSON-RPC batch;
        lower-case unless `checksummed` (a minter compares them with its plan, and an EIP-55
        form costs a Keccak hash each).

        The calls are raw ``eth_call``s, encoded and decoded here: web3's contract objects and
        result formatters cost ~80 us an address, which a 100,000-token audit feels."""
        to = checksum(address, "contract address")
        starts = range(first, last + 1, OWNERS_CHUNK)
        calls = [{"to": to, "data": "0x" + (OWNERS_IN_RANGE + encode(
            ["uint256", "uint256"], [s, min(s + OWNERS_CHUNK - 1, last)])).hex()} for s in starts]

        def run() -> list[Any]:
            if len(calls) == 1:
                return [self.w3.eth.call(calls[0])]  # type: ignore[arg-type]
            with self.w3.batch_requests() as batch:
                for call in calls:
                    batch.add(self.w3.eth.call(call))  # type: ignore[arg-type]
                return list(batch.execute())
        out: list[str] = []
        for start, got in zip(starts, self.rpc(run, "ownersInRange")):
            want = min(start + OWNERS_CHUNK - 1, last) - start + 1
            found = address_array(bytes(got), f"ownersInRange({start}, ...) on {self.name}",
                                  checksummed)
            out += found + [ZERO_ADDRESS] * (want - len(found))
        return out

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        """The receipt of `tx_hash`, or None while it is unknown or pending."""
        def get() -> dict[str, Any] | None:
            try:
                return dict(self.w3.eth.get_transaction_receipt(HexBytes(tx_hash)))
            except TransactionNotFound:
                return None
        return self.rpc(get, "eth_getTransactionReceipt")

    # -- transactions ---------------------------------------------------------------------------
    def fees(self) -> dict[str, int]:
        """The fee fields of a transaction sent now, in wei: ``gasPrice`` on a chain without a
        fee market (no base fee in its latest block) or when the network forces legacy fees,
        else EIP-1559's ``maxFeePerGas`` and ``maxPriorityFeePerGas`` (nft_toolkit.chain.fees)."""
        def tip() -> int | None:
            try:
                return int(self.w3.eth.max_priority_fee)
            except (Web3Exception, ValueError):
                return None  # a node without eth_maxPriorityFeePerGas

        def get() -> dict[str, int]:
            base = self.w3.eth.get_block("latest").get("baseFeePerGas")
            return fee_fields(self.fee_policy, None if base is None else int(base),
                              lambda: int(self.w3.eth.gas_price), tip, where=self.name)
        return self.rpc(get, "fee estimate")

    def sign(self, signer: Signer, call: Any, nonce: int, value: int = 0,
             fees: dict[str, int] | None = None) -> SignedTx:
        """Builds and signs `call` (a bound function or constructor) at `nonce`; sends nothing.
        `fees`: the fee fields (:meth:`fees`) when several are signed at once, else read now."""
        self.check()
        fees = fees or self.fees()
        params = {"from": signer.address, "nonce": nonce, "value": value, **fees,
                  "chainId": self.chain_id}
        try:
            tx = self.rpc(lambda: call.build_transaction(params), "gas estimate")
        except ContractLogicError as exc:
            what = f"{call.fn_name}()" if hasattr(call, "fn_name") else "the deployment"
            if error_name(str(exc.message)) in SIGNER_REFUSALS:
                raise ConfigError(f"the contract would refuse {what} from {signer.address}: "
                                  f"{exc.message}; sign with an account that holds the role, "
                                  "or have its admin grant it (grantRole)") from exc
            raise ChainError(f"the contract would refuse {what}: {exc.message}") from exc
        except ChainError as exc:
            if any(word in str(exc).lower() for word in OPCODE_REFUSALS):
                evm = load_artifact().compiler.get("evmVersion", "?")
                raise ChainError(f"{self.name} does not run an instruction of the contract "
                                 f"({_first_line(exc)}): it runs an EVM older than the one the "
                                 f"packaged contract is compiled for ({evm})") from exc
            raise
        gas = int(tx["gas"])
        tx["gas"] = int(gas * 1.2) + 10_000  # headroom: estimates drift with state
        cap = getattr(call, "gas_cap", None)  # a limit above the block's could never be mined
        if isinstance(cap, int):
            tx["gas"] = min(tx["gas"], max(cap, gas))
        for key in ("gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "type"):
            tx.pop(key, None)  # only the kind chosen here (Brownie's gas strategy adds a price)
        tx.update(fees)
        if not tx.get("to"):
            tx.pop("to", None)  # a deployment
        signed = self.rpc(lambda: signer.sign_transaction(tx), "signing")
        return SignedTx(to_hex(signed.hash), nonce, to_hex(signed.raw_transaction))

    def send(self, signed: SignedTx) -> None:
        """Broadcasts `signed`; a node that already has it is not an error."""
        self.check()
        def push() -> None:
            try:
                self.w3.eth.send_raw_transaction(HexBytes(signed.raw))
            except ContractLogicError:
                raise
            except (Web3Exception, ValueError) as exc:
                text = _message(exc).lower()
                if "already known" in text or "known transaction" in text or "already imported" in text:
                    return
                if "nonce too low" in text or "nonce is too low" in text:
                    return  # the nonce is spent: the caller reconciles from the chain
                raise
        try:
            self.rpc(push, "eth_sendRawTransaction")
        except ContractLogicError as exc:  # a node that executes at once and answers a revert
            raise ChainError(f"transaction {signed.hash} reverted: {exc.message}") from exc

    def wait(self, tx_hash: str, confirmations: int = 1, timeout: float = 300.0,
             poll: float = 0.05, *, require_success: bool = True,
             stall: float = STALL_SECONDS) -> dict[str, Any]:
        """The receipt of `tx_hash` once it has `confirmations` blocks; ChainError if it reverted,
        if it is not confirmed within `timeout`, or if no new block comes for `stall` seconds
        while a confirmation is missing (a chain that mines only on transactions)."""
        deadline = time.monotonic() + timeout
        receipt = None
        head, head_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            receipt = receipt or self.receipt(tx_hash)
            if receipt is not None:
                block = self.block_number()
                if block - receipt["blockNumber"] + 1 >= confirmations:
                    if require_success and receipt["status"] != 1:
                        raise ChainError(f"transaction {tx_hash} reverted")
                    return receipt
                if block != head:
                    head, head_since = block, time.monotonic()
                elif time.monotonic() - head_since > stall:
                    raise ChainError(f"transaction {tx_hash} is in block {receipt['blockNumber']}, "
                                     f"but {self.name} made no new block for {stall:.0f} s to "
                                     f"confirm it {confirmations} times; give --confirmations 1 "
                                     "and run again to resume")
            time.sleep(poll)
            poll = min(poll * 1.5, 2.0)
        raise ChainError(f"transaction {tx_hash} has no {confirmations} confirmation(s) after "
                         f"{timeout:.0f} s; run the command again to resume")

def _node_revert(exc: BaseException) -> ContractLogicError | None:
    """A revert that web3 left as a plain RPC error (ganache's ``VM Exception ... revert`` with
    an ``Error(string)`` or empty reason), as the ContractLogicError it is; None otherwise."""
    error = (getattr(exc, "rpc_response", None) or {}).get("error")
    if not isinstance(error, dict) or "revert" not in str(error.get("message", "")).lower():
        return None
    return ContractLogicError(str(error["message"]), data=error.get("data"))


def decoded(exc: ContractLogicError) -> ContractLogicError:
    """`exc` (same class, same data) with its message the decoded one-line revert reason."""
    said = exc.message or ""
    text = describe_revert(revert_data(exc), load_artifact().abi,
                           fallback="" if said.startswith("0x") else said)  # 0x: the data again
    out = type(exc)(text, data=exc.data)
    out.args = (text,)  # str() is the one line, not a (message, data) tuple
    return out


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _message(exc: BaseException) -> str:
    """The first line of an exception's text, for one-line errors (a node's error object gives
    its ``message``, not its stack)."""
    error = (getattr(exc, "rpc_response", None) or {}).get("error")
    if error is None and exc.args and isinstance(exc.args[0], dict):
        error = exc.args[0]
    if isinstance(error, dict) and error.get("message"):
        text = str(error["message"])
    else:
        text = str(exc.args[0] if len(exc.args) == 1 else exc) if exc.args else ""
    return text.splitlines()[0][:300] if text.strip() else type(exc).__name__
