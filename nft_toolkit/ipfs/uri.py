"""``ipfs://`` URIs as ERC-721 collections write them: the CID they name, or None.

A base URI is ``ipfs://<CID>/`` (a folder; ``tokenURI`` appends ``<id>.json``), an image is
``ipfs://<CID>`` (a file). The CID may be written in any multibase whose text can stand in a URI
path (base58btc, base32 either case, base36, base64url…); whether it is one is decided by
:mod:`nft_toolkit.ipfs.cid`, never by a pattern of characters here.
"""

from __future__ import annotations

from nft_toolkit.ipfs.cid import is_cid

SCHEME = "ipfs://"
_NOT_IN_CID = frozenset("/?#") | frozenset(" \t\r\n\f\v")  # path, query, fragment, whitespace


def _cid_part(text: str) -> str | None:
    """`text` when it is one CID and nothing else (no path, query, fragment or whitespace)."""
    if not text or any(ch in _NOT_IN_CID for ch in text) or not is_cid(text):
        return None
    return text


def ipfs_dir_cid(uri: object) -> str | None:
    """The CID text of an ``ipfs://<CID>/`` folder URI (a base URI), as written; None for any
    other string, also when what stands in the CID's place is no CID."""
    text = str(uri)
    if not (text.startswith(SCHEME) and text.endswith("/")):
        return None
    return _cid_part(text[len(SCHEME):-1])


def ipfs_file_cid(uri: object) -> str | None:
    """The CID text of an ``ipfs://<CID>`` file URI (a metadata's image), as written; None for
    any other string, also when what stands in the CID's place is no CID."""
    text = str(uri)
    if not text.startswith(SCHEME):
        return None
    return _cid_part(text[len(SCHEME):])
