"""A token named anywhere: its CAIP-19 asset ID, and the verification URL a certificate carries.

An ERC-721 token's asset ID (CAIP-19 with the eip155 namespace profiles of CAIP-2 and CAIP-19)::

    eip155:<chain id>/erc721:<contract>/<token id>
    eip155:1/erc721:0x06012c8cf97BEaD5deAe237070F9587f8E7A266d/771769

Sources: https://github.com/ChainAgnostic/CAIPs (caip-2.md, caip-19.md) and
https://github.com/ChainAgnostic/namespaces (eip155/caip2.md, caip10.md, caip19.md).
CAIP IDs are case-sensitive: namespace ``[-a-z0-9]{3,8}``, chain reference ``[-_a-zA-Z0-9]{1,32}``,
asset namespace ``[-a-z0-9]{3,8}``, asset reference ``[-.%a-zA-Z0-9]{1,128}``, token ID
``[-.%a-zA-Z0-9]{1,78}``. For eip155 the chain reference is the decimal EIP-155 chain ID, the
asset reference the contract address (produced in EIP-55 checksum case, accepted also all lower
or all upper case, as the eip155 CAIP-10 profile asks; parsed by :mod:`nft_toolkit.address`), and
the token ID the decimal uint256. Formatting gives the one canonical form; parsing refuses
anything else (leading zeros, a wrong checksum, another chain family or token standard) with one
:class:`InputError` line per kind of mistake, since two spellings of one token would let a
look-alike certificate pass for another.

The verification URL is the whole trust anchor, the pair a certificate's QR code carries::

    <base>/v/<asset id>?issuer=<issuer>

`base` is the verification service's public URL (http(s), possibly with a path, no query); the
issuer is an address (EIP-55) or the issuer's web domain (lower case), see :func:`parse_issuer`.
Every character of an asset ID is allowed unescaped in a URL path (RFC 3986), so the URL reads
as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from nft_toolkit.address import parse_address, shown
from nft_toolkit.errors import InputError

if TYPE_CHECKING:
    from eth_typing import ChecksumAddress

NAMESPACE = "eip155"  # CAIP-2 namespace of EVM chains
ASSET_NAMESPACE = "erc721"
SHAPE = "eip155:<chain id>/erc721:<contract>/<token id>"
URL_PATH = "/v/"  # the verification URL's path after the base
UINT256_MAX = 2**256 - 1

_CAIP_NAMESPACE = re.compile(r"[-a-z0-9]{3,8}")
_CHAIN_REFERENCE = re.compile(r"[-_a-zA-Z0-9]{1,32}")
_ASSET_REFERENCE = re.compile(r"[-.%a-zA-Z0-9]{1,128}")
_TOKEN_ID = re.compile(r"[-.%a-zA-Z0-9]{1,78}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_NOT_IN_URLS = frozenset('"<>\\^`{|}')  # RFC 3986 allows them nowhere unescaped


@dataclass(frozen=True, order=True)
class AssetId:
    """One ERC-721 token on one EVM chain: ``eip155:<chain_id>/erc721:<contract>/<token_id>``.

    `contract` is in EIP-55 checksum form; build one from text with :func:`parse_asset_id`.
    """

    chain_id: int  # EIP-155 chain ID, 1 or more
    contract: str  # EIP-55 checksum address
    token_id: int  # 0 .. 2**256 - 1

    def __str__(self) -> str:
        return format_asset_id(self)


def format_asset_id(asset: AssetId) -> str:
    """The canonical CAIP-19 text of `asset` (decimal numbers, EIP-55 contract)."""
    contract = parse_address(asset.contract, "asset contract")
    return f"{NAMESPACE}:{asset.chain_id}/{ASSET_NAMESPACE}:{contract}/{asset.token_id}"


def parse_asset_id(text: object, what: str = "asset ID") -> AssetId:
    """`text` (surrounding whitespace ignored) as an ERC-721 token's CAIP-19 asset ID; an
    InputError naming `what` (an argument, a URL) and the part that is wrong otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{what} {shown(text)} is empty: give {SHAPE}")
    value = text.strip()
    odd = _odd_character(value)
    if odd:
        raise InputError(f"{what} {shown(text)} {odd}")
    parts = value.split("/")
    if len(parts) == 2 and ":" in parts[0]:
        raise InputError(f"{what} {shown(text)} names a collection (a CAIP-19 asset type), not "
                         f"one token: add /<token id> ({SHAPE})")
    if len(parts) == 4 and ":" in parts[0]:
        raise InputError(f"{what} {shown(text)} has a fourth part ({shown(parts[3])}); an ERC-721 "
                         f"token is named by one token ID ({SHAPE})")
    if len(parts) != 3 or not all(parts):
        raise InputError(f"{what} {shown(text)} is not a CAIP-19 asset ID ({SHAPE})")
    chain_text, asset_text, token_text = parts
    chain_id = _chain_id(chain_text, f"{what} {shown(text)}")
    contract = _contract(asset_text, f"{what} {shown(text)}")
    token_id = _token_id(token_text, f"{what} {shown(text)}")
    return AssetId(chain_id, contract, token_id)


