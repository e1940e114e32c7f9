"""Airdrop lists as spreadsheets save them: one `address[,count]` row per recipient.

Read as written by Excel, LibreOffice, Numbers or Google Sheets in any locale:

- UTF-8 with or without a byte-order mark, or UTF-16 with one (Excel's "Unicode text");
- `,`, `;` (locales with a decimal comma) or tab between fields, as the first row has it;
- LF, CRLF or CR line ends, blank lines, ``#`` comment lines, quoted fields, spaces around
  fields, trailing empty columns (``0x…,1,,``);
- an optional header row: a first row whose first cell does not try to be an address;
- a bank's export with more columns (name, phone, branch…): a header naming the address column
  (``address``, ``wallet``, ``地址``, ``钱包地址``…) and optionally the count column (``count``,
  ``quantity``, ``数量``…) picks those two and the other columns are ignored; without such a
  header the first column is the address and the second the count;
- a count that is a whole number (``2``, ``"2"``, ``2.0``); an empty count is 1.

Anything else is refused, before anything is sent, with a line ``FILE:LINE: …`` for every bad
row of the file (at most :data:`MAX_LISTED`, then how many more): a bad address (see
:mod:`nft_toolkit.address`; a mistyped one in the first row is not taken for a header), a count
that is not a whole number from 1, a third column (without a header naming the columns), and the
same address on two rows (a list pasted twice would otherwise mint twice; one row with a count
says it on purpose). One bad row is one :class:`InputError`; several are one
:class:`~nft_toolkit.errors.RowErrors` listing them.
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
from nft_toolkit.errors import InputError, RowErrors

AIRDROP_MAX = 64 << 20  # bytes of an airdrop CSV (a million rows take ~45 MiB)

Allocation = tuple[str, int]  # (checksum address, token count)

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = ("\t", ";", ",")  # in this order: a `;` row may hold a decimal comma, not vice versa
_COUNT = re.compile(r"0*([0-9]+)(?:\.0*)?")
# A first cell that tries to be an address (so is no header): 0x/Ox prefix, a run of hex digits,
# or a dotted name (ENS).
_NUMBER = re.compile(r"[-+]?[0-9][0-9.,]*")  # a count column's value: its row is data, not a header
_ADDRESS_LIKE = re.compile(r"[0Oo][xX]|.*[0-9a-fA-F]{8}|.*\w\.\w")
# Header cells naming the address and count columns of a wider export (name, phone, branch…),
# compared without spaces, underscores, hyphens, brackets or colons, in lower case.
_ADDRESS_NAMES = frozenset({
    "address", "walletaddress", "wallet", "recipient", "recipientaddress", "ethaddress",
    "evmaddress", "account", "accountaddress", "to", "owner",
    "地址", "钱包地址", "钱包", "收件地址", "接收地址", "收款地址", "账户地址", "链上地址", "区块链地址",
    "錢包地址", "錢包", "地址"})
_COUNT_NAMES = frozenset({
    "count", "quantity", "qty", "amount", "number", "tokens", "n",
    "数量", "數量", "份数", "份數", "个数", "個數", "件数", "張數", "张数"})
MAX_LISTED = 20  # bad rows listed in one refusal; the rest are counted


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
    problems: list[str] = []  # every bad row, reported together: one run to clean a list
    seen: dict[str, int] = {}  # address -> the line it was first on
    columns: tuple[int, int | None] | None = None  # (address, count) named by a header
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
                columns = _named_columns(cells)
                if columns is not None or (
                        not _ADDRESS_LIKE.match(cells[0]) and address_problem(cells[0]) is not None
                        and not (len(cells) > 1 and _NUMBER.fullmatch(cells[1]))):
                    continue  # a header row: no address, and no count beside it
            if columns is not None:  # a bank's export: the named columns, the others ignored
                cells = [cells[columns[0]] if columns[0] < len(cells) else ""] + (
                    [cells[columns[1]]] if columns[1] is not None and columns[1] < len(cells)
                    else [])
            try:
                address, count = _row(cells, f"{name}:{line}")
            except InputError as exc:
                problems.append(str(exc))
                continue
            if address in seen:
                problems.append(f"{name}:{line}: {address} is also on line {seen[address]}: give "
                                "each recipient one row, with a count for several tokens")
                continue
            seen[address] = line
            rows.append((address, count))
            lines.append(line)
    except csv.Error as exc:
        problems.append(f"{name}:{reader.line_num}: not a CSV row: {exc}")
    if len(problems) == 1:
        raise InputError(problems[0])
    if problems:
        shown_rows = problems[:MAX_LISTED] + (
            [f"and {len(problems) - MAX_LISTED} more"] if len(problems) > MAX_LISTED else [])
        raise RowErrors(f"airdrop file {name}: {len(problems)} rows are wrong (nothing was sent): "
                        "fix them all, then run again", shown_rows)
    if not rows:
        raise InputError(f"airdrop file {name} lists no recipients")
    return Airdrop(name, rows, lines)


def _named_columns(cells: list[str]) -> tuple[int, int | None] | None:
    """(address column, count column or None) when the row is a header that names the address
    column (English or Chinese); None otherwise (the first two columns, by position). With no
    count column named, a last-named address column's unnamed neighbour is the count."""
    names = [re.sub(r"[\s_\-()（）:：]", "", c).lower() for c in cells]
    address = next((i for i, n in enumerate(names) if n in _ADDRESS_NAMES), None)
    if address is None:
        return None
    count = next((i for i, n in enumerate(names) if n in _COUNT_NAMES), None)
    if count is None and address == len(cells) - 1:
        count = address + 1  # a column without a header cell beside the address: its count
    return address, count


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
