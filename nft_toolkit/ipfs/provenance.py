"""The provenance hash: what a collection commits to on chain before its first mint.

Two schemes, each a sha256 over a byte string built from the per-token sha256 digests, raw 32
bytes each, in token order 1..N:

``images-metadata-sha256`` (what `pin` writes; the manifest says ``"provenance":
"images-metadata-sha256"``)::

    sha256( TAG || image_1 || metadata_1 || image_2 || metadata_2 || ... || image_N || metadata_N )

where ``TAG`` is the 46 ASCII bytes ``nft-toolkit provenance images-metadata-sha256\\n``,
``image_k`` the sha256 of token k's image file and ``metadata_k`` the sha256 of its metadata file
(``<base CID>/<k>.json``, the exact bytes pinned). The metadata names its image's CID, so this
commits to names, traits and image alike: anyone with the files and ``sha256sum`` can redo it.

``images-sha256`` (collections pinned before the metadata was committed; a manifest without the
``"provenance"`` field)::

    sha256( image_1 || image_2 || ... || image_N )

Why a verifier may try both, new first, and take the one that holds: a verifier outside the
project has only the chain's hash and the pinned content, and nothing else the chain commits to
can name the scheme (a file in the metadata folder or the contract-level JSON moves with the
base URI or ``contractURI``, which an unfrozen collection's issuer can still change: the very
change this hash must catch). So the scheme is told by the hash alone, and the two preimages
can never be confused: the new one begins with ``TAG``, which is no sha256 digest anyone can
produce, while the old one begins with an image's digest. For content to pass under the other
scheme than the one committed, sha256 would need a collision or a preimage of ``TAG``. (Without
the tag it would not hold: the images-only hash of 2N files alternating image k and metadata k
equals the untagged new hash of N tokens, so a folder of 2N "images" could pass, with any
metadata.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

IMAGES_METADATA = "images-metadata-sha256"  # image and metadata of every token (since issue 10)
IMAGES = "images-sha256"  # the images only (manifests without a "provenance" field)
SCHEMES = (IMAGES_METADATA, IMAGES)  # the order a verifier tries them in
DEFAULT = IMAGES_METADATA  # what `pin` writes for a new collection
TAG = b"nft-toolkit provenance images-metadata-sha256\n"


@dataclass(frozen=True, slots=True)  # slots: a provenance list holds one per token
class Item:
    """One token's per-item hashes: raw sha256 digests of its image and metadata files."""

    image_sha256: bytes
    metadata_sha256: bytes


def preimage(items: Sequence[Item], scheme: str) -> bytes:
    """The bytes `scheme` hashes for `items` (tokens 1..N in order); ValueError for an unknown
    scheme."""
    if scheme == IMAGES_METADATA:
        return TAG + b"".join(i.image_sha256 + i.metadata_sha256 for i in items)
    if scheme == IMAGES:
        return b"".join(i.image_sha256 for i in items)
    raise ValueError(f"unknown provenance scheme {scheme!r} (known: {', '.join(SCHEMES)})")


def provenance_hash(items: Sequence[Item], scheme: str = DEFAULT) -> str:
    """The provenance hash of `items` under `scheme`, as 0x and 64 lower-case hex digits."""
    return "0x" + hashlib.sha256(preimage(items, scheme)).hexdigest()


def scheme_of(items: Sequence[Item], committed: str) -> str | None:
    """The scheme under which `items` reproduce the `committed` hash (0x-hex, any case), tried
    in :data:`SCHEMES` order, or None when neither does (see the module doc for why trying both
    is safe)."""
    wanted = committed.lower()
    return next((s for s in SCHEMES if provenance_hash(items, s) == wanted), None)


def covers_metadata(scheme: str) -> bool:
    """Whether `scheme` commits to each token's metadata as well as its image."""
    return scheme == IMAGES_METADATA


def item_matches(item: Item, scheme: str, image_sha256: bytes, metadata_sha256: bytes) -> bool:
    """Whether a token's image and metadata digests are `item`, as far as `scheme` commits."""
    return item.image_sha256 == image_sha256 and (
        not covers_metadata(scheme) or item.metadata_sha256 == metadata_sha256)
