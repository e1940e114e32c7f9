"""CAIP-19 asset IDs of ERC-721 tokens and the verification URL: one canonical form, strict parsing."""

from __future__ import annotations

import pytest
from eth_utils import to_checksum_address
from hypothesis import given
from hypothesis import strategies as st

from nft_toolkit.caip19 import (UINT256_MAX, AssetId, TokenRef, check_url_base, format_asset_id,
                                format_verification_url, parse_asset_id, parse_issuer,
                                parse_token_ref, parse_verification_url)
from nft_toolkit.errors import InputError

KITTY = "0x06012c8cf97BEaD5deAe237070F9587f8E7A266d"  # CAIP-19's own test case
KITTY_ID = "eip155:1/erc721:0x06012c8cf97BEaD5deAe237070F9587f8E7A266d/771769"
TYPO = "0x06012c8cf97bEaD5deAe237070F9587f8E7A266d"  # one letter's case flipped

addresses = st.binary(min_size=20, max_size=20).filter(any).map(to_checksum_address)
assets = st.builds(AssetId, st.integers(1, 10**32 - 1), addresses, st.integers(0, UINT256_MAX))
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
domains = st.builds(lambda ls, tld: ".".join([*ls, tld]), st.lists(labels, min_size=1, max_size=4),
                    st.from_regex(r"[a-z]{2,10}|xn--[a-z0-9]{2,10}", fullmatch=True))
issuers = st.one_of(addresses, domains)
bases = st.builds(lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
                  st.sampled_from(["http", "https"]), domains,
                  st.sampled_from(["", ":8080", ":1"]),
                  st.sampled_from(["", "/", "/nft", "/v/app/", "/a/b"]))


def test_the_specifications_example_formats_and_parses() -> None:
    asset = AssetId(1, KITTY, 771769)
    assert format_asset_id(asset) == str(asset) == KITTY_ID
    assert parse_asset_id(KITTY_ID) == asset
    assert parse_asset_id(f"  {KITTY_ID.lower()}\n") == asset


@given(assets)
def test_parse_of_format_is_identity(asset: AssetId) -> None:
    assert parse_asset_id(format_asset_id(asset)) == asset


@given(assets)
def test_lower_and_upper_case_addresses_give_the_checksum(asset: AssetId) -> None:
    text = format_asset_id(asset)
    lowered = text.replace(asset.contract, asset.contract.lower())
    uppered = text.replace(asset.contract, "0x" + asset.contract[2:].upper())
    assert parse_asset_id(lowered) == parse_asset_id(uppered) == asset


REFUSED = {  # text -> words its one line must hold
    "": ("empty",),
    "771769": ("not a CAIP-19 asset ID",),
    "eip155:1/erc721:" + KITTY: ("collection", "add /<token id>"),
    KITTY_ID + "/3": ("fourth part",),
    "eip155:1//771769": ("not a CAIP-19 asset ID",),
    "EIP155:1/erc721:" + KITTY + "/1": ("lower case", "case-sensitive"),
    "cosmos:cosmoshub-3/erc721:" + KITTY + "/1": ("'cosmos'", "not an EVM chain"),
    "eip155/erc721:" + KITTY + "/1": ("not a CAIP-2 chain ID",),
    "eip155:0x1/erc721:" + KITTY + "/1": ("not a decimal",),
    "eip155:01/erc721:" + KITTY + "/1": ("leading zeros", "write 1"),
    "eip155:0/erc721:" + KITTY + "/1": ("chain ID 0",),
    "eip155:" + "9" * 33 + "/erc721:" + KITTY + "/1": ("1 to 32 digits",),
    "eip155:1/ERC721:" + KITTY + "/1": ("lower case",),
    "eip155:1/erc20:" + KITTY + "/1": ("'erc20'", "not an ERC-721"),
    "eip155:1/erc1155:" + KITTY + "/1": ("'erc1155'", "not an ERC-721"),
    "eip155:1/" + KITTY + "/1": ("not an asset name",),
    "eip155:1/erc721:" + TYPO + "/1": ("checksum", "mistyped"),
    "eip155:1/erc721:0x06012c8cf97BEaD5/1": ("not an Ethereum address",),
    "eip155:1/erc721:0x" + "0" * 40 + "/1": ("zero address",),
    "eip155:1/erc721:horse.eth/1": ("ENS",),
    "eip155:1/erc721:" + KITTY + "/0x10": ("token ID", "not a decimal"),
    "eip155:1/erc721:" + KITTY + "/007": ("leading zeros", "write 7"),
    "eip155:1/erc721:" + KITTY + "/-1": ("not a decimal",),
    "eip155:1/erc721:" + KITTY + "/" + str(2**256): ("larger than",),
    "eip155:1/erc721:" + KITTY + "/1\u200b": ("U+200B", "plain ASCII"),
    "eip155:1/erc721:" + KITTY + "/１": ("U+FF11", "plain ASCII"),
    "eip155:1/erc721:" + KITTY + "/1 2": ("U+0020", "plain ASCII"),
    "eip155:1/erc721:" + KITTY + "#1": ("'#'",),
}


