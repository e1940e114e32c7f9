"""Content identifiers: a small, fast value type over the binary CID, strings at the edges.

The importer makes one CID per block, so the hot path works on raw bytes (a CIDv0 is the bare
sha2-256 multihash, a CIDv1 is ``0x01 <codec> <multihash>``); parsing a user's string goes
through the `multiformats` library, which validates every multibase, codec and multihash.
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
    def of_block(cls, version: int, codec: int, block: bytes | memoryview) -> Cid:
        return cls.make(version, codec, hashlib.sha256(block).digest())

    @classmethod
    def parse(cls, text: str | bytes) -> Cid:
        """Parses a CID string (or binary CID); raises InputError on anything else.

        Only sha2-256 with the dag-pb or raw codec is accepted: those are the only CIDs
        `ipfs add` makes, and the only ones whose blocks this package can verify.
        """
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
        if self.version == 0:
            return multibase.get("base58btc").encode(self.raw)[1:]
        return "b" + base64.b32encode(self.raw).decode("ascii").rstrip("=").lower()

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


def same_cid(a: Cid | str | bytes, b: Cid | str | bytes) -> bool:
    """Whether `a` and `b` address the same block: the same codec and multihash, whatever their
    version or multibase (a CIDv0 and the CIDv1 dag-pb of its multihash are the same content).
    False when either is not a CID."""
    try:
        x, y = Cid.coerce(a), Cid.coerce(b)
    except InputError:
        return False
    return x.codec == y.codec and x.multihash == y.multihash
