"""Proof of holding: the current owner of a token signs a fresh challenge, an EIP-4361 (Sign-In
with Ethereum) message, and the answer is "held by the signer now (block N)" or why not.

A challenge (built and parsed by the ``siwe`` package, EIP-4361's ABNF) names the service's
domain and URI, the signing address (the one asked for, else the token's owner), version 1, the
collection's chain ID, a nonce, the issue time, an expiry :data:`CHALLENGE_SECONDS` later, the
token's CAIP-19 asset ID as its one resource, and, when the address held the token as the
challenge was made, ``Request ID: owner-at-block-<N>`` (so a later refusal can say "moved").

**Nonces without shared memory.** The nonce authenticates its own challenge: 16 random hex
digits, then an HMAC-SHA256 (first 128 bits, hex) under a secret the service's instances share
(``$NFT_TOOLKIT_PROOF_SECRET``, never printed) over every other field of the message. Any
instance checks a challenge another made, with no shared state, and an edited message (a later
expiry, another token) fails the HMAC.

**Replay.** A signed proof is accepted once: the first instance to accept it spends its nonce
in a one-use record (:class:`ReplayStore`, chosen by ``serve --replay-store`` or
``$NFT_TOOLKIT_PROOF_STORE``, see :func:`replay_store`); a second answer is refused as replayed.
The default, an SQLite file in WAL mode (:class:`NonceLedger`), is shared by the workers of one
host only: SQLite's locking is not safe on a network file system, so instances on several hosts
behind a load balancer share a Redis server instead (:class:`RedisLedger`, ``redis://…``: one
atomic ``SET NX`` per proof, the key expiring with the challenge), and the same secret.

**A store that restarts empty.** A record that loses its keys (a Redis without persistence
restarted, an SQLite file deleted) would accept again a proof already used. Each store keeps
the time it started recording (a marker written once, when it holds none); a proof of a
challenge issued before that time is refused (``expired``: ask for a new one), so emptying the
store opens no replay window. A Redis that persists its nonce keys but loses recent ones on a
crash (snapshots only, ``appendfsync everysec``) keeps an old marker: its durability is the
operator's (README, docs/SCALE.md); ``serve`` warns when the server persists nothing.

Refusals (:class:`ProofRefused`, each with its reason code and HTTP status): ``malformed``,
``wrong_domain``, ``wrong_chain``, ``wrong_token``, ``unknown_challenge`` (a nonce this service
did not issue, or an edited message), ``expired``, ``bad_signature`` (the signature does not
match the message and the address it names: the message changed after signing, or another key
signed it), ``replayed``, ``not_holder`` (the signer does not hold the token), ``token_moved``
(the signer held it when the challenge was made, no longer).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import warnings
import re
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from eth_account import Account
from eth_account.messages import encode_defunct

from nft_toolkit.address import ZERO_ADDRESS, parse_address
from nft_toolkit.chain.accounts import Signer
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.networks import redact_url
from nft_toolkit.caip19 import AssetId, format_asset_id
from nft_toolkit.errors import EXIT_UNVERIFIABLE, ConfigError, NftToolkitError

T = TypeVar("T")
CHALLENGE_SECONDS = 300  # a challenge's life: long enough to open a wallet, short for replay
CLOCK_SKEW = 30  # seconds an issue time may lie ahead of this instance's clock
SECRET_ENV = "NFT_TOOLKIT_PROOF_SECRET"
STORE_ENV = "NFT_TOOLKIT_PROOF_STORE"
SECRET_MIN = 32  # characters
REDIS_SECONDS = 2.0  # one call to a shared nonce store, at most
MESSAGE_MAX = 4096  # characters of a submitted message
STATEMENT = ("Prove that you hold this item now. Signing sends no transaction and costs nothing.")
_REQUEST_ID = re.compile(r"owner-at-block-([0-9]{1,20})")
_SIGNATURE = re.compile(r"0x[0-9a-fA-F]{130}")


class LedgerError(NftToolkitError):
    """The one-use record of nonces cannot be read or written (exit 3; the service answers
    503): no proof is accepted without it."""

    exit_code = EXIT_UNVERIFIABLE


class ProofRefused(Exception):
    """Why a proof does not show the token held by the signer: a reason code (module
    docstring), a sentence, and the HTTP status an API answers with."""

    STATUS = {"malformed": 400, "wrong_domain": 400, "wrong_chain": 400, "wrong_token": 400,
              "unknown_challenge": 403, "expired": 410, "bad_signature": 403, "replayed": 409,
              "not_holder": 403, "token_moved": 409}

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    @property
    def status(self) -> int:
        return self.STATUS[self.reason]


@dataclass(frozen=True)
class Held:
    """A proof accepted: `holder` held `asset` at `block`."""

    asset: str  # CAIP-19
    holder: str
    block: int

    def as_json(self) -> dict[str, Any]:
        return {"held": True, "asset": self.asset, "holder": self.holder, "block": self.block}


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_ms(moment: datetime) -> str:
    """`moment` in RFC 3339 UTC to the millisecond (EIP-4361 allows fractional seconds)."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class ReplayStore(Protocol):
    """A one-use record of spent nonces, shared by every instance that checks proofs."""

    def started(self, now: float) -> float:
        """The Unix time (seconds, to the millisecond) from which this record holds every nonce
        spent (set to `now` when it holds no such time: a new or emptied store); LedgerError
        when it cannot be read."""
        ...

    def spend(self, nonce: str, expires: int, now: int) -> bool:
        """Records `nonce` (usable until `expires`, Unix seconds); False when it was spent
        (LedgerError when the record cannot be read or written)."""
        ...


