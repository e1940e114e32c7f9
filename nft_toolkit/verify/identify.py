"""Which token is this picture? By its sha256 or its IPFS CID, against what the chain commits to.

The chain's base URI names the collection's metadata folder. The pin manifest maps sha256
digests and image CIDs to token IDs, and is used only when its base CID is the chain's (a local
build the chain does not commit to names no token); otherwise every token's metadata is read
from IPFS (verified) and its image CID compared with the file's own CID, so the picture itself
is never trusted, only hashed.
"""

from __future__ import annotations

import hashlib

from nft_toolkit.artifact import Artifact
from nft_toolkit.ipfs.importer import PROFILES, Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.sources import METADATA_MAX, ChainReader, ContentReader
from nft_toolkit.verify.trust import (OneByOne, Stop, Trust, check_contract, check_token, guard,
                                      ipfs_dir_cid, metadata_image_cid, new_report, same_cid,
                                      token_ids)


def file_cid(data: bytes, options: ImportOptions) -> str:
    """The CID `ipfs add` gives `data` with `options` (the importer of nft_toolkit.ipfs)."""
    return str(Importer(options).add_bytes(data).cid)


# Every way a collection may have imported its images: the IPIP-499 profiles, and CIDv1 with
# Kubo's defaults (`cid_version: 1` without a profile).
_IMPORTS = (*PROFILES.values(), ImportOptions(cid_version=1))


def find_token(data: bytes, manifest: Manifest | None, content: ContentReader,
               base_cid: str) -> int | None:
    """The token whose image is `data` under the chain's base CID `base_cid`, or None."""
    digest = hashlib.sha256(data).hexdigest()
    # the file as `ipfs add` imports it with each settings a collection may use
    cids = [file_cid(data, options) for options in _IMPORTS]

    def is_image(image_cid: str | None) -> bool:
        return image_cid is not None and any(same_cid(image_cid, c) for c in cids)

    if manifest is not None and same_cid(manifest.metadata_cid, base_cid):
        for token_id, token in manifest.tokens.items():
            if token.image_sha256 == digest or is_image(token.image_cid):
                return token_id
        return None
    entries = content.directory(base_cid)
    for token_id in token_ids(entries):
        if is_image(metadata_image_cid(content.file(entries[f"{token_id}.json"], METADATA_MAX))):
            return token_id
    return None


def identify(chain: ChainReader, content: ContentReader, trust: Trust, data: bytes,
             manifest: Manifest | None, artifact: Artifact | None = None) -> Report:
    """Is the picture `data` an item of the collection? The matched token's full verification
    (``token_id`` set: the contract links, then links 3 to 7 by the same engine as ``verify``,
    then whether the token's verified image is this very picture), else a report whose verdict
    says why none matched (``not_an_item``)."""
    report = new_report(trust, None)
    try:
        facts = check_contract(chain, trust, report, artifact)
        base = ipfs_dir_cid(facts.base_uri)
        if base is None:
            report.failed("image_match", f"the base URI {facts.base_uri!r} names no CID (not "
                          "ipfs://<CID>/)", Verdict.TAMPERED)
            raise Stop
        token = guard(report, "image_match", lambda: find_token(data, manifest, content, base))
        if token is None:
            report.failed("image_match", "the picture is no item of the collection the chain "
                          f"commits to ({base})", Verdict.NOT_AN_ITEM, "image_match.none",
                          base=base)
            raise Stop
        report.token_id = token
        check_token(content, OneByOne(chain, content, trust.contract), facts, trust, report, token)
    except Stop:
        return report
    if report.image_sha256 != hashlib.sha256(data).hexdigest():
        report.failed("image_match", "the picture differs from the token's verified image",
                      Verdict.TAMPERED, "image_match.differs")
    return report
