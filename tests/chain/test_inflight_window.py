"""The send window's rules: a transaction's gas limit read from its signed bytes, at most K in
flight and never more gas than IN_FLIGHT_BLOCKS blocks hold, one always allowed."""

from __future__ import annotations

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import SignedTx
from nft_toolkit.chain.inflight import IN_FLIGHT_BLOCKS, MAX_IN_FLIGHT, InFlight, Window, gas_limit

SIGNER = dev_account(0)
BASE = {"to": dev_account(1).address, "value": 0, "nonce": 3, "data": b"\x01\x02"}


@pytest.mark.parametrize("fees", [{"gasPrice": 0},  # legacy, as a chain without a fee market
                                  {"gasPrice": 10**9, "chainId": 1337},  # EIP-155 legacy
                                  {"gasPrice": 10**9, "chainId": 1337, "accessList": [],
                                   "type": 1},  # EIP-2930
                                  {"maxFeePerGas": 2 * 10**9, "maxPriorityFeePerGas": 10**9,
                                   "chainId": 1337}])  # EIP-1559
@pytest.mark.parametrize("gas", [21_000, 9_512_345, 29_999_999])
def test_gas_limit_of_each_transaction_kind(fees: dict, gas: int) -> None:
    raw = SIGNER.sign_transaction({**BASE, **fees, "gas": gas}).raw_transaction
    assert gas_limit("0x" + bytes(raw).hex()) == gas


def test_an_unknown_transaction_type_is_refused() -> None:
    with pytest.raises(ValueError, match="type 04"):
        gas_limit("0x04c0")


def entry(gas: int) -> InFlight[int]:
    return InFlight(0, SignedTx("0x" + "00" * 32, 0, "0x"), gas)


def test_at_most_k_in_flight() -> None:
    window: Window[int] = Window(3, 30_000_000)
    for _ in range(3):
        assert window.fits(100_000)
        window.push(entry(100_000))
    assert not window.fits(100_000) and len(window) == 3
    window.pop()
    assert window.fits(100_000)


def test_never_more_gas_than_a_few_blocks_hold() -> None:
    block = 30_000_000
    window: Window[int] = Window(None, block)
    assert window.limit == MAX_IN_FLIGHT
    big = 9_500_000  # a 200-recipient airdrop batch
    fitted = 0
    while window.fits(big):
        window.push(entry(big))
        fitted += 1
    assert fitted == IN_FLIGHT_BLOCKS * block // big
    assert window.gas <= IN_FLIGHT_BLOCKS * block


def test_one_transaction_always_fits() -> None:
    window: Window[int] = Window(1, 1_000_000)
    assert window.fits(50_000_000)  # larger than the cap: sent alone, the node judges it
    window.push(entry(50_000_000))
    assert not window.fits(21_000)
    with pytest.raises(ValueError):
        Window(0, 1_000_000)
