"""Content identifiers: the package's one CID implementation (parsing, text, comparison).

A :class:`Cid` is a small value over the binary CID (a CIDv0 is the bare sha2-256 multihash, a
CIDv1 is ``0x01 <codec> <multihash>``), because the importer makes one per block. Text goes
through this module only: the two forms `ipfs add` prints (CIDv0 base58btc, CIDv1 base32) are
parsed and written by a fast path here, canonical text only; every other multibase, and anything
the fast path does not take, goes through the `multiformats` library, which validates multibase,
codec and multihash. Two CIDs are the same content when their codec and multihash agree
(:func:`same_cid`), never because their texts do: ``Qm…``, ``bafy…``, ``BAFY…``, ``k…`` and
``u…`` may all name one block. Sources: the CID spec (github.com/multiformats/cid) and the
multibase table (github.com/multiformats/multibase).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from multiformats import CID as _MfCID
from multiformats import multibase

from nft_toolkit.errors import InputError, IntegrityError

DAG_PB = 0x70
RAW = 0x55
SHA2_256 = 0x12
_MH_PREFIX = bytes([SHA2_256, 32])
_V1_PREFIX = {DAG_PB: b"\x01\x70", RAW: b"\x01\x55"}
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_VALUE = {c: i for i, c in enumerate(_B58_ALPHABET)}  # a constant table, never changed
_V0_TEXT_LEN, _V1_B32_LEN = 46, 59  # "Qm" + 44 base58 digits; "b" + 58 base32 digits


def _base58btc(raw: bytes) -> str:
    """`raw` in base58btc (Bitcoin alphabet, a leading zero byte as "1"), without a multibase
    prefix: a CIDv0's text. ~30x faster than the multiformats encoder, checked against it."""
    n = int.from_bytes(raw, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58_ALPHABET[r])
    zeros = len(raw) - len(raw.lstrip(b"\x00"))
    return "1" * zeros + "".join(reversed(out))


def _base32(raw: bytes) -> str:
    """`raw` in multibase base32 (RFC 4648 lowercase, unpadded), prefix ``b``: a CIDv1's text."""
    return "b" + base64.b32encode(raw).decode("ascii").rstrip("=").lower()


def _fast_parse(text: str) -> Cid | None:
    """The Cid of `text` when it is one of the two canonical forms `ipfs add` prints (CIDv0
    base58btc ``Qm…``, CIDv1 base32 ``b…`` of a dag-pb or raw sha2-256 CID), else None.

    ~100x faster than the multiformats parser, which the audit feels; it takes exactly the text
    :meth:`Cid.__str__` writes (each result re-encodes to `text`), so it can accept nothing the
    library would refuse."""
    try:
        if len(text) == _V0_TEXT_LEN and text.startswith("Qm"):
            n = 0
            for ch in text:
                n = n * 58 + _B58_VALUE[ch]
            raw = n.to_bytes(34, "big")
            if raw[:2] == _MH_PREFIX:
                return Cid(raw)
        elif len(text) == _V1_B32_LEN and text.startswith("b"):
            raw = base64.b32decode(text[1:].upper() + "=" * (-(len(text) - 1) % 8))
            if raw[:2] in (b"\x01\x70", b"\x01\x55") and raw[2:4] == _MH_PREFIX \
                    and _base32(raw) == text:
                return Cid(raw)
    except (KeyError, ValueError, OverflowError):  # not base58 / base32 digits, or too large
        pass
    return None


