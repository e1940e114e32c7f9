"""How a transaction pays for gas: EIP-1559 (type 2) or legacy (one gas price), chosen from
what the node reports, or forced by the network's entry in networks.yaml.

Many permissioned EVM chains run without a fee market (pre-London rules, gas price 0): their
blocks carry no ``baseFeePerGas`` and they take only legacy transactions. So, under ``fees:
auto`` (the default), a latest block with a base fee means EIP-1559 and one without means legacy
at the node's ``eth_gasPrice`` (which may be 0). ``fees: legacy`` or ``fees: eip1559`` forces
the kind; ``gas_price`` sets the legacy price (and, as in Hardhat's network config, implies
legacy under ``auto``).

``gas_price`` is read as users of the field write it: a whole number is wei (as Hardhat's
``gasPrice`` and Foundry's ``--gas-price``); text is a number and a unit (``"0"``, ``"20 gwei"``,
``"1.5gwei"``, ``"1000 wei"``), as Brownie's ``gas_price: "20 gwei"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from nft_toolkit.errors import ConfigError

FeeMode = Literal["auto", "legacy", "eip1559"]
FEE_MODES: tuple[FeeMode, ...] = ("auto", "legacy", "eip1559")
PRIORITY_FEE_FLOOR = 10**9  # 1 gwei when the node does not suggest a tip
GAS_PRICE_UNITS = ("wei", "kwei", "mwei", "gwei", "szabo", "finney", "ether")
_PRICE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$")


@dataclass(frozen=True)
class FeePolicy:
    """What a network's entry says about fees: the kind (`mode`) and a legacy gas price in wei
    (None: ask the node with ``eth_gasPrice``)."""

    mode: FeeMode = "auto"
    gas_price: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in FEE_MODES:
            raise ConfigError(f"fees: {self.mode!r} is not a fee kind; use auto, legacy or eip1559")
        if self.gas_price is not None and self.gas_price < 0:
            raise ConfigError(f"gas_price {self.gas_price} is negative")
        if self.mode == "eip1559" and self.gas_price is not None:
            raise ConfigError("gas_price is the price of legacy transactions, and fees: eip1559 "
                              "sends none: remove gas_price, or set fees: legacy")


def parse_gas_price(value: object, what: str = "gas_price") -> int:
    """`value` in wei: a whole number is wei; text is a number and an optional unit (wei, gwei,
    ether...; none means wei). ConfigError naming `what` for anything else, a negative price or
    a fraction of a wei."""
    if isinstance(value, bool):
        raise ConfigError(f"{what}: {value!r} is no price; write wei as a whole number, or "
                          "text such as \"20 gwei\"")
    if isinstance(value, int):
        if value < 0:
            raise ConfigError(f"{what}: {value} is negative; a gas price is 0 or more")
        return value
    match = _PRICE.match(value) if isinstance(value, str) else None
    unit = match.group(2).lower() if match else ""
    if match is None or (unit and unit not in GAS_PRICE_UNITS):
        raise ConfigError(f"{what}: {value!r} is no gas price; write wei as a whole number "
                          f"(gas_price: 0) or a number and a unit ({', '.join(GAS_PRICE_UNITS)}), "
                          "e.g. gas_price: \"20 gwei\"")
    from eth_utils.units import units  # here: reading networks.yaml stays light (no web3 stack)
    try:
        wei = Decimal(match.group(1)) * units[unit or "wei"]
    except InvalidOperation:  # the pattern admits only decimals; kept for safety
        raise ConfigError(f"{what}: {value!r} is no number") from None
    if wei != wei.to_integral_value():
        raise ConfigError(f"{what}: {value!r} is a fraction of a wei")
    return int(wei)


def fee_mode(value: object, what: str = "fees") -> FeeMode:
    """`value` as a fee kind; ConfigError naming `what` otherwise."""
    for mode in FEE_MODES:
        if value == mode:
            return mode
    raise ConfigError(f"{what}: {value!r} is not a fee kind; use auto, legacy or eip1559")


def fee_fields(policy: FeePolicy, base_fee: int | None, node_gas_price: Callable[[], int],
               node_tip: Callable[[], int | None], *, where: str = "the chain") -> dict[str, int]:
    """The fee fields of a transaction: ``gasPrice`` (legacy) or ``maxFeePerGas`` and
    ``maxPriorityFeePerGas`` (EIP-1559), all in wei.

    `base_fee` is the latest block's ``baseFeePerGas`` (None: the block has none, no fee
    market); `node_gas_price` and `node_tip` ask the node (``eth_gasPrice``,
    ``eth_maxPriorityFeePerGas``; the tip None when the node does not answer it) and are called
    only when needed. The EIP-1559 maximum is twice the base fee plus the tip, so a transaction
    survives a few blocks of rising base fee; the tip is at least 1 gwei unless the base fee
    is 0 (a chain whose gas is free). ConfigError when the policy forces EIP-1559 on a chain
    without it.
    """
    legacy = policy.mode == "legacy" or (policy.mode == "auto" and (
        base_fee is None or policy.gas_price is not None))
    if legacy:
        price = policy.gas_price if policy.gas_price is not None else node_gas_price()
        return {"gasPrice": int(price)}
    if base_fee is None:
        raise ConfigError(f"the network is set to fees: eip1559, but {where} has no base fee in "
                          "its latest block (a chain without EIP-1559): set fees: legacy or auto")
    tip = node_tip()
    if base_fee == 0:
        tip = tip or 0
    else:
        tip = max(tip if tip is not None else PRIORITY_FEE_FLOOR, PRIORITY_FEE_FLOOR)
    return {"maxFeePerGas": 2 * base_fee + tip, "maxPriorityFeePerGas": tip}
