"""The issuer known by its domain: a statement, signed by the issuer key, that names the issuer's
address and lists its collections, served at ``https://<domain>/.well-known/nft-issuer.json``
(an RFC 8615 well-known URI).

The statement is one JSON object::

    {"type": "nft-issuer-statement/1", "domain": "bank.example",
     "issuer": "0x<EIP-55 address>", "issued_at": "2026-11-30T04:30:00Z",
     "collections": [{"chain_id": 1, "contract": "0x<EIP-55>", "name": "Year of the Horse 2026"}],
     "signature": "0x<65 bytes>"}

The signature is EIP-191 ``personal_sign`` (version ``0x45``, eth-account's ``encode_defunct``)
over the statement's *canonical bytes*: the object without ``signature``, as UTF-8 JSON with keys
sorted and no whitespace (``json.dumps(obj, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``; for the values a statement holds, strings, integers, lists and ASCII keys,
this is RFC 8785 JCS). Anyone can recompute them and recover the signer with any EIP-191 tool.

A verifier (:func:`judge`, used by the one engine, :mod:`nft_toolkit.verify.trust`) accepts the
statement only when its signature recovers the address it names, it names the domain it was
fetched from (a statement copied to another domain vouches for nothing there), and it lists the
contract on the chain; that address is then the trust anchor. :func:`fetch_statement` is the I/O
edge: HTTPS only, the certificate verified against the system's authorities (or the file named by
``$SSL_CERT_FILE``, how tests trust a test authority), redirects only within the domain, bounded
in size and time.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from eth_account import Account
from eth_account.messages import encode_defunct

from nft_toolkit.address import address_problem, parse_address
from nft_toolkit.chain.accounts import Signer
from nft_toolkit.errors import InputError, NftToolkitError, EXIT_UNVERIFIABLE

WELL_KNOWN_PATH = "/.well-known/nft-issuer.json"
STATEMENT_TYPE = "nft-issuer-statement/1"
STATEMENT_MAX = 64 * 1024  # bytes; a bank's statement lists a few collections
FETCH_SECONDS = 10.0  # the whole fetch, redirects included
MAX_REDIRECTS = 3
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"({_LABEL}(?:\.{_LABEL})*)(?::([0-9]{{1,5}}))?")


class DomainUnreachable(NftToolkitError):
    """The issuer's domain did not serve its statement over verified HTTPS in time (exit 3)."""

    exit_code = EXIT_UNVERIFIABLE


class BadStatement(ValueError):
    """Bytes that are not an issuer statement (the message says what is wrong)."""


@dataclass(frozen=True)
class Collection:
    """One collection an issuer lists: its contract on its chain, and its name."""

    chain_id: int
    contract: str  # EIP-55
    name: str


@dataclass(frozen=True)
class Statement:
    """A parsed issuer statement (the module docstring gives its JSON)."""

    domain: str
    issuer: str  # EIP-55, as the statement names it
    issued_at: str
    collections: tuple[Collection, ...]
    signature: str  # 0x-hex

    def unsigned(self) -> dict[str, Any]:
        """The object the signature covers: everything but the signature."""
        return {"type": STATEMENT_TYPE, "domain": self.domain, "issuer": self.issuer,
                "issued_at": self.issued_at,
                "collections": [asdict(c) for c in self.collections]}

    def as_json(self) -> dict[str, Any]:
        return {**self.unsigned(), "signature": self.signature}

    def signer(self) -> str | None:
        """The address the signature recovers over the canonical bytes, None when it is no
        signature at all."""
        try:
            return str(Account.recover_message(encode_defunct(canonical(self.unsigned())),
                                               signature=self.signature))
        except Exception:  # eth-keys raises several types for a malformed signature
            return None

    def lists(self, contract: str, chain_id: int) -> Collection | None:
        """The listed collection at `contract` on `chain_id`, if any."""
        for c in self.collections:
            if c.chain_id == chain_id and c.contract.lower() == contract.lower():
                return c
        return None


def canonical(obj: Any) -> bytes:
    """The canonical bytes of a statement object (sorted keys, no whitespace, UTF-8)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def parse_domain(text: str, what: str = "--issuer") -> str:
    """`text` as a domain ``host[:port]``, lower case (``bank.example``, ``localhost:8443``);
    InputError otherwise. A scheme or path is refused: the statement's place is fixed."""
    value = text.strip().lower().rstrip(".")
    if value.endswith(".eth") and what == "--issuer":
        # an ENS name's owner can change hands; the trust anchor is an address or a web domain
        raise InputError(f"{what} {text[:80]!r} is an ENS name, which nft-toolkit does not "
                         "resolve: give the issuer's 0x address or its web domain")
    m = _DOMAIN.fullmatch(value)
    if m is None or (m.group(2) is not None and not 0 < int(m.group(2)) < 65536):
        kind = ("is neither a domain such as bank.example nor a 0x address" if what == "--issuer"
                else "is not a domain such as bank.example")
        raise InputError(f"{what} {text[:80]!r} {kind} (no https://, no path)")
    return value


