"""What `pin` pins: the collection's roots, and with ``ipfs.pin_items`` every item's files too.

A root pin is recursive, so it already keeps every file below it. Pinning each image and
metadata file as well gives a pinning service one request per file: its status, progress and
failures are reported per item, and a service that times out fetching one huge DAG can pin it
piece by piece. It costs two requests per item under the service's rate limit (about 18.5 hours
for 100,000 items at 180 requests a minute: over 20 hours with look-ups and polls), so it is
off by default, and only the ``pinning-service`` backend takes it: the ``local`` store and a Kubo
node hold every block of a pinned root already, and would only slow down.
"""

from __future__ import annotations

from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.pinning.base import PinTarget


def item_targets(manifest: Manifest) -> list[PinTarget]:
    """One target per token's image and metadata file, in token order (names ``image 7``,
    ``metadata 7``); an image shared by several tokens is one CID, pinned once by the backend."""
    out: list[PinTarget] = []
    for tid in sorted(manifest.tokens):
        rec = manifest.tokens[tid]
        out.append(PinTarget(f"image {tid}", Cid.parse(rec.image_cid)))
        out.append(PinTarget(f"metadata {tid}", Cid.parse(rec.metadata_cid)))
    return out


ITEM_BACKENDS = ("pinning-service",)


def pin_targets(roots: list[PinTarget], manifest: Manifest, items: bool,
                backend: str) -> list[PinTarget]:
    """The targets of one `pin` run on `backend`: the items first (when asked and the backend
    takes them), then the roots."""
    if items and backend in ITEM_BACKENDS:
        return [*item_targets(manifest), *roots]
    return list(roots)