class NonceLedger:
    """The one-use record of spent nonces: an SQLite file in WAL mode, shared by the worker
    processes of one host (each call opens its own connection: safe across threads and
    processes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._run(lambda db: (db.execute("PRAGMA journal_mode=WAL"),
                              db.execute("CREATE TABLE IF NOT EXISTS spent (nonce TEXT PRIMARY "
                                         "KEY, expires INTEGER NOT NULL)"),
                              db.execute("CREATE TABLE IF NOT EXISTS started (at INTEGER NOT "
                                         "NULL)")))

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` over a fresh connection, closed after; LedgerError when the file fails."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError(f"the nonce ledger {self.path} cannot be opened: {exc}") from None
        try:
            return work(db)
        except sqlite3.Error as exc:
            raise LedgerError(f"the nonce ledger {self.path} failed: {exc}") from None
        finally:
            db.close()

    def started(self, now: float) -> float:
        """The time this file started recording (:meth:`ReplayStore.started`)."""
        def work(db: sqlite3.Connection) -> float:
            db.execute("INSERT INTO started SELECT ? WHERE NOT EXISTS (SELECT 1 FROM started)",
                       (now,))
            return float(db.execute("SELECT min(at) FROM started").fetchone()[0])
        return self._run(work)

    def spend(self, nonce: str, expires: int, now: int) -> bool:
        """Records `nonce` (usable until `expires`, Unix seconds); False when it was spent."""
        def work(db: sqlite3.Connection) -> bool:
            db.execute("DELETE FROM spent WHERE expires < ?", (now,))
            return db.execute("INSERT OR IGNORE INTO spent VALUES (?, ?)",
                              (nonce, expires)).rowcount == 1
        return self._run(work)


class RedisLedger:
    """The one-use record in a Redis server, shared by instances on several hosts: a nonce is
    spent by one atomic ``SET key 1 NX EX ttl`` (the key outlives the challenge by the clock skew
    allowed between instances, then Redis drops it). Timeouts are explicit: a server that does
    not answer within :data:`REDIS_SECONDS` is LedgerError (the service answers 503)."""

    PREFIX = "nft-toolkit:proof-nonce:"
    STARTED = "nft-toolkit:proof-store-started"  # no expiry: gone only when the store empties

    def __init__(self, url: str) -> None:
        import redis  # imported at use: only a service with a shared store needs it

        self.shown = redact_url(url)  # a password in the URL is never shown
        try:
            self._client = redis.Redis.from_url(url, socket_timeout=REDIS_SECONDS,
                                                socket_connect_timeout=REDIS_SECONDS)
        except ValueError as exc:
            raise ConfigError(f"--replay-store {self.shown}: {exc}") from None
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)

    def ping(self) -> None:
        """LedgerError unless the server answers."""
        try:
            self._client.ping()
        except self._errors as exc:
            raise LedgerError(f"the nonce store {self.shown} does not answer: "
                              f"{type(exc).__name__}") from None

    def durability(self) -> str | None:
        """One line when the server persists nothing, or only snapshots (a restart or crash
        forgets recently used proofs; :meth:`started` then refuses older challenges, users ask
        again); None when it appends every write (``appendonly yes``) or does not answer
        ``CONFIG GET`` (managed servers often refuse it)."""
        try:
            conf = {**self._client.config_get("appendonly"), **self._client.config_get("save")}
        except self._errors:
            return None
        if str(conf.get("appendonly", "")).lower() == "yes":
            return None
        if not str(conf.get("save", "")).strip():
            return (f"the nonce store {self.shown} persists nothing (appendonly no, save \"\"): "
                    "a restart forgets which proofs were used; set appendonly yes")
        return (f"the nonce store {self.shown} keeps only snapshots (appendonly no): a crash "
                "forgets proofs used since the last one; set appendonly yes")

    def started(self, now: float) -> float:
        """The time this server started recording (:meth:`ReplayStore.started`): one round
        trip, ``SET NX`` then ``GET`` of a key without expiry."""
        try:
            pipe = self._client.pipeline(transaction=True)
            pipe.set(self.STARTED, f"{now:.3f}".encode(), nx=True)
            pipe.get(self.STARTED)
            return float(pipe.execute()[1])
        except self._errors + (TypeError, ValueError) as exc:  # down, or a marker not a time
            raise LedgerError(f"the nonce store {self.shown} failed: "
                              f"{type(exc).__name__}") from None

    def spend(self, nonce: str, expires: int, now: int) -> bool:
        ttl = max(1, expires - now) + CLOCK_SKEW
        try:
            return bool(self._client.set(self.PREFIX + nonce, b"1", nx=True, ex=ttl))
        except self._errors as exc:
            raise LedgerError(f"the nonce store {self.shown} failed: "
                              f"{type(exc).__name__}") from None


def replay_store(spec: str) -> NonceLedger | RedisLedger:
    """The store `spec` names: ``redis://[:password@]host:port/db``, ``rediss://…`` (TLS) or
    ``unix:///path/redis.sock`` for a Redis server; otherwise an SQLite file's path (one host).
    ConfigError for another URL scheme."""
    if replay_store_kind(spec) == "redis":
        return RedisLedger(spec)
    if "://" in spec:
        raise ConfigError(f"--replay-store {redact_url(spec)}: not a Redis URL (redis://HOST:PORT/"
                          "DB) nor a file path")
    return NonceLedger(Path(spec))


def replay_store_kind(spec: str) -> str:
    """``redis`` or ``sqlite``: the kind of store `spec` names (without opening it)."""
    scheme = urlsplit(spec).scheme.lower() if "://" in spec else ""
    return "redis" if scheme in ("redis", "rediss", "unix") else "sqlite"


@dataclass(frozen=True)
class Challenger:
    """Issues and checks the challenges of one service: its `secret` (shared by its instances)
    and its `ledger` of spent nonces."""

    secret: bytes = field(repr=False)  # never shown
    ledger: ReplayStore

    def _tag(self, fields: dict[str, Any], random: str) -> str:
        text = "\n".join(f"{k}={fields.get(k)}" for k in (
            "domain", "address", "uri", "chain_id", "issued_at", "expiration_time",
            "request_id", "resources")) + f"\nrandom={random}"
        return hmac.new(self.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def challenge(self, domain: str, uri: str, asset: AssetId, address: str,
                  owner_block: int | None, now: datetime | None = None) -> str:
        """The EIP-4361 message for `address` to sign about `asset`; `owner_block`: the block at
        which `address` held it (None when it did not, or is not known)."""
        SiweMessage = _siwe()

        issued = now or datetime.now(timezone.utc)
        fields: dict[str, Any] = {
            "domain": domain, "address": parse_address(address, "address"), "uri": uri,
            # to the millisecond: a store (re)started within the second of a challenge must
            # tell whether the challenge preceded it (:meth:`check`)
            "version": "1", "chain_id": asset.chain_id, "issued_at": _iso_ms(issued),
            "expiration_time": _iso(issued + timedelta(seconds=CHALLENGE_SECONDS)),
            "statement": STATEMENT, "resources": [format_asset_id(asset)],
            "request_id": f"owner-at-block-{owner_block}" if owner_block is not None else None}
        random = secrets.token_hex(8)
        fields["nonce"] = random + self._tag(fields, random)
        message: str = SiweMessage(**{k: v for k, v in fields.items() if v is not None}
                                   ).prepare_message()
        return message

    def check(self, message: str, signature: str, domain: str, asset: AssetId,
              owner_at: Callable[[], tuple[str, int]], now: datetime | None = None) -> Held:
        """Held when `message` is a challenge this service issued, for `domain` and `asset`,
        unexpired, signed (`signature`, EIP-191) by its address, not answered before, and that
        address holds `asset` now (`owner_at()`: the owner and the block it was read at);
        ProofRefused otherwise. Chain errors from `owner_at` pass through."""
        SiweMessage = _siwe()
        if not isinstance(message, str) or len(message) > MESSAGE_MAX:
            raise ProofRefused("malformed", "the message is not an EIP-4361 challenge")
        submitted, message = message, challenge_text(message)
        try:
            parsed = SiweMessage.from_message(message)
        except Exception:  # the ABNF parser and pydantic raise many kinds
            raise ProofRefused("malformed", "the message is not an EIP-4361 (Sign-In with "
                               "Ethereum) challenge") from None
        if not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature.strip()):
            raise ProofRefused("malformed", "the signature is not 65 bytes of 0x-hex")
        if parsed.domain != domain:
            raise ProofRefused("wrong_domain", f"the challenge is for {parsed.domain[:80]}, "
                               f"not this service ({domain})")
        if parsed.chain_id != asset.chain_id:
            raise ProofRefused("wrong_chain", f"the challenge is for chain {parsed.chain_id}, "
                               f"the token is on chain {asset.chain_id}")
        wanted = format_asset_id(asset)
        if list(parsed.resources or []) != [wanted]:
            raise ProofRefused("wrong_token", f"the challenge is not about {wanted}")
        fields = {"domain": parsed.domain, "address": parsed.address, "uri": parsed.uri,
                  "chain_id": parsed.chain_id, "issued_at": str(parsed.issued_at),
                  "expiration_time": str(parsed.expiration_time) if parsed.expiration_time
                  else None, "request_id": parsed.request_id, "resources": parsed.resources}
        nonce = parsed.nonce
        if (len(nonce) != 48 or parsed.statement != STATEMENT
                or not hmac.compare_digest(nonce[16:], self._tag(fields, nonce[:16]))):
            raise ProofRefused("unknown_challenge", "this service did not issue that challenge "
                               "(or it was edited): ask for a new one")
        now = now or datetime.now(timezone.utc)
        expires = _parse_time(str(parsed.expiration_time))
        issued = _parse_time(str(parsed.issued_at))
        if now >= expires:
            raise ProofRefused("expired", f"the challenge expired at {parsed.expiration_time}: "
                               "ask for a new one")
        if issued > now + timedelta(seconds=CLOCK_SKEW):
            raise ProofRefused("unknown_challenge", "the challenge is dated in the future")
        if issued.timestamp() < self.ledger.started(now.timestamp()):
            raise ProofRefused("expired", "the challenge was issued before the record of used "
                               "proofs (re)started: ask for a new one")
        # the challenge as issued, or exactly as submitted (a file's trailing newline, signed
        # by a tool that kept it): either text signed by the challenge's address proves it
        signer = next((s for s in (recover(text, signature.strip())
                                   for text in dict.fromkeys((message, submitted)))
                       if s == parsed.address), None)
        if signer is None:  # whom another text's signature recovers to means nothing: not named
            raise ProofRefused("bad_signature", "the signature does not match this message "
                               f"and {parsed.address}, the address it names: the message was "
                               "changed after signing (even a line break or a space), or "
                               "another key signed it")
        if not self.ledger.spend(nonce, int(expires.timestamp()), int(now.timestamp())):
            raise ProofRefused("replayed", "this challenge was already answered: ask for a new "
                               "one")
        owner, block = owner_at()
        if owner.lower() != signer.lower():
            held_then = _REQUEST_ID.fullmatch(parsed.request_id or "")
            if held_then is not None:
                raise ProofRefused("token_moved", f"{signer} held the token at block "
                                   f"{held_then.group(1)}, but at block {block} "
                                   + ("it no longer exists (burned)" if owner == ZERO_ADDRESS
                                      else f"{owner} holds it"))
            raise ProofRefused("not_holder", f"signed by {signer}, who does not hold the token: "
                               + ("it does not exist" if owner == ZERO_ADDRESS
                                  else f"{owner} holds it") + f" (block {block})")
        return Held(wanted, signer, block)


def _siwe() -> Any:
    """siwe's SiweMessage, imported at use (pydantic and the ABNF grammars are slow), with the
    ``abnf`` package's GrammarWarning (siwe's grammar redefines core rules, harmlessly) kept out
    of the service's log: that category only."""
    from abnf import GrammarWarning

    warnings.filterwarnings("ignore", category=GrammarWarning)
    from siwe import SiweMessage

    return SiweMessage


