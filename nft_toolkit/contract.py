"""Deploying and minting the collection contract with web3.py, from the packaged artifact.

A *sender* is either the address of an account the node unlocks (ganache's development
accounts) or an eth-account ``LocalAccount`` that signs locally (a keystore or a private key).
The Brownie scripts and the CLI both call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError, Web3Exception

from nft_toolkit.artifact import Artifact, load_artifact
from nft_toolkit.errors import ChainError, InputError

Sender = Union[str, LocalAccount]


@dataclass(frozen=True)
class CollectionParams:
    """The parameters fixed at deployment."""

    name: str
    symbol: str
    year: int
    max_supply: int
    royalty_receiver: str
    royalty_bps: int
    non_transferable: bool = False

    def __post_init__(self) -> None:
        if not self.name or not self.symbol:
            raise InputError("the collection needs a name and a symbol")
        if not 1 <= self.year <= 65535:
            raise InputError(f"zodiac year {self.year} is out of range (1..65535)")
        if self.max_supply < 1:
            raise InputError(f"max supply must be at least 1, not {self.max_supply}")
        if not 0 <= self.royalty_bps <= 10_000:
            raise InputError(f"royalty of {self.royalty_bps} basis points is not within 0..10000")
        if not Web3.is_address(self.royalty_receiver):
            raise InputError(f"royalty receiver {self.royalty_receiver!r} is not an address")


@dataclass(frozen=True)
class Deployment:
    """Where and by whom a collection contract was deployed."""

    chain_id: int
    address: str
    transaction: str
    block: int
    issuer: str
    runtime_hash: str


def sender_address(sender: Sender) -> str:
    return sender if isinstance(sender, str) else sender.address


def collection_at(w3: Web3, address: str, artifact: Artifact | None = None) -> Contract:
    """The collection contract at `address`, with the packaged ABI."""
    if not Web3.is_address(address):
        raise InputError(f"{address!r} is not a contract address")
    abi = (artifact or load_artifact()).abi
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi)


def transact(w3: Web3, sender: Sender, call: Any) -> dict:
    """Sends a contract call or constructor from `sender`, waits, and returns the receipt."""
    try:
        if isinstance(sender, str):
            tx_hash = call.transact({"from": sender})
        else:
            tx = call.build_transaction({
                "from": sender.address,
                "nonce": w3.eth.get_transaction_count(sender.address, "pending"),
            })
            tx_hash = w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction)
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)
    except ContractLogicError as exc:
        raise ChainError(f"the contract refused the transaction: {exc}") from exc
    except (Web3Exception, OSError, ValueError) as exc:
        raise ChainError(f"transaction failed: {exc}") from exc
    if receipt["status"] != 1:
        raise ChainError(f"transaction {receipt['transactionHash'].hex()} reverted")
    return receipt


def deploy_collection(w3: Web3, sender: Sender, params: CollectionParams) -> Deployment:
    """Deploys a ZodiacCollection; the sender becomes its issuer."""
    artifact = load_artifact()
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = transact(w3, sender, factory.constructor(
        params.name, params.symbol, params.year, params.max_supply,
        Web3.to_checksum_address(params.royalty_receiver), params.royalty_bps,
        params.non_transferable,
    ))
    return Deployment(
        chain_id=w3.eth.chain_id,
        address=receipt["contractAddress"],
        transaction="0x" + receipt["transactionHash"].hex().removeprefix("0x"),
        block=receipt["blockNumber"],
        issuer=sender_address(sender),
        runtime_hash=artifact.runtime_hash,
    )


def mint(w3: Web3, sender: Sender, address: str, to: str, count: int, batch_size: int = 100) -> list[dict]:
    """Mints `count` tokens to `to` in transactions of at most `batch_size`; returns receipts."""
    if not Web3.is_address(to):
        raise InputError(f"{to!r} is not an address")
    if count < 1 or batch_size < 1:
        raise InputError("count and batch size must be at least 1")
    contract = collection_at(w3, address)
    receipts = []
    remaining = count
    while remaining:
        n = min(batch_size, remaining)
        receipts.append(transact(w3, sender, contract.functions.mint(Web3.to_checksum_address(to), n)))
        remaining -= n
    return receipts
