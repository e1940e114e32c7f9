"""Which token is this picture? By its sha256 or its IPFS CID, against the collection.

The pin manifest maps sha256 digests and image CIDs to token IDs; without one, every token's
metadata is read from IPFS (verified) and its image CID compared with the file's own CID, so the
picture itself is never trusted, only hashed.
"""

from __future__ import annotations

import hashlib

from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.verify.sources import METADATA_MAX, ContentReader
from nft_toolkit.verify.trust import metadata_image_cid, token_ids


def file_cid(data: bytes, cid_version: int) -> str:
    """The CID `ipfs add` gives `data` (the importer of nft_toolkit.ipfs)."""
    return str(Importer(ImportOptions(cid_version=cid_version)).add_bytes(data).cid)


def find_token(data: bytes, manifest: Manifest | None, content: ContentReader,
               base_cid: str | None) -> int | None:
    """The token whose image is `data`, or None."""
    digest = hashlib.sha256(data).hexdigest()
    if manifest is not None:
        cid = file_cid(data, manifest.cid_version)
        for token_id, token in manifest.tokens.items():
            if token.image_sha256 == digest or token.image_cid == cid:
                return token_id
        return None
    if base_cid is None:
        return None
    version = 0 if base_cid.startswith("Qm") else 1
    cid = file_cid(data, version)
    entries = content.directory(base_cid)
    for token_id in token_ids(entries):
        if metadata_image_cid(content.file(entries[f"{token_id}.json"], METADATA_MAX)) == cid:
            return token_id
    return None