def _odd_character(value: str) -> str | None:
    """Why `value` holds a character no CAIP-19 ID can (a phrase), or None."""
    for ch in value:
        if ch.isascii() and (ch.isalnum() or ch in "-_.%:/"):
            continue
        if ch.isascii() and ch.isprintable() and not ch.isspace():
            return f"holds {ch!r}, which no CAIP-19 asset ID holds ({SHAPE})"
        name = unicodedata.name(ch, "a control character")
        return (f"holds U+{ord(ch):04X} ({name}): type or paste it again in plain ASCII "
                f"({SHAPE})")
    return None


def _chain_id(text: str, where: str) -> int:
    """The EIP-155 chain ID of a CAIP-2 chain ID ``eip155:<decimal>``."""
    namespace, colon, reference = text.partition(":")
    if not colon or (not _CAIP_NAMESPACE.fullmatch(namespace)
                     and namespace.lower() != NAMESPACE):
        raise InputError(f"{where}: its chain {shown(text)} is not a CAIP-2 chain ID "
                         f"({NAMESPACE}:<chain id>)")
    if namespace != NAMESPACE:
        if namespace.lower() == NAMESPACE:
            raise InputError(f"{where}: write the namespace {namespace!r} in lower case, "
                             f"{NAMESPACE!r} (CAIP IDs are case-sensitive)")
        raise InputError(f"{where}: chain namespace {namespace!r} is not an EVM chain "
                         f"({NAMESPACE!r}); nothing here verifies tokens elsewhere")
    if not _CHAIN_REFERENCE.fullmatch(reference) or not reference.isdigit():
        raise InputError(f"{where}: chain reference {shown(reference)} is not a decimal EIP-155 "
                         "chain ID of 1 to 32 digits")
    if not _DECIMAL.fullmatch(reference):
        raise InputError(f"{where}: chain ID {reference!r} has leading zeros; write "
                         f"{int(reference)}")
    if int(reference) == 0:
        raise InputError(f"{where}: chain ID 0 names no chain (CAIP-10 uses it only for "
                         "off-chain accounts)")
    return int(reference)


def _contract(text: str, where: str) -> ChecksumAddress:
    """The contract address of an asset name ``erc721:<address>``."""
    namespace, colon, reference = text.partition(":")
    if not colon or (not _CAIP_NAMESPACE.fullmatch(namespace)
                     and namespace.lower() != ASSET_NAMESPACE):
        raise InputError(f"{where}: {shown(text)} is not an asset name "
                         f"({ASSET_NAMESPACE}:<contract>)")
    if namespace != ASSET_NAMESPACE:
        if namespace.lower() == ASSET_NAMESPACE:
            raise InputError(f"{where}: write the asset namespace {namespace!r} in lower case, "
                             f"{ASSET_NAMESPACE!r} (CAIP IDs are case-sensitive)")
        raise InputError(f"{where}: asset namespace {namespace!r} is not an ERC-721 token "
                         f"({ASSET_NAMESPACE!r})")
    if not _ASSET_REFERENCE.fullmatch(reference):
        raise InputError(f"{where}: contract {shown(reference)} is not an asset reference "
                         "(1 to 128 of A-Z a-z 0-9 - . %)")
    return parse_address(reference, f"{where}: contract")


def _token_id(text: str, where: str) -> int:
    """A decimal uint256 token ID, canonical (no leading zeros)."""
    if not _TOKEN_ID.fullmatch(text) or not text.isdigit():
        raise InputError(f"{where}: token ID {shown(text)} is not a decimal number")
    if not _DECIMAL.fullmatch(text):
        raise InputError(f"{where}: token ID {text!r} has leading zeros; write {int(text)}")
    if int(text) > UINT256_MAX:
        raise InputError(f"{where}: token ID {shown(text)} is larger than any ERC-721 token ID "
                         "(2**256 - 1)")
    return int(text)


