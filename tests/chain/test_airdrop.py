"""Airdrop CSV files as spreadsheets save them: every recipient read, or one `FILE:LINE:` line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from eth_utils import to_checksum_address
from hypothesis import given, settings
from hypothesis import strategies as st

from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.airdrop import AIRDROP_MAX, decode_airdrop, parse_airdrop, read_airdrop
from nft_toolkit.errors import InputError, RowErrors

A, B, C = (dev_account(i).address for i in (1, 2, 3))


def read(tmp_path: Path, data: bytes | str) -> list[tuple[str, int]]:
    path = tmp_path / "drop.csv"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return read_airdrop(path)


def refused(tmp_path: Path, data: bytes | str, line: int, *words: str) -> str:
    """The one error line of reading `data`, which must name the file and `line`."""
    with pytest.raises(InputError) as exc:
        read(tmp_path, data)
    message = str(exc.value)
    assert message.startswith(f"{tmp_path / 'drop.csv'}:{line}: "), message
    assert "\n" not in message and exc.value.exit_code == 2
    assert all(word in message for word in words), message
    return message


# -- what spreadsheets write ---------------------------------------------------------------------

def test_a_utf8_byte_order_mark_keeps_the_first_recipient(tmp_path: Path) -> None:
    # Excel's "CSV UTF-8": the BOM once hid the first address from the header check, so the
    # first recipient was dropped as a "header" without a word.
    assert read(tmp_path, b"\xef\xbb\xbf" + f"{A},2\n{B}\n".encode()) == [(A, 2), (B, 1)]
    assert read(tmp_path, b"\xef\xbb\xbf" + f"address,count\n{A},2\n".encode()) == [(A, 2)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_with_its_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated, CRLF.
    text = f"Wallet\tTokens\r\n{A}\t2\r\n{B}\t1\r\n"
    data = text.encode(encoding)
    if encoding != "utf-16":
        data = ("\ufeff" + text).encode(encoding)
    assert read(tmp_path, data) == [(A, 2), (B, 1)]


def test_utf16_without_a_byte_order_mark_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="NUL bytes .*CSV UTF-8") as exc:
        read(tmp_path, f"{A},1\n".encode("utf-16-le"))
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("header", ["address,count", "Address", "wallet;n", "收件人,数量",
                                    "Empfänger;Anzahl", '"address","count"', "# comment\naddress"])
def test_a_header_row_is_skipped(tmp_path: Path, header: str) -> None:
    sep = ";" if ";" in header else ","
    assert read(tmp_path, f"{header}\n{A}{sep}3\n") == [(A, 3)]


@pytest.mark.parametrize("first", [A[2:],  # no 0x: was taken for a header and dropped
                                   "O" + A[1:],  # letter O for the zero
                                   A[:-1],  # 39 digits
                                   A[:-1] + "g",
                                   A[:10] + " " + A[10:],
                                   "horse.eth",
                                   "Zhang San", "张三"])  # a name pasted where the address goes
def test_a_mistyped_address_in_row_one_is_an_error_not_a_header(tmp_path: Path, first: str) -> None:
    refused(tmp_path, f"{first},1\n{B},1\n", 1, "address")


@pytest.mark.parametrize("end", ["\r\n", "\r", "\n"])
def test_line_ends_and_line_numbers(tmp_path: Path, end: str) -> None:
    # A header cell with a line break in it (Alt+Enter in Excel) spans two lines of the file:
    # errors still name the file's line, not the row's number.
    header = '"Wallet' + end + '(ETH)",count'
    assert read(tmp_path, end.join([header, f"{A},1", "", f"{B},2", ""])) == [(A, 1), (B, 2)]
    refused(tmp_path, end.join([header, f"{A},1", "", "  ", f"{B},x", ""]), 6, "count 'x'")


def test_blank_lines_spaces_quotes_and_trailing_empty_columns(tmp_path: Path) -> None:
    text = f'\n\naddress , count ,,\n  {A} ,  2 ,,\n\n"{B}","1",\n" {C} "," 3 "\n,,\n'
    assert read(tmp_path, text) == [(A, 2), (B, 1), (C, 3)]


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_separators(tmp_path: Path, sep: str) -> None:
    text = f"address{sep}count\r\n{A}{sep}2\r\n{B}{sep}\r\n{C}\r\n"
    assert read(tmp_path, text) == [(A, 2), (B, 1), (C, 1)]


def test_a_semicolon_file_with_a_decimal_comma_count_is_refused_not_split(tmp_path: Path) -> None:
    refused(tmp_path, f"{A};1,5\n", 1, "count '1,5'", "whole number")


@pytest.mark.parametrize("cell,count",
                         [("1.0", 1), ('"2"', 2), ("3.00", 3), (" 4 ", 4), ("007", 7)])
def test_whole_number_counts(tmp_path: Path, cell: str, count: int) -> None:
    assert read(tmp_path, f"{A},{cell}\n") == [(A, count)]


@pytest.mark.parametrize("cell", ["1.5", "1e3", "+1", "-1", "0", "0.0", "two", "١", "²",
                                  "9" * 40, "9223372036854775808"])
def test_other_counts_are_one_line(tmp_path: Path, cell: str) -> None:
    refused(tmp_path, f"address,count\n{A},1\n{B},{cell}\n", 3, "count")


def test_the_same_address_on_two_rows_names_both_lines(tmp_path: Path) -> None:
    # A list pasted twice would mint twice; the same address in other case is the same address.
    message = refused(tmp_path, f"address\n{A},1\n{B}\n\n{A.lower()},2\n", 5, A, "line 2", "count")
    assert "one row" in message


@pytest.mark.parametrize("bad,words", [(ZERO_ADDRESS, ("zero address",)),
                                       ("0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266", ("checksum",)),
                                       ("horse.eth", ("ENS",))])
def test_addresses_go_through_the_one_parser(tmp_path: Path, bad: str,
                                            words: tuple[str, ...]) -> None:
    refused(tmp_path, f"{A},1\n{bad},1\n", 2, "address", *words)


def test_a_third_column_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, f"{A},1,VIP\n", 1, "3 columns")


@pytest.mark.parametrize("sep,header,row1,row2", [
    (",", "name,address,count,phone,branch", "张三,{a},2,13800138000,北京分行",
     "李四,{b},,13900139000,上海分行"),
    (",", "姓名,手机号,钱包地址,数量,网点", "张三,13800138000,{a},2,北京分行",
     "李四,13900139000,{b},1,上海分行"),
    (";", "客户编号;地址;份数", "1001;{a};2", "1002;{b};1"),
    ("\t", "Customer Name\tWallet Address\tQuantity\tBranch", "Zhang San\t{a}\t2\tHQ",
     "Li Si\t{b}\t\tHQ"),
])
def test_a_bank_export_uses_the_columns_its_header_names(tmp_path: Path, sep: str, header: str,
                                                        row1: str, row2: str) -> None:
    # Before: "expected `address,count`, got 5 columns" on line 2.
    text = "\r\n".join([header, row1.format(a=A), row2.format(b=B), ""])
    assert read(tmp_path, text) == [(A, 2), (B, 1)]


def test_a_named_address_column_without_a_count_column_gives_one_each(tmp_path: Path) -> None:
    assert read(tmp_path, f"姓名,地址,备注\n张三,{A},VIP\n李四,{B},\n") == [(A, 1), (B, 1)]


def test_every_bad_row_is_reported_in_one_run(tmp_path: Path) -> None:
    # A list with a checksum typo, a bad count and two duplicates: one run names all four.
    typo = "0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266"  # a checksum with one letter's case wrong
    text = (f"name,address,count\nA,{A},1\nB,{typo},1\nC,{B},two\nD,{A},1\nE,{C},1\n"
            f"F,{C.lower()},1\n")
    with pytest.raises(RowErrors) as exc:
        read(tmp_path, text)
    name = tmp_path / "drop.csv"
    assert exc.value.exit_code == 2 and "4 rows" in str(exc.value) and "\n" not in str(exc.value)
    assert [row.split(": ")[0] for row in exc.value.rows] == [f"{name}:{n}" for n in (3, 4, 5, 7)]
    assert "checksum" in exc.value.rows[0] and "count 'two'" in exc.value.rows[1]
    assert "line 2" in exc.value.rows[2] and "line 6" in exc.value.rows[3]


def test_a_long_list_of_bad_rows_is_capped(tmp_path: Path) -> None:
    text = "address,count\n" + "".join(f"{A},0\n" for _ in range(30))
    with pytest.raises(RowErrors) as exc:
        read(tmp_path, text)
    assert "30 rows" in str(exc.value)
    assert len(exc.value.rows) == 21 and exc.value.rows[-1] == "and 10 more"


def test_empty_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="lists no recipients"):
        read(tmp_path, "address,count\n\n\r\n")
    with pytest.raises(InputError, match="over 64 MiB"):
        read(tmp_path, b"\n" * (AIRDROP_MAX + 1))
    with pytest.raises(InputError, match="not UTF-8 or UTF-16.*CSV UTF-8"):
        read(tmp_path, f"Empf\xe4nger\n{A}\n".encode("cp1252"))


# -- any spreadsheet dialect reads back what was written ----------------------------------------

recipients = st.lists(st.tuples(st.binary(min_size=20, max_size=20).filter(any),
                                st.integers(1, 10**6)),
                      min_size=1, max_size=8, unique_by=lambda r: r[0])


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(rows=recipients, sep=st.sampled_from([",", ";", "\t"]),
       end=st.sampled_from(["\n", "\r\n", "\r"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
       header=st.booleans(), quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       case=st.sampled_from(["checksum", "lower", "upper"]), decimals=st.booleans(),
       pad=st.sampled_from(["", " ", "  "]), blank=st.booleans())
def test_any_dialect_reads_back(rows: list[tuple[bytes, int]], sep: str, end: str, encoding: str,
                                header: bool, quoting: int, case: str, decimals: bool, pad: str,
                                blank: bool) -> None:
    want = [(to_checksum_address(a), n) for a, n in rows]
    written = {"checksum": lambda s: s, "lower": str.lower,
               "upper": lambda s: "0x" + s[2:].upper()}[case]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=end, quoting=quoting)
    if header:
        writer.writerow(["address", "count"])
    for address, n in want:
        writer.writerow([pad + written(address) + pad, pad + (f"{n}.0" if decimals else str(n))])
        if blank:
            out.write(end)
    data = out.getvalue().encode(encoding)
    assert parse_airdrop(decode_airdrop(data, "drop.csv"), "drop.csv") == want