def is_domain(text: str) -> bool:
    """Whether an --issuer value names a domain rather than an address (it does not start 0x)."""
    return not text.strip().lower().startswith("0x")


def sign_statement(account: Signer, domain: str, collections: Sequence[Collection],
                   issued_at: datetime | None = None) -> Statement:
    """A statement for `domain` listing `collections`, signed by `account` (the issuer key)."""
    when = (issued_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    draft = Statement(parse_domain(domain, "domain"), account.address,
                      when.strftime("%Y-%m-%dT%H:%M:%SZ"), tuple(collections), "")
    signed = account.sign_message(encode_defunct(canonical(draft.unsigned())))
    return Statement(draft.domain, draft.issuer, draft.issued_at, draft.collections,
                     "0x" + bytes(signed.signature).hex())


def statement_bytes(statement: Statement) -> bytes:
    """The file publish-identity writes: the statement, indented, with a final newline."""
    return (json.dumps(statement.as_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _field(obj: dict[str, Any], key: str, kind: type) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadStatement(f"its {key!r} is missing or not a {kind.__name__}")
    return value


def parse_statement(data: bytes) -> Statement:
    """The statement in `data`; BadStatement saying what is wrong (hostile bytes stay data)."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadStatement("it is not UTF-8 JSON") from None
    if not isinstance(obj, dict):
        raise BadStatement("it is not a JSON object")
    if obj.get("type") != STATEMENT_TYPE:
        raise BadStatement(f"its type is not {STATEMENT_TYPE!r}")
    extra = set(obj) - {"type", "domain", "issuer", "issued_at", "collections", "signature"}
    if extra:  # unsigned extras could mislead a reader of the file
        raise BadStatement(f"it has unknown keys {sorted(extra)[:5]}")
    issuer = _field(obj, "issuer", str)
    if address_problem(issuer) is not None:
        raise BadStatement("its issuer is not a valid address")
    collections = []
    for item in _field(obj, "collections", list)[:1000]:
        if not isinstance(item, dict) or set(item) != {"chain_id", "contract", "name"}:
            raise BadStatement("a collection is not {chain_id, contract, name}")
        contract = _field(item, "contract", str)
        if address_problem(contract) is not None:
            raise BadStatement("a collection's contract is not a valid address")
        collections.append(Collection(_field(item, "chain_id", int), parse_address(contract),
                                      _field(item, "name", str)[:200]))
    try:
        domain = parse_domain(_field(obj, "domain", str), "domain")
    except InputError:
        raise BadStatement("its domain is not a domain name") from None
    return Statement(domain, issuer, _field(obj, "issued_at", str)[:40], tuple(collections),
                     _field(obj, "signature", str)[:200])


@dataclass(frozen=True)
class Problem:
    """Why a statement does not vouch for a contract: the English `detail`, and a `code` with
    `params` for a page in another language (``detail.issuer_domain.<code>``)."""

    detail: str
    code: str
    params: dict[str, object]


def judge(domain: str, data: bytes, contract: str, chain_id: int | None) -> tuple[Statement, Problem | None]:
    """What the statement `data` fetched from `domain` says about `contract` on `chain_id`:
    the statement and None when it vouches for the contract (its signer is the trust anchor),
    else the reason it does not (a counterfeit's). BadStatement when `data` is no statement."""
    st = parse_statement(data)
    signer = st.signer()
    if signer is None or signer.lower() != st.issuer.lower():
        by = "no valid signature" if signer is None else f"signed by {signer}"
        return st, Problem(f"the statement {domain} serves names issuer {st.issuer} but is {by}, "
                           "not by that issuer", "unsigned" if signer is None else "other_signer",
                           {"domain": domain, "issuer": st.issuer, "signer": signer or ""})
    if st.domain != domain:
        return st, Problem(f"the statement {domain} serves is {st.domain}'s, not {domain}'s "
                           "(copied from another domain)", "copied",
                           {"domain": domain, "owner": st.domain})
    if chain_id is None or st.lists(contract, chain_id) is None:
        on = f" on chain {chain_id}" if chain_id is not None else ""
        listed = ", ".join(f"{c.contract} on chain {c.chain_id}" for c in st.collections[:5])
        return st, Problem(f"{domain} does not list {contract}{on} among its collections "
                           f"({listed or 'none listed'})", "not_listed",
                           {"domain": domain, "contract": contract, "chain": chain_id or ""})
    return st, None


def _connection(host: str, port: int, deadline: float) -> http.client.HTTPSConnection:
    context = ssl.create_default_context()  # certificate and host name verified; $SSL_CERT_FILE
    return http.client.HTTPSConnection(host, port, timeout=max(0.1, deadline - time.monotonic()),
                                       context=context)


def fetch_statement(domain: str, seconds: float = FETCH_SECONDS,
                    limit: int = STATEMENT_MAX) -> bytes:
    """The bytes `https://<domain>/.well-known/nft-issuer.json` serves: HTTPS with the
    certificate verified, redirects followed only to HTTPS on the same domain, at most `limit`
    bytes within `seconds` overall. DomainUnreachable (exit 3) otherwise."""
    domain = parse_domain(domain)
    host, _, port_text = domain.partition(":")
    port = int(port_text) if port_text else 443
    path = WELL_KNOWN_PATH
    deadline = time.monotonic() + seconds
    for _ in range(MAX_REDIRECTS + 1):
        conn = _connection(host, port, deadline)
        try:
            conn.request("GET", path, headers={"Accept": "application/json",
                                               "User-Agent": "nft-toolkit"})
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                target = urlsplit(resp.getheader("Location", ""))
                if (target.scheme or "https") != "https" or (
                        target.netloc and target.netloc.lower() != domain):
                    raise DomainUnreachable(f"https://{domain}{WELL_KNOWN_PATH} redirects off the "
                                            f"domain ({target.scheme}://{target.netloc[:80]})")
                path = (target.path or "/") + (f"?{target.query}" if target.query else "")
                continue
            if resp.status != 200:
                raise DomainUnreachable(f"https://{domain}{WELL_KNOWN_PATH} answered HTTP "
                                        f"{resp.status}: the domain serves no issuer statement")
            data = bytearray()
            while piece := resp.read1(16 * 1024):
                data += piece
                if len(data) > limit:
                    raise DomainUnreachable(f"{domain}'s statement is over {limit} bytes")
                if time.monotonic() > deadline:
                    raise DomainUnreachable(f"{domain}'s statement took over {seconds:.0f} s")
            return bytes(data)
        except ssl.SSLError as exc:
            raise DomainUnreachable(f"https://{domain}: certificate not trusted or TLS failed "
                                    f"({getattr(exc, 'reason', None) or exc})") from None
        except (OSError, http.client.HTTPException, socket.timeout) as exc:
            raise DomainUnreachable(f"https://{domain} cannot be reached: "
                                    f"{exc.__class__.__name__}: {str(exc)[:120]}") from None
        finally:
            conn.close()
    raise DomainUnreachable(f"https://{domain}{WELL_KNOWN_PATH}: more than {MAX_REDIRECTS} "
                            "redirects")


@dataclass(frozen=True)
class DomainAnchor:
    """The issuer named by a domain, as fetched at the edge for the engine to judge: the bytes
    served (None when the domain could not be reached, `problem` saying why)."""

    domain: str
    data: bytes | None
    problem: str | None = None


def resolve(domain: str, seconds: float = FETCH_SECONDS) -> DomainAnchor:
    """Fetches `domain`'s statement; an unreachable domain is an anchor with a problem (the
    engine makes it `unverifiable`), never an exception."""
    domain = parse_domain(domain)
    try:
        return DomainAnchor(domain, fetch_statement(domain, seconds))
    except DomainUnreachable as exc:
        return DomainAnchor(domain, None, str(exc))


class AnchorCache:
    """A domain's statement for a long-running service: fetched again once `fresh` seconds have
    passed (`retry` after a failure), so an updated statement, or a domain that was down when
    the service started, is seen without a restart; between fetches, requests share the bytes."""

    def __init__(self, anchor: DomainAnchor, fresh: float = 300.0, retry: float = 15.0,
                 fetch: Callable[[str], DomainAnchor] = resolve,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._anchor, self._fetch, self._clock = anchor, fetch, clock
        self.fresh, self.retry = fresh, retry
        self._due = clock() + (fresh if anchor.data is not None else retry)
        self._lock = threading.Lock()

    def get(self) -> DomainAnchor:
        """The statement as last fetched, fetched again first when due."""
        with self._lock:
            if self._clock() >= self._due:
                self._anchor = self._fetch(self._anchor.domain)
                self._due = self._clock() + (self.fresh if self._anchor.data is not None
                                             else self.retry)
            return self._anchor