def parse_issuer(text: object, what: str = "issuer") -> str:
    """The issuer as a trust anchor: an address (``0x…``, returned in EIP-55 form, through
    :func:`nft_toolkit.address.parse_address`) or the domain the issuer binds its collections to
    (``bank.example``, ``host:port``; lower case, through :func:`nft_toolkit.identity.
    parse_domain`, the one domain parser). An InputError naming `what` otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{what} {shown(text)} is empty: give the issuer's address (0x…) or "
                         "its domain (bank.example)")
    value = text.strip()
    if value[:2].lower() == "0x":
        return parse_address(value, what)
    from nft_toolkit.identity import parse_domain  # eth_account: only when a domain is given

    return parse_domain(value, what)


def check_url_base(base: str, what: str = "--url-base") -> str:
    """`base`, the verification service's public URL, without its trailing slash; an InputError
    unless it is an http(s) URL with a host and no query or fragment."""
    try:
        parts = urlsplit(base.strip())
        parts.port  # noqa: B018  (ValueError: a port that is no number)
    except ValueError:
        raise InputError(f"{what} {shown(base)} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{what} {shown(base)} is not an http(s) URL naming a host "
                         "(https://verify.bank.example)")
    if parts.query or parts.fragment or "?" in base or "#" in base:
        raise InputError(f"{what} {shown(base)} has a query or fragment; give the service's "
                         "URL alone")
    if any(not ch.isascii() or not ch.isprintable() or ch.isspace() or ch in _NOT_IN_URLS
           for ch in base.strip()):
        raise InputError(f"{what} {shown(base)} holds characters a URL cannot hold unescaped")
    return base.strip().rstrip("/")


def format_verification_url(base: str, asset: AssetId, issuer: str) -> str:
    """``<base>/v/<asset id>?issuer=<issuer>``: what a certificate's QR code holds."""
    return (f"{check_url_base(base, 'verification base URL')}{URL_PATH}{format_asset_id(asset)}"
            f"?issuer={parse_issuer(issuer)}")


def parse_verification_url(text: object, what: str = "verification URL") -> tuple[AssetId, str]:
    """(asset, issuer) of a URL made by :func:`format_verification_url` (any base, and perhaps
    the page's ``&lang=`` choice); an InputError naming what is wrong otherwise. The issuer is in
    :func:`parse_issuer`'s form."""
    if not isinstance(text, str):
        raise InputError(f"{what} {shown(text)} is not a URL")
    value = text.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        raise InputError(f"{what} {shown(text)} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{what} {shown(text)} is not an http(s) URL")
    path = unquote(parts.path)  # a scanner may have escaped the ':'
    # The last "/v/": the base's path may hold one, an asset ID never does.
    _, marker, asset_text = path.rpartition(URL_PATH)
    if not marker:
        raise InputError(f"{what} {shown(text)} has no {URL_PATH}<asset id> in its path "
                         f"(<service>{URL_PATH}{SHAPE}?issuer=…)")
    asset = parse_asset_id(asset_text, f"{what}'s asset ID")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"issuer", "lang"})  # lang: the page's language, kept by it
    if unknown:
        raise InputError(f"{what} {shown(text)} has unknown parameters ({', '.join(unknown)}); "
                         "it carries only ?issuer=… (and the page's &lang=)")
    issuers = query.get("issuer", [])
    if len(issuers) != 1:
        raise InputError(f"{what} {shown(text)} names "
                         f"{'no issuer' if not issuers else 'several issuers'}: it must carry "
                         "exactly one ?issuer=<address or domain>, the trust anchor")
    return asset, parse_issuer(issuers[0], f"{what}'s issuer")


@dataclass(frozen=True)
class TokenRef:
    """A token as a user gives it: a bare ID (the collection from elsewhere), a CAIP-19 asset
    ID (its chain and contract), or a verification URL (and its issuer)."""

    token_id: int
    asset: AssetId | None = None
    issuer: str | None = None


def parse_token_ref(text: str, what: str = "TOKEN") -> TokenRef:
    """`text` as a decimal token ID, a CAIP-19 asset ID or a verification URL; an InputError
    naming `what` otherwise."""
    value = text.strip()
    if value.isdigit() and value.isascii():
        token_id = int(value)
        if token_id > UINT256_MAX:
            raise InputError(f"{what} {shown(text)} is larger than any ERC-721 token ID")
        return TokenRef(token_id)
    if value.lower().startswith(("http://", "https://")):
        asset, issuer = parse_verification_url(value, what)
        return TokenRef(asset.token_id, asset, issuer)
    if URL_PATH in value and not value.startswith(NAMESPACE):
        raise InputError(f"{what} {shown(text)} looks like a verification URL without its "
                         "https://: give the whole URL")
    if ":" in value or "/" in value:
        asset = parse_asset_id(value, what)
        return TokenRef(asset.token_id, asset)
    raise InputError(f"{what} {shown(text)} is not a token ID (a number), a CAIP-19 asset ID "
                     f"({SHAPE}) or a verification URL")
