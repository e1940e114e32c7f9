"""Fees: legacy or EIP-1559 chosen from what the node reports, or forced by networks.yaml; a gas
price written as users of the field write it; each mistake one line. On real anvil chains: the
kind each choice sends, read back from the chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.fees import PRIORITY_FEE_FLOOR, FeePolicy, fee_fields, parse_gas_price
from nft_toolkit.chain.networks import load_networks
from nft_toolkit.errors import ConfigError
from tests.support.anvil import anvil

GOOD = "bank:\n  rpc_url: http://127.0.0.1:8545\n  chain_id: 4242\n"


def _unasked() -> int:
    raise AssertionError("the node was asked for what this choice does not need")


@pytest.mark.parametrize("written, wei", [
    (0, 0), ("0", 0), (20, 20), ("20 gwei", 20 * 10**9), ("1.5gwei", 1_500_000_000),
    ("1000 wei", 1000), ("2 GWEI", 2 * 10**9), ("0.000000001 ether", 10**9)])
def test_a_gas_price_is_read_as_the_field_writes_it(written: object, wei: int) -> None:
    assert parse_gas_price(written) == wei


@pytest.mark.parametrize("written, said", [
    ("1.5", "a fraction of a wei"), (-1, "negative"), ("-1 gwei", "no gas price"),
    (True, "no price"), (1.5, "no gas price"), ("3 bananas", "no gas price"), ("", "no gas price")])
def test_a_bad_gas_price_is_one_line(written: object, said: str) -> None:
    with pytest.raises(ConfigError, match=said) as exc:
        parse_gas_price(written, "bank.gas_price")
    assert str(exc.value).startswith("bank.gas_price: ") and "\n" not in str(exc.value)


def test_auto_follows_the_latest_block() -> None:
    auto = FeePolicy()
    # no base fee: legacy at the node's price, which may be 0; the tip is never asked
    assert fee_fields(auto, None, lambda: 0, _unasked) == {"gasPrice": 0}
    assert fee_fields(auto, None, lambda: 7, _unasked) == {"gasPrice": 7}
    # a base fee: EIP-1559, twice the base fee plus the tip, the tip at least 1 gwei
    assert fee_fields(auto, 10, _unasked, lambda: 5) == {
        "maxFeePerGas": 20 + PRIORITY_FEE_FLOOR, "maxPriorityFeePerGas": PRIORITY_FEE_FLOOR}
    assert fee_fields(auto, 10, _unasked, lambda: 3 * 10**9) == {
        "maxFeePerGas": 20 + 3 * 10**9, "maxPriorityFeePerGas": 3 * 10**9}
    assert fee_fields(auto, 10, _unasked, lambda: None)["maxPriorityFeePerGas"] == PRIORITY_FEE_FLOOR
    # a fee market whose gas is free (base fee 0): no tip forced on accounts that hold nothing
    assert fee_fields(auto, 0, _unasked, lambda: 0) == {"maxFeePerGas": 0, "maxPriorityFeePerGas": 0}


def test_a_network_can_force_the_kind_and_the_price() -> None:
    assert fee_fields(FeePolicy("legacy"), 10, lambda: 9, _unasked) == {"gasPrice": 9}
    assert fee_fields(FeePolicy("legacy", 0), 10, _unasked, _unasked) == {"gasPrice": 0}
    assert fee_fields(FeePolicy("auto", 5), 10, _unasked, _unasked) == {"gasPrice": 5}
    assert "maxFeePerGas" in fee_fields(FeePolicy("eip1559"), 10, _unasked, lambda: None)
    with pytest.raises(ConfigError, match="fees: eip1559, but bank has no base fee"):
        fee_fields(FeePolicy("eip1559"), None, _unasked, _unasked, where="bank")
    with pytest.raises(ConfigError, match="gas_price is the price of legacy transactions"):
        FeePolicy("eip1559", 1)


def test_networks_yaml_reads_fees_gas_price_and_a_signer(tmp_path: Path) -> None:
    path = tmp_path / "networks.yaml"
    address = dev_account(0).address
    path.write_text(GOOD + "  fees: legacy\n  gas_price: 1 gwei\n"
                    f"  signer_url: http://127.0.0.1:8550\n  from: \"{address}\"\n")
    net = load_networks(path)["bank"]
    assert net.fees == FeePolicy("legacy", 10**9)
    assert (net.signer_url, net.from_address) == ("http://127.0.0.1:8550", address)
    path.write_text(GOOD)
    assert load_networks(path)["bank"].fees == FeePolicy()


@pytest.mark.parametrize("extra, said", [
    ("  fees: cheap\n", "bank.fees: 'cheap' is not a fee kind; use auto, legacy or eip1559"),
    ("  fees: eip1559\n  gas_price: 0\n", "bank.gas_price: is the price of legacy transactions"),
    ("  gas_price: 20 bananas\n", "bank.gas_price: '20 bananas' is no gas price"),
    ("  signer_url: http://127.0.0.1:8550\n", "bank.from: missing; an external signer needs both"),
    ("  from: \"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"\n", "bank.signer_url: missing"),
    ("  signer_url: ftp://x\n  from: \"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"\n",
     "bank.signer_url 'ftp://x' is not an http(s) URL"),
    ("  signer_url: http://x:1\n  from: \"0x1234\"\n", "bank.from: "),
    ("  signer_url: http://x:1\n  from: \"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"\n"
     "  keystore: k.json\n", "bank.keystore: given beside signer_url"),
])
def test_each_fee_or_signer_mistake_is_one_line(tmp_path: Path, extra: str, said: str) -> None:
    path = tmp_path / "networks.yaml"
    path.write_text(GOOD + extra)
    with pytest.raises(ConfigError) as exc:
        load_networks(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: ") and said in message and "\n" not in message


@pytest.mark.parametrize("args, policy, kind", [
    (("--hardfork", "berlin", "--gas-price", "0"), FeePolicy(), 0),
    ((), FeePolicy(), 2),
    ((), FeePolicy("legacy", 3 * 10**9), 0),
])
def test_the_kind_sent_on_a_real_chain(args: tuple[str, ...], policy: FeePolicy, kind: int) -> None:
    from nft_toolkit.artifact import load_artifact
    from nft_toolkit.chain.pending import send_new

    signer = dev_account(0)
    with anvil(*args) as node:
        chain = Chain(node.url, node.chain_id, fees=policy)
        artifact = load_artifact()
        factory = chain.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        call = factory.constructor("T", "T", 2026, 10, signer.address, 0, 0, 0)
        tx, receipt = send_new(chain, signer, call, lambda tx: None, 1)
        assert receipt["status"] == 1
        sent = chain.w3.eth.get_transaction(tx.hash)
        assert sent["type"] == kind
        if kind == 0:
            assert sent["gasPrice"] == (policy.gas_price or 0)
        else:
            assert sent["maxFeePerGas"] >= 2 * chain.w3.eth.get_block(receipt["blockNumber"] - 1)[
                "baseFeePerGas"]


def test_forcing_eip1559_on_a_chain_without_it_is_one_line() -> None:
    signer = dev_account(0)
    with anvil("--hardfork", "berlin", "--gas-price", "0") as node:
        chain = Chain(node.url, node.chain_id, fees=FeePolicy("eip1559"), name="bank")
        call = chain.w3.eth.contract(abi=[], bytecode="0x00").constructor()
        with pytest.raises(ConfigError, match="fees: eip1559, but bank has no base fee"):
            chain.sign(signer, call, 0)
        assert chain.nonce(signer.address) == 0  # nothing sent


def test_a_chain_older_than_the_contracts_evm_is_named_in_one_line() -> None:
    """Found trying a berlin chain: shanghai-compiled code died in the node's `NotActivated`.
    The contract is compiled for berlin now; a chain before it (byzantium: no SHL, CHAINID)
    is named, in one line, with the EVM the contract needs."""
    from nft_toolkit.artifact import load_artifact
    from nft_toolkit.errors import ChainError

    signer = dev_account(0)
    with anvil("--hardfork", "byzantium", "--gas-price", "0") as node:
        chain = Chain(node.url, node.chain_id, name="bank")
        artifact = load_artifact()
        factory = chain.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        call = factory.constructor("T", "T", 2026, 10, signer.address, 0, 0, 0)
        with pytest.raises(ChainError) as exc:
            chain.sign(signer, call, 0)
    message = str(exc.value)
    assert "bank does not run an instruction of the contract" in message, message
    assert message.endswith("compiled for (berlin)") and "\n" not in message
