"""Ethereum addresses as people give them: the one parser for options, CSV rows and config files.

Accepted (surrounding whitespace ignored): ``0x`` and 40 hex digits, all lower case or all upper
case (no checksum to check), or mixed case that is a valid EIP-55 checksum. The result is always
the checksum form. Refused, each with one line naming where the value came from (`what`):

- mixed case with a wrong checksum: one character is probably mistyped, and re-checksumming
  it would send the tokens to the typo's address;
- the zero address: tokens sent there are lost;
- ENS-style names (``horse.eth``, any dotted name): nothing here resolves them;
- anything else: not an address.

Internal code handling addresses already parsed (read from the chain, say) needs none of this.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, cast

from nft_toolkit.errors import InputError

if TYPE_CHECKING:
    from eth_typing import ChecksumAddress

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

_HEX40 = re.compile(r"0[xX][0-9a-fA-F]{40}")
_DOTTED_NAME = re.compile(r"(?:[\w-]+\.)+[^\W\d_][\w-]*")  # horse.eth, pay.example.com
_SHOWN = 60  # characters of a refused value quoted in the message


def address_problem(text: object) -> str | None:
    """Why `text` is not an address a user may give (a phrase to follow the value), or None."""
    return _checked(text)[0]


def _checked(text: object) -> tuple[str | None, ChecksumAddress | None]:
    """Why `text` is not an address a user may give, or its EIP-55 form: one Keccak hash, which
    both checks a mixed-case checksum and gives the form (a 100,000-row airdrop list is parsed
    with it)."""
    if not isinstance(text, str):
        return "is not an Ethereum address (0x and 40 hex digits)", None
    value = text.strip()
    if not _HEX40.fullmatch(value):
        return _why_not_hex(value), None
    digits = value[2:]
    form = eip55(bytes.fromhex(digits))
    if digits != digits.lower() and digits != digits.upper() and digits != form[2:]:
        return ("has a wrong EIP-55 checksum (its mix of upper and lower case): one character "
                "is probably mistyped; copy the address again"), None
    if int(digits, 16) == 0:
        return "is the zero address: tokens sent there are lost", None
    return None, form


def _why_not_hex(value: str) -> str:
    """The likeliest reason a pasted `value` is not ``0x`` and 40 hex digits, for the user."""
    if _DOTTED_NAME.fullmatch(value):
        return "looks like an ENS name, which is not resolved here: give the 0x address"
    lowered = value.lower()
    if lowered.startswith("ethereum:"):
        return "is an EIP-681 payment link: give only its 0x address"
    if lowered.startswith("eip155:"):
        return "is a CAIP-10 account ID: give only its 0x address"
    odd = next((ch for ch in value if (ch.isspace() and ch != " ") or unicodedata.category(ch) in ("Cf", "Cc")
                or not ch.isascii()), None)
    if odd is not None:
        name = unicodedata.name(odd, "a control character")
        return (f"holds U+{ord(odd):04X} ({name}): type or paste it again in plain ASCII, "
                "0x and 40 hex digits")
    return "is not an Ethereum address (0x and 40 hex digits)"


_PARSED: set[str] = set()  # EIP-55 forms parse_address returned lately (a bounded memo)
_PARSED_MAX = 1 << 17  # forms remembered; then forgotten all at once


def parse_address(text: object, what: str = "address") -> ChecksumAddress:
    """`text` as a checksum address; an InputError naming `what` (an option, `FILE:LINE`, a key).
    An EIP-55 form it returned lately is returned again without a Keccak hash: an airdrop
    list's 100,000 addresses are parsed when read and again by the minter."""
    if isinstance(text, str) and text in _PARSED:
        return cast("ChecksumAddress", text)
    problem, form = _checked(text)
    if form is None:
        raise InputError(f"{what} {shown(text)} {problem}")
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED.add(form)
    return form


def shown(text: object) -> str:
    """`text` quoted for a one-line message, cut short if long."""
    quoted = repr(text)
    return quoted if len(quoted) <= _SHOWN else quoted[:_SHOWN - 4] + "…" + quoted[-3:]


def eip55(raw: bytes) -> ChecksumAddress:
    """The EIP-55 checksum form of the 20 address bytes `raw` (as a chain returns them, no
    parsing): an audit writes 100,000 owners, and eth_utils' to_checksum_address, which first
    validates and normalises any input, takes five times as long. ValueError unless 20 bytes."""
    if len(raw) != 20:
        raise ValueError(f"an address is 20 bytes, not {len(raw)}")
    from eth_hash.auto import keccak

    digits = raw.hex()
    nibbles = keccak(digits.encode("ascii")).hex()
    return cast("ChecksumAddress", "0x" + "".join(
        d.upper() if n >= "8" else d for d, n in zip(digits, nibbles)))