@pytest.mark.parametrize("text", list(REFUSED))
def test_refused_with_one_line_naming_the_part(text: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_asset_id(text, "TOKEN")
    message = str(exc.value)
    assert message.startswith("TOKEN ") and "\n" not in message
    assert all(word in message for word in REFUSED[text]), message
    assert exc.value.exit_code == 2


@given(assets, st.sampled_from(["/", ":", "a", "0", " x", "%", "."]), st.integers(0, 80))
def test_any_edit_is_refused_or_still_canonical(asset: AssetId, char: str, at: int) -> None:
    """An ID with a character inserted anywhere names the same token only if it is the same
    text; anything else is refused or is another canonical ID (which formats back to itself)."""
    text = format_asset_id(asset)
    edited = text[:at] + char + text[at:]
    try:
        parsed = parse_asset_id(edited)
    except InputError:
        return
    assert format_asset_id(parsed) == edited.strip()


@pytest.mark.parametrize("text, expected", [
    ("0x06012c8cf97bead5deae237070f9587f8e7a266d", KITTY),
    (" BANK.Example ", "bank.example"),
    ("verify.bank.example.", "verify.bank.example"),
    ("xn--fiqs8s.xn--55qx5d", "xn--fiqs8s.xn--55qx5d"),
    ("localhost:8443", "localhost:8443"),
])
def test_issuer_forms(text: str, expected: str) -> None:
    assert parse_issuer(text) == expected


@pytest.mark.parametrize("text, words", [
    ("", ("empty",)),
    (TYPO, ("checksum",)),
    ("银行.中国", ("neither",)),
    ("https://bank.example", ("no https://",)),
    ("-bank.example", ("neither",)),
    ("bank..example", ("neither",)),
    ("bank.example/x", ("no path",)),
    ("bank.example:99999", ("neither",)),
])
def test_issuer_refused(text: str, words: tuple[str, ...]) -> None:
    with pytest.raises(InputError) as exc:
        parse_issuer(text, "--issuer")
    assert str(exc.value).startswith("--issuer ") and all(w in str(exc.value) for w in words)


def test_the_verification_url_reads_as_written() -> None:
    url = format_verification_url("https://verify.bank.example/", AssetId(1, KITTY, 771769),
                                  "Bank.Example")
    assert url == f"https://verify.bank.example/v/{KITTY_ID}?issuer=bank.example"
    assert parse_verification_url(url) == (AssetId(1, KITTY, 771769), "bank.example")


@given(bases, assets, issuers)
def test_verification_url_round_trip(base: str, asset: AssetId, issuer: str) -> None:
    url = format_verification_url(base, asset, issuer)
    assert url.startswith(base.rstrip("/") + "/v/eip155:")
    assert parse_verification_url(url) == (asset, issuer)
    assert parse_token_ref(url) == TokenRef(asset.token_id, asset, issuer)


URL_REFUSED = {
    f"ftp://x.example/v/{KITTY_ID}?issuer=bank.example": ("not an http(s) URL",),
    f"https://x.example/{KITTY_ID}?issuer=bank.example": ("no /v/",),
    f"https://x.example/v/{KITTY_ID}": ("no issuer", "trust anchor"),
    f"https://x.example/v/{KITTY_ID}?issuer=a.example&issuer=b.example": ("several issuer",),
    f"https://x.example/v/{KITTY_ID}?issuer=a.example&utm=1": ("unknown parameters", "utm"),
    f"https://x.example/v/{KITTY_ID}?issuer={TYPO}": ("issuer", "checksum"),
    f"https://x.example/v/{KITTY_ID}?issuer=": ("issuer", "empty"),
    f"https://x.example/v/{KITTY_ID[:-6]}007?issuer=bank.example": ("leading zeros",),
    f"https://x.example/v/{KITTY_ID}/2?issuer=bank.example": ("fourth part",),
}


@pytest.mark.parametrize("url", list(URL_REFUSED))
def test_verification_url_refused(url: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_verification_url(url, "TOKEN")
    message = str(exc.value)
    assert message.startswith("TOKEN") and "\n" not in message
    assert all(word in message for word in URL_REFUSED[url]), message


def test_an_escaped_colon_from_a_scanner_still_parses() -> None:
    url = f"https://x.example/v/{KITTY_ID.replace(':', '%3A')}?issuer=bank.example"
    assert parse_verification_url(url) == (AssetId(1, KITTY, 771769), "bank.example")


def test_the_pages_language_choice_is_no_part_of_the_anchor() -> None:
    url = f"https://x.example/v/{KITTY_ID}?issuer=bank.example&lang=en"
    assert parse_verification_url(url) == (AssetId(1, KITTY, 771769), "bank.example")


@pytest.mark.parametrize("base, words", [
    ("verify.bank.example", ("http(s) URL",)),
    ("https://x.example/?a=1", ("query",)),
    ("https://x.example/#top", ("query or fragment",)),
    ("https://x.example/a b", ("characters",)),
    ("https://x.example:port", ("not a valid URL",)),
])
def test_url_base_refused(base: str, words: tuple[str, ...]) -> None:
    with pytest.raises(InputError) as exc:
        check_url_base(base)
    assert str(exc.value).startswith("--url-base ") and all(w in str(exc.value) for w in words)


def test_token_refs() -> None:
    assert parse_token_ref(" 7 ") == TokenRef(7)
    assert parse_token_ref(KITTY_ID) == TokenRef(771769, AssetId(1, KITTY, 771769))
    for text, words in [("seven", ("not a token ID",)),
                        (f"x.example/v/{KITTY_ID}?issuer=bank.example", ("https://",)),
                        (str(2**256), ("larger",)),
                        ("eip155:1/erc721:" + TYPO + "/1", ("checksum",))]:
        with pytest.raises(InputError) as exc:
            parse_token_ref(text)
        assert all(w in str(exc.value) for w in words), str(exc.value)
