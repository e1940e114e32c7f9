"""Airdrop lists as spreadsheets save them: one `address[,count]` row per recipient.

Read as written by Excel, LibreOffice, Numbers or Google Sheets in any locale:

- UTF-8 with or without a byte-order mark, or UTF-16 with one (Excel's "Unicode text");
- `,`, `;` (locales with a decimal comma) or tab between fields, as the first row has it;
- LF, CRLF or CR line ends, blank lines, ``#`` comment lines, quoted fields, spaces around
  fields, trailing empty columns (``0x…,1,,``);
- an optional header row: a first row whose first cell does not try to be an address;
- a count that is a whole number (``2``, ``"2"``, ``2.0``); an empty count is 1.

Anything else is refused, before anything is sent, with one line ``FILE:LINE: …``: a bad address
(see :mod:`nft_toolkit.address`; a mistyped one in the first row is not taken for a header), a
count that is not a whole number from 1, a third column, and the same address on two rows (a
list pasted twice would otherwise mint twice; one row with a count says it on purpose).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nft_toolkit.address import address_problem, parse_address, shown
from nft_toolkit.bounded import read_bounded
from nft_toolkit.chain.deployer import MAX_SUPPLY_LIMIT
from nft_toolkit.errors import InputError

AIRDROP_MAX = 64 << 20  # bytes of an airdrop CSV (a million rows take ~45 MiB)

Allocation = tuple[str, int]  # (checksum address, token count)

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = ("\t", ";", ",")  # in this order: a `;` row may hold a decimal comma, not vice versa
_COUNT = re.compile(r"0*([0-9]+)(?:\.0*)?")
# A first cell that tries to be an address (so is no header): 0x/Ox prefix, a run of hex digits,
# or a dotted name (ENS).
_NUMBER = re.compile(r"[-+]?[0-9][0-9.,]*")  # a count column's value: its row is data, not a header
_ADDRESS_LIKE = re.compile(r"[0Oo][xX]|.*[0-9a-fA-F]{8}|.*\w\.\w")


@dataclass(frozen=True)
class Airdrop:
    """An airdrop list as read: its allocations in row order, and the file line of each."""

    name: str
    allocations: list[Allocation]
    lines: list[int]

    def where(self, i: int) -> str:
        """``FILE:LINE`` of allocation `i`, for a refusal to point at."""
        return f"{self.name}:{self.lines[i]}"


def read_airdrop(path: Path) -> list[Allocation]:
    """The allocations of the airdrop CSV at `path` (at most 64 MiB); InputError otherwise."""
    return load_airdrop(path).allocations


def load_airdrop(path: Path) -> Airdrop:
    """The airdrop CSV at `path` (at most 64 MiB) with the line of each row; InputError
    otherwise."""
    data = read_bounded(path, AIRDROP_MAX, f"airdrop file {path}", "split it")
    return _parse(decode_airdrop(data, str(path)), str(path))


def decode_airdrop(data: bytes, name: str) -> str:
    """The text of an airdrop file: UTF-8 (BOM optional) or UTF-16 with its BOM."""
    try:
        if data.startswith(_UTF16_BOMS):
            return data.decode("utf-16")  # the BOM names the byte order and is dropped
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"airdrop file {name} is not UTF-8 or UTF-16 text (byte {exc.start}): "
                         "save it as \"CSV UTF-8\"") from None
    if "\x00" in text:
        raise InputError(f"airdrop file {name} holds NUL bytes (UTF-16 without a byte-order "
                         "mark?): save it as \"CSV UTF-8\"")
    return text


def parse_airdrop(text: str, name: str) -> list[Allocation]:
    """The allocations of an airdrop list's text, in row order; `name` is the file in errors."""
    return _parse(text, name).allocations


def _parse(text: str, name: str) -> Airdrop:
    text = text.removeprefix("\ufeff")  # UTF-8's byte-order mark, as Excel's "CSV UTF-8" writes
    stream = io.StringIO(text, newline="")  # splits on LF, CRLF and CR alike
    reader = csv.reader(stream, delimiter=_delimiter(text))
    rows: list[Allocation] = []
    lines: list[int] = []
    seen: dict[str, int] = {}  # address -> the line it was first on
    first_row = True
    start = 1  # the line a row starts on (a quoted field may span lines)
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            cells = [c.strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()  # trailing empty columns
            if not cells or cells[0].startswith("#"):
                continue
            if first_row:
                first_row = False
                if (not _ADDRESS_LIKE.match(cells[0]) and address_problem(cells[0]) is not None
                        and not (len(cells) > 1 and _NUMBER.fullmatch(cells[1]))):
                    continue  # a header row: no address, and no count beside it
            address, count = _row(cells, f"{name}:{line}")
            if address in seen:
                raise InputError(f"{name}:{line}: {address} is also on line {seen[address]}: give "
                                 "each recipient one row, with a count for several tokens")
            seen[address] = line
            rows.append((address, count))
            lines.append(line)
    except csv.Error as exc:
        raise InputError(f"{name}:{reader.line_num}: not a CSV row: {exc}") from None
    if not rows:
        raise InputError(f"airdrop file {name} lists no recipients")
    return Airdrop(name, rows, lines)


def _row(cells: list[str], at: str) -> Allocation:
    if len(cells) > 2:
        raise InputError(f"{at}: expected `address,count`, got {len(cells)} columns")
    address = parse_address(cells[0], f"{at}: address")
    if len(cells) == 1 or not cells[1]:
        return address, 1
    whole = _COUNT.fullmatch(cells[1])
    if whole is None:
        raise InputError(f"{at}: count {shown(cells[1])} is not a whole number; write e.g. 2")
    digits = whole.group(1)
    if len(digits) > len(str(MAX_SUPPLY_LIMIT)) or not 1 <= int(digits) <= MAX_SUPPLY_LIMIT:
        raise InputError(f"{at}: count {shown(cells[1])} is not within 1..{MAX_SUPPLY_LIMIT:,}")
    count = int(digits)
    return address, count


def _delimiter(text: str) -> str:
    """The field separator of the first row that has one (`,` for a single column)."""
    for line in io.StringIO(text, newline=""):
        if line.strip() and not line.lstrip().startswith("#"):
            for delimiter in _DELIMITERS:
                if delimiter in line:
                    return delimiter
    return ","
