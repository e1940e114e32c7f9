"""A contract's revert in one line: ``Error(string)``, ``Panic(uint256)`` and the custom errors
of an ABI (the packaged collection's: ERC-6093, AccessControl, the cap, the pause...) decoded.

Pure: :func:`describe_revert` takes the revert data and the ABI; :func:`revert_data` digs the data
out of web3's exception, whichever shape the node gave it (a hex string, or an object holding it).
"""

from __future__ import annotations

from typing import Any, cast

from eth_abi import decode
from eth_abi.exceptions import DecodingError
from eth_typing import ABIError
from eth_utils import function_abi_to_4byte_selector, keccak, to_checksum_address

from nft_toolkit.policy import iso

ERROR_STRING = bytes.fromhex("08c379a0")  # Error(string), require() and revert("...")
PANIC = bytes.fromhex("4e487b71")  # Panic(uint256), failed asserts and checked arithmetic
PANIC_CODES = {
    0x01: "assertion failed", 0x11: "arithmetic overflow or underflow", 0x12: "division by zero",
    0x21: "invalid enum value", 0x22: "corrupt storage byte array", 0x31: "pop of an empty array",
    0x32: "array index out of bounds", 0x41: "out of memory", 0x51: "call to a zero function",
}
ROLES = {bytes(32): "DEFAULT_ADMIN_ROLE", keccak(text="MINTER_ROLE"): "MINTER_ROLE"}
# What the collection's errors mean to the person who sent the transaction.
HINTS = {
    "ERC721InvalidReceiver": "that address cannot receive tokens",
    "MaxSupplyExceeded": "the mint would pass the collection's cap",
    "MintingIsPaused": "minting is paused",
    "MintZeroQuantity": "a mint of zero tokens",
    "ReentrantMint": "the receiver minted during its callback",
    "UnexpectedFirstId": "the mint was planned from another ID: someone else minted in between, or an earlier batch failed",
    "AccessControlUnauthorizedAccount": "the account does not hold the role",
    "MetadataIsFrozen": "the metadata is frozen",
    "ProvenanceAlreadySet": "the provenance hash is already set",
    "MintingAlreadyStarted": "minting has started",
    "NonTransferable": "the collection is non-transferable",
    "HoldNotOver": "the holder must keep the item for the collection's hold period before giving it",
    "ApprovalsDisabled": "this collection allows no approvals or operators: only the holder may give an item",
    "InvalidTransferPolicy": "the transfer policy and hold days do not fit together",
    "ERC721NonexistentToken": "no such token",
    "ERC2981InvalidDefaultRoyalty": "the royalty is above 100%",
    "ERC2981InvalidDefaultRoyaltyReceiver": "the royalty receiver is invalid",
}

# Refusals that come from who signs, not from the chain's state: the signer's configuration, a
# usage error (exit 2) rather than a chain error (exit 3).
SIGNER_REFUSALS = frozenset({"AccessControlUnauthorizedAccount"})


def error_name(described: str) -> str:
    """The custom error's name heading a :func:`describe_revert` line (``Name(args): hint``),
    or '' when it names none (``reverted: ...``, ``panic ...``)."""
    head = described.split("(", 1)[0]
    return head if head.isidentifier() and "(" in described else ""


def revert_data(exc: BaseException) -> bytes | None:
    """The revert data carried by a web3 ContractLogicError, or None when the node gave none."""
    data: Any = getattr(exc, "data", None)
    if isinstance(data, dict):  # ganache and some nodes: an object holding the bytes
        data = next((v for k in ("data", "result") if isinstance(v := data.get(k), str)), None)
    if not isinstance(data, str) or not data.startswith("0x"):
        return None
    try:
        return bytes.fromhex(data[2:])
    except ValueError:
        return None


def describe_revert(data: bytes | None, abi: list[dict[str, Any]], fallback: str = "") -> str:
    """One line for a revert with `data`, decoded with the errors of `abi`:
    ``MaxSupplyExceeded(requested=5, remaining=2): the mint would pass the collection's cap``."""
    if data is None:  # the node gave no data: its own message is all there is
        return fallback or "reverted"
    if not data:
        return "reverted without a reason"
    selector, body = data[:4], data[4:]
    try:
        if selector == ERROR_STRING:
            return f"reverted: {decode(['string'], body)[0]}"
        if selector == PANIC:
            code = decode(["uint256"], body)[0]
            return f"panic 0x{code:02x} ({PANIC_CODES.get(code, 'unknown panic code')})"
        for item in abi:
            if item.get("type") == "error" and \
                    function_abi_to_4byte_selector(cast(ABIError, item)) == selector:
                return _describe_error(item, body)
    except (DecodingError, OverflowError, ValueError):
        pass
    return f"reverted with unknown error 0x{data.hex()}" + (f" ({fallback})" if fallback else "")


def _describe_error(item: dict[str, Any], body: bytes) -> str:
    inputs = item.get("inputs", [])
    values = decode([i["type"] for i in inputs], body)
    args = ", ".join(f"{i.get('name') or f'arg{n}'}={_show(i['type'], v, i.get('name'))}"
                     for n, (i, v) in enumerate(zip(inputs, values)))
    hint = HINTS.get(item["name"])
    return f"{item['name']}({args})" + (f": {hint}" if hint else "")


# error arguments that are block timestamps, shown as UTC times
TIMES = {"transferableAt"}


def _show(kind: str, value: Any, name: str | None = None) -> str:
    if name in TIMES and isinstance(value, int) and 0 <= value < 2**40:
        return iso(value)
    if kind == "address":
        return to_checksum_address(value)
    if kind == "bytes32" and value in ROLES:
        return ROLES[value]
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)