def owner_at(chain: Chain, contract: str, token_id: int) -> tuple[str, int]:
    """The owner of `token_id` (the zero address when none) at the newest block, and that
    block's number: both read at one block, so the answer is dated exactly."""
    block = chain.block_number()
    fn = chain.collection(contract).functions.ownersInRange(token_id, token_id)
    owners = chain.rpc(lambda: fn.call(block_identifier=block), "ownersInRange")
    return (str(owners[0]) if owners else ZERO_ADDRESS), block


def recover(message: str, signature: str) -> str | None:
    """The address whose EIP-191 personal_sign of `message` is `signature`, or None."""
    try:
        return str(Account.recover_message(encode_defunct(text=message), signature=signature))
    except Exception:  # eth-keys raises several types for a malformed signature
        return None


def sign(account: Signer, message: str) -> str:
    """`account`'s EIP-191 personal_sign of `message`, 0x-hex (what a wallet returns)."""
    return "0x" + bytes(account.sign_message(encode_defunct(text=message)).signature).hex()


def challenge_text(text: str) -> str:
    """An EIP-4361 challenge as the service issued it from `text` as a person may have saved
    it: line breaks LF (a Windows editor's CRLF), no byte-order mark, no trailing line break or
    space (an editor adds a final newline; the challenge ends with its last field)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").rstrip()


def message_address(message: str) -> str | None:
    """The address line of an EIP-4361 message (its second line), for a signer to compare."""
    lines = message.split("\n")
    return lines[1].strip() if len(lines) > 1 else None


def challenger_from_env(default_store: Path, env: dict[str, str] | None = None) -> Challenger:
    """The service's Challenger: the secret from ``$NFT_TOOLKIT_PROOF_SECRET`` (at least 32
    characters; ConfigError otherwise, never echoing it), the one-use record that
    ``$NFT_TOOLKIT_PROOF_STORE`` names (:func:`replay_store`), else an SQLite file at
    `default_store`."""
    env = env if env is not None else dict(os.environ)
    secret = _secret(env)
    ledger = replay_store(env.get(STORE_ENV) or str(default_store))
    ledger.started(time.time())  # a store emptied before now refuses older challenges
    return Challenger(secret.encode("utf-8"), ledger)


def _secret(env: dict[str, str] | os._Environ[str]) -> str:
    """``$NFT_TOOLKIT_PROOF_SECRET`` from `env`; ConfigError (never echoing it) when it is
    missing or shorter than :data:`SECRET_MIN`."""
    secret = env.get(SECRET_ENV)
    if secret is None or len(secret) < SECRET_MIN:
        raise ConfigError(f"${SECRET_ENV} must hold a secret of at least {SECRET_MIN} "
                          "characters, the same for every instance of the service")
    return secret


def prepare_env(default_store: Path, store: str | None = None) -> list[str]:
    """Before a service starts its workers: the one-use record's place (`store`, else
    ``$NFT_TOOLKIT_PROOF_STORE``, else `default_store`) and a fresh secret in the environment
    when none is set (the workers inherit both), then every setting the workers read at first
    use checked now, so a mistake is one line before the service starts: ConfigError for a
    secret shorter than :data:`SECRET_MIN`, or none with a store shared by several hosts
    (Redis), and LedgerError when the store does not answer. Returns warnings (one line each):
    a Redis that persists nothing or only snapshots."""
    if store is not None:
        os.environ[STORE_ENV] = store
    os.environ.setdefault(STORE_ENV, str(default_store))
    spec = os.environ[STORE_ENV]
    ledger = replay_store(spec)  # a bad URL or an unusable file: one line, before the service
    if isinstance(ledger, RedisLedger):
        if not os.environ.get(SECRET_ENV):
            raise ConfigError(f"a shared --replay-store serves several instances, which must "
                              f"share one secret: set ${SECRET_ENV} (at least {SECRET_MIN} "
                              "characters, the same everywhere)")
        _secret(os.environ)  # a configuration mistake is said before an unreachable store
        ledger.ping()
    elif not os.environ.get(SECRET_ENV):
        os.environ[SECRET_ENV] = secrets.token_hex(32)
    challenger_from_env(default_store)  # what each worker does at its first proof, done now
    return [said for said in [ledger.durability()] if said] if isinstance(ledger, RedisLedger) \
        else []
