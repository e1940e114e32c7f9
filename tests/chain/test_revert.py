"""Revert data decoded into one line with the packaged ABI, whatever shape the node gave it."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak
from web3.exceptions import ContractLogicError

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.client import ZERO_ADDRESS, _node_revert, decoded
from nft_toolkit.chain.revert import SIGNER_REFUSALS, describe_revert, error_name, revert_data

ABI = load_artifact().abi


def error(signature: str, types: list[str], values: list) -> bytes:
    return keccak(text=signature)[:4] + encode(types, values)


def test_custom_errors_of_the_collection() -> None:
    assert describe_revert(error("ERC721InvalidReceiver(address)", ["address"], [ZERO_ADDRESS]),
                           ABI) == (f"ERC721InvalidReceiver(receiver={ZERO_ADDRESS}): "
                                    "that address cannot receive tokens")
    assert describe_revert(error("MintingIsPaused()", [], []), ABI) == "MintingIsPaused(): minting is paused"
    assert describe_revert(error("MaxSupplyExceeded(uint256,uint256)", ["uint256"] * 2, [5, 2]),
                           ABI).startswith("MaxSupplyExceeded(requested=5, remaining=2)")
    role = describe_revert(error("AccessControlUnauthorizedAccount(address,bytes32)",
                                 ["address", "bytes32"], ["0x" + "11" * 20, bytes(32)]), ABI)
    assert "neededRole=DEFAULT_ADMIN_ROLE" in role
    assert error_name(role) in SIGNER_REFUSALS  # the signer's configuration: exit 2, not 3
    # the transfer policy's refusals: the end of a hold as a UTC time (date -u -d @1798605138)
    assert describe_revert(error("HoldNotOver(uint256,uint256)", ["uint256"] * 2, [2, 1798605138]), ABI) == (
        "HoldNotOver(tokenId=2, transferableAt=2026-12-30T04:32:18Z): the holder must keep the item "
        "for the collection's hold period before giving it")
    assert describe_revert(error("ApprovalsDisabled()", [], []), ABI).startswith("ApprovalsDisabled(): ")


def test_strings_panics_and_the_unknown() -> None:
    assert describe_revert(error("Error(string)", ["string"], ["receiver refuses"]), ABI) == \
        "reverted: receiver refuses"
    assert describe_revert(error("Panic(uint256)", ["uint256"], [0x11]), ABI) == \
        "panic 0x11 (arithmetic overflow or underflow)"
    assert describe_revert(b"", ABI) == "reverted without a reason"
    assert [error_name(describe_revert(error(sig, ["string"], ["AccessControl(x)"]), ABI))
            for sig in ("Error(string)", "Panic(uint256)")] == ["", ""]  # no error's name
    assert describe_revert(bytes.fromhex("deadbeef"), ABI) == "reverted with unknown error 0xdeadbeef"
    # a known selector with a body that does not decode is shown raw, not a traceback
    assert describe_revert(keccak(text="MaxSupplyExceeded(uint256,uint256)")[:4] + b"\1", ABI) \
        .startswith("reverted with unknown error 0x")


def test_revert_data_in_every_shape() -> None:
    data = "0x" + error("MintingIsPaused()", [], []).hex()
    assert revert_data(ContractLogicError("x", data=data)) == bytes.fromhex(data[2:])
    assert revert_data(ContractLogicError("x", data={"result": data})) == bytes.fromhex(data[2:])
    assert revert_data(ContractLogicError("x", data=None)) is None
    assert str(decoded(ContractLogicError("execution reverted: no", data=None))) == \
        "execution reverted: no"
    exc = decoded(ContractLogicError(data, data=data))
    assert str(exc) == "MintingIsPaused(): minting is paused" and exc.data == data


def test_a_revert_left_as_an_rpc_error_is_recognised() -> None:
    class RpcError(Exception):
        rpc_response = {"error": {"code": -32000, "data": "0x",
                                  "message": "VM Exception while processing transaction: revert"}}
    revert = _node_revert(RpcError())
    assert isinstance(revert, ContractLogicError)
    assert str(decoded(revert)) == "reverted without a reason"

    class Other(Exception):
        rpc_response = {"error": {"code": -32000, "message": "nonce too low"}}
    assert _node_revert(Other()) is None