@dataclass(frozen=True, slots=True)
class Cid:
    """A CID (v0 or v1, dag-pb or raw, sha2-256) held as its binary form."""

    raw: bytes

    @classmethod
    def make(cls, version: int, codec: int, digest: bytes) -> Cid:
        """The CID of a block whose sha2-256 digest is `digest`."""
        if version == 0:
            if codec != DAG_PB:
                raise ValueError("a CIDv0 is always dag-pb")
            return cls(_MH_PREFIX + digest)
        return cls(_V1_PREFIX[codec] + _MH_PREFIX + digest)

    @classmethod
    def from_raw(cls, raw: bytes) -> Cid:
        """`raw`, a binary CID as a dag-pb link holds it, when it is a sha2-256 dag-pb or raw CID
        (v0 or v1); ValueError otherwise. ``Cid(raw)`` checks nothing: it is for bytes this
        package made, where a link read from content must not be taken on trust (a sha2-512 CID
        whose last 32 bytes are some block's sha2-256 would otherwise pass for that block)."""
        v1_prefix = raw[:2] in (b"\x01\x70", b"\x01\x55") and raw[2:4] == _MH_PREFIX
        if (len(raw) == 34 and raw[:2] == _MH_PREFIX) or (len(raw) == 36 and v1_prefix):
            return cls(bytes(raw))
        raise ValueError(f"not a sha2-256 dag-pb or raw CID: {bytes(raw[:40]).hex()}")

    @classmethod
    def of_block(cls, version: int, codec: int, block: bytes | memoryview) -> Cid:
        return cls.make(version, codec, hashlib.sha256(block).digest())

    @classmethod
    def parse(cls, text: str | bytes) -> Cid:
        """Parses a CID string (or binary CID); raises InputError on anything else.

        Any multibase the `multiformats` library knows is accepted for a CIDv1 (base58btc only
        for a CIDv0, as the spec has it); only sha2-256 with the dag-pb or raw codec: those are
        the only CIDs `ipfs add` makes, and the only ones whose blocks this package can verify.
        """
        if isinstance(text, str):
            fast = _fast_parse(text)
            if fast is not None:
                return fast
        try:
            cid = _MfCID.decode(text)
        except Exception as exc:  # multiformats raises several unrelated types
            raise InputError(f"not a valid CID: {text!r} ({exc})") from None
        if cid.hashfun.code != SHA2_256 or len(cid.raw_digest) != 32:
            raise InputError(f"unsupported CID hash function {cid.hashfun.name} in {text!r}")
        if cid.codec.code not in (DAG_PB, RAW):
            raise InputError(f"unsupported CID codec {cid.codec.name} in {text!r}")
        return cls.make(cid.version, cid.codec.code, bytes(cid.raw_digest))

    @property
    def version(self) -> int:
        return 0 if self.raw[0] == SHA2_256 else 1

    @property
    def codec(self) -> int:
        return DAG_PB if self.version == 0 else self.raw[1]

    @property
    def multihash(self) -> bytes:
        return self.raw if self.version == 0 else self.raw[2:]

    @property
    def digest(self) -> bytes:
        return self.raw[-32:]

    def to_v1(self) -> Cid:
        return Cid(_V1_PREFIX[self.codec] + self.multihash)

    def __str__(self) -> str:
        """The canonical text: base58btc for a CIDv0, multibase base32 for a CIDv1 (as Kubo)."""
        return _base58btc(self.raw) if self.version == 0 else _base32(self.raw)

    def encode(self, base: str) -> str:
        """This CID's text in the multibase named `base` (``"base36"``, ``"base64url"``…, any
        the `multiformats` library knows). A CIDv0 has one text form only, base58btc: write
        ``cid.to_v1().encode(base)`` for another (the same content, see :func:`same_cid`)."""
        if self.version == 0:
            if base != "base58btc":
                raise ValueError(f"a CIDv0 is written in base58btc only, not {base}")
            return str(self)
        return multibase.encode(self.raw, base)

    @classmethod
    def coerce(cls, value: Cid | str | bytes) -> Cid:
        """`value` as a Cid: a Cid passes through, a string or binary CID is parsed."""
        return value if isinstance(value, Cid) else cls.parse(value)

    def __repr__(self) -> str:
        return f"Cid({self})"

    def verify(self, block: bytes | memoryview) -> None:
        """Raises IntegrityError unless `block` hashes to this CID's digest."""
        if hashlib.sha256(block).digest() != self.digest:
            raise IntegrityError(f"block does not match its CID {self}: content altered")


def is_cid(text: str | bytes) -> bool:
    """Whether `text` is a CID this package can verify (any multibase, see :meth:`Cid.parse`)."""
    try:
        Cid.parse(text)
    except InputError:
        return False
    return True


def same_cid(a: Cid | str | bytes, b: Cid | str | bytes) -> bool:
    """Whether `a` and `b` address the same block: the same codec and multihash, whatever their
    version or multibase (a CIDv0 and the CIDv1 dag-pb of its multihash are the same content).
    False when either is not a CID."""
    try:
        x, y = Cid.coerce(a), Cid.coerce(b)
    except InputError:
        return False
    return x.codec == y.codec and x.multihash == y.multihash
