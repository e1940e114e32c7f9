"""The one address parser, and every path where a user gives an address going through it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from eth_utils import to_checksum_address
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nft_toolkit.address import ZERO_ADDRESS, eip55, parse_address
from nft_toolkit.chain import client
from nft_toolkit.chain.deployer import CollectionParams
from nft_toolkit.config import load_config
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ConfigError, ContractError, InputError, NftToolkitError
from nft_toolkit.verify.context import setup

GOOD = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # ganache's first account, EIP-55 form
TYPO = "0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266"  # one letter's case flipped: wrong checksum

REFUSED = {  # input -> words the one line must hold
    TYPO: ("checksum", "mistyped"),
    ZERO_ADDRESS: ("zero address", "lost"),
    "0X" + "0" * 40: ("zero address",),
    "horse.eth": ("ENS", "0x address"),
    "pay.horse-year.example.com": ("ENS", "0x address"),
    "0x123": ("not an Ethereum address", "40 hex"),
    GOOD[2:]: ("not an Ethereum address",),  # no 0x
    GOOD + "0": ("not an Ethereum address",),
    GOOD[:-1] + "g": ("not an Ethereum address",),
    "0x " + GOOD[2:]: ("not an Ethereum address",),
    "": ("not an Ethereum address",),
    "1.0": ("not an Ethereum address",),
}

addresses = st.binary(min_size=20, max_size=20).filter(any).map(lambda b: to_checksum_address(b))


@pytest.mark.parametrize("text", [GOOD, GOOD.lower(), "0x" + GOOD[2:].upper(), GOOD.upper(),
                                  f"  {GOOD}\t", f"\n{GOOD.lower()}\r\n"])
def test_accepted_forms_give_the_checksum(text: str) -> None:
    assert parse_address(text, "--to") == GOOD


@pytest.mark.parametrize("text", list(REFUSED))
def test_refused_with_one_line_naming_where(text: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_address(text, "--to")
    message = str(exc.value)
    assert message.startswith("--to ") and "\n" not in message
    assert all(word in message for word in REFUSED[text]), message
    assert exc.value.exit_code == 2


def test_a_wrong_checksum_is_never_rechecksummed() -> None:
    # The old parser returned to_checksum_address(TYPO) == GOOD: the typo was "corrected" to an
    # address the user never checked, or (for a real typo) to the typo's own address.
    with pytest.raises(InputError, match="checksum"):
        parse_address(TYPO)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(address=addresses)
def test_lower_and_upper_give_the_same_checksum(address: str) -> None:
    assert parse_address(address.lower()) == parse_address("0x" + address[2:].upper()) == address
    assert parse_address(address) == address


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(address=addresses, data=st.data())
def test_flipping_the_case_of_one_letter_is_refused(address: str, data: st.DataObject) -> None:
    letters = [i for i, c in enumerate(address) if i >= 2 and c.isalpha()]
    assume(letters)
    i = data.draw(st.sampled_from(letters))
    flipped = address[:i] + address[i].swapcase() + address[i + 1:]
    digits = flipped[2:]
    if digits in (digits.lower(), digits.upper()):
        assert parse_address(flipped) == address  # no checksum written, none to check
        return
    with pytest.raises(InputError, match="wrong EIP-55 checksum"):
        parse_address(flipped, "row")


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(name=st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,10})*\.(eth|xyz|com)", fullmatch=True))
def test_ens_style_names_are_refused_by_name(name: str) -> None:
    with pytest.raises(InputError, match="ENS name, which is not resolved"):
        parse_address(name, "--to")


# -- every path where a user gives an address ---------------------------------------------------

def _royalty(tmp: Path, value: str) -> None:
    cfg = {"name": "Horse", "symbol": "HRS", "year": 2026, "size": 4,
           "royalty": {"receiver": value, "bps": 500}}
    (tmp / "collection.yaml").write_text(yaml.safe_dump(cfg))
    load_config(tmp / "collection.yaml")


RECORD = {"network": "development", "chain_id": 1337, "address": GOOD,
          "transaction": "0x" + "1" * 64,
          "block": 1, "issuer": GOOD, "runtime_hash": "0x" + "2" * 64, "artifact": "ZodiacCollection"}


def _record(tmp: Path, key: str, value: str) -> None:
    (tmp / "development.json").write_text(json.dumps({**RECORD, key: value}))
    load_record(tmp / "development.json")


def _verify(tmp: Path, option: str, value: str) -> None:
    contract, issuer = (value, GOOD) if option == "--contract" else (GOOD, value)
    setup(None, None, "http://127.0.0.1:9", 1337, contract, issuer, None)


PATHS: dict[str, tuple[Callable[[Path, str], object], type[NftToolkitError], str]] = {
    "client.checksum": (lambda tmp, v: client.checksum(v, "recipient"), InputError, "recipient "),
    "verify --contract": (lambda tmp, v: _verify(tmp, "--contract", v), InputError, "--contract "),
    "verify --issuer": (lambda tmp, v: _verify(tmp, "--issuer", v), InputError, "--issuer "),
    "collection.yaml royalty.receiver": (_royalty, ConfigError,
                                         "collection.yaml: royalty.receiver: "),
    "CollectionParams royalty receiver": (
        lambda tmp, v: CollectionParams("Horse", "H", 2026, 12, v, 500), InputError,
        "royalty receiver "),
    "deployment record address": (lambda tmp, v: _record(tmp, "address", v), ContractError,
                                  "development.json: address "),
    "deployment record issuer": (lambda tmp, v: _record(tmp, "issuer", v), ContractError,
                                 "development.json: issuer "),
}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("text", [TYPO, ZERO_ADDRESS, "horse.eth"])
def test_every_path_refuses_what_the_parser_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   path: str, text: str) -> None:
    monkeypatch.chdir(tmp_path)  # no collection project around: verify takes the options
    call, error, where = PATHS[path]
    with pytest.raises(error) as exc:
        call(tmp_path, text)
    message = str(exc.value)
    assert where in message and "\n" not in message
    assert all(word in message for word in REFUSED[text]), message


def test_config_and_record_keep_the_checksum_form(tmp_path: Path) -> None:
    (tmp_path / "collection.yaml").write_text(yaml.safe_dump(
        {"name": "Horse", "symbol": "HRS", "year": 2026, "size": 4,
         "royalty": {"receiver": f" {GOOD.lower()} ", "bps": 500}}))
    assert load_config(tmp_path / "collection.yaml").royalty.receiver == GOOD
    record = {**RECORD, "address": GOOD.lower(), "issuer": "0x" + GOOD[2:].upper()}
    (tmp_path / "r.json").write_text(json.dumps(record))
    loaded = load_record(tmp_path / "r.json")
    assert (loaded.address, loaded.issuer) == (GOOD, GOOD)


@pytest.mark.parametrize("text, cause", [
    ("ethereum:" + "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" + "@1337", "EIP-681 payment link"),
    ("eip155:1:0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "CAIP-10 account ID"),
    ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8\u200b", "U+200B (ZERO WIDTH SPACE)"),
    ("\uff10x70997970C51812dc3A010C7d01b50e0d17dc79C8", "U+FF10 (FULLWIDTH DIGIT ZERO)"),
])
def test_a_pasted_address_says_what_is_wrong_with_it(text: str, cause: str) -> None:
    """Found by a new user: a QR payload, an invisible character or a full-width digit were all
    "not an Ethereum address", which does not say what to fix."""
    with pytest.raises(InputError, match=re.escape(cause)):
        parse_address(text, "--to")


@settings(max_examples=500)
@given(st.binary(min_size=20, max_size=20))
def test_eip55_of_chain_bytes_is_eth_utils_checksum(raw: bytes) -> None:
    """The fast checksum of 20 bytes read from a chain is eth_utils' EIP-55 form, always."""
    assert eip55(raw) == to_checksum_address(raw)


def test_an_address_array_from_the_chain_is_decoded_or_refused() -> None:
    """``address[]`` answers (ownersInRange) decode to checksum addresses; anything else a node
    might answer is one ChainError, never a wrong owner."""
    from eth_abi import encode

    owners = ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ZERO_ADDRESS]
    assert client.address_array(encode(["address[]"], [owners]), "t") == owners
    assert client.address_array(encode(["address[]"], [[]]), "t") == []
    good = encode(["address[]"], [owners])
    dirty = bytearray(good)
    dirty[64] = 1  # a high byte of the first address word: not an address
    for bad in (b"", good[:-1], good[:32], bytes(dirty), encode(["uint256"], [2**200])):
        with pytest.raises(client.ChainError, match="no ABI-encoded address"):
            client.address_array(bad, "t")
