"""Which token is this picture? By its sha256 or its IPFS CID, against what the chain commits to;
failing that, which token it is a copy of.

The chain's base URI names the collection's metadata folder. The pin manifest maps sha256
digests and image CIDs to token IDs, and is used only when its base CID is the chain's (a local
build the chain does not commit to names no token); otherwise every token's metadata is read
from IPFS (verified) and its image CID compared with the file's own CID, so the picture itself
is never trusted, only hashed.

A picture that is no token's file may still show one: the collection's copies index (named by
the contract-level JSON at ``contractURI``, or by the pin manifest when the chain commits to it)
proposes candidates, and :func:`nft_toolkit.copies.likeness.find_copy` confirms one against
the candidate's image read through the verified metadata; the token found is then verified like
any other, and the verdict is ``copy`` when it is authentic. A picture of one of two near twins
that nothing in it tells apart is a copy of either, both verified (:mod:`nft_toolkit.verify.twins`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from nft_toolkit.artifact import Artifact
from nft_toolkit.copies.index import INDEX_MAX, CopiesIndex
from nft_toolkit.copies.likeness import SIDE_MIN, Items, Match, Miss, find_copy
from nft_toolkit.copies.picture import Picture, decode
from nft_toolkit.errors import ContentError, InputError
from nft_toolkit.ipfs.importer import PROFILES, Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.ipfs.retrieval import NoEntry
from nft_toolkit.verify.sources import (IMAGE_MAX, METADATA_MAX, ChainReader, ContentReader,
                                        ContractFacts, NotACid)
from nft_toolkit.verify.twins import copy_of_either
from nft_toolkit.verify.trust import (OneByOne, Stop, Trust, check_contract, check_token, guard,
                                      ipfs_dir_cid, ipfs_file_cid, metadata_image_cid, new_report,
                                      same_cid, token_ids)


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


class Copies:
    """What a long-lived process (``serve``) keeps between pictures, so that each pays the warm
    cost of a copy query: copies indexes parsed (by their CIDs) and each collection's prepared
    :class:`~nft_toolkit.copies.likeness.Items` (by its base CID: content-addressed, so never
    stale); at most `collections` of each, the least recently used dropped. Thread-safe."""

    def __init__(self, collections: int = 2) -> None:
        self._keep = collections
        self._lock = threading.Lock()
        self._indexes: OrderedDict[str, CopiesIndex] = OrderedDict()
        self._items: OrderedDict[str, Items] = OrderedDict()

    def _kept(self, kept: OrderedDict[str, Any], key: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        value = make()  # outside the lock: reading an index may take a while
        with self._lock:
            value = kept.setdefault(key, value)
            while len(kept) > self._keep:
                kept.popitem(last=False)
        return value

    def index(self, cid: str, read: Callable[[], CopiesIndex]) -> CopiesIndex:
        """The index at `cid`, `read` (its errors pass through) when not kept."""
        found: CopiesIndex = self._kept(self._indexes, cid, read)
        return found

    def items(self, content: ContentReader, base_cid: str) -> Items:
        """The prepared images of the collection under `base_cid`."""
        found: Items = self._kept(self._items, base_cid,
                                  lambda: Items(image_of(content, base_cid)))
        return found


def copies_index(content: ContentReader, facts: ContractFacts, manifest: Manifest | None,
                 base_cid: str, copies: Copies | None = None) -> tuple[CopiesIndex, str] | None:
    """The collection's copies index and where it was found: the one the contract-level JSON at
    ``contractURI`` names (the issuer's, through the chain), else the pin manifest's when the
    chain commits to that build (before contractURI is set); None when neither names one.
    ContentError when it cannot be read or is not an index. `copies`: indexes already parsed."""
    cid: str | None = None
    where = ""
    if facts.contract_uri:
        doc_cid = ipfs_file_cid(facts.contract_uri)
        if doc_cid is not None:
            try:
                doc = json.loads(content.file(doc_cid, METADATA_MAX))
                cid = ipfs_file_cid(doc.get("copies_index")) if isinstance(doc, dict) else None
            except (ValueError, RecursionError):
                cid = None
            where = f"the contract-level JSON {doc_cid}"
    if cid is None and manifest is not None and same_cid(manifest.metadata_cid, base_cid):
        cid, where = manifest.copies_index_cid, "the pin manifest"
    if cid is None:
        return None
    named = cid

    def read() -> CopiesIndex:
        return CopiesIndex.parse(content.file(named, INDEX_MAX), f"the copies index {named}")
    try:
        return (copies.index(cid, read) if copies is not None else read()), where
    except InputError as exc:  # named by the issuer, read from content: not the user's mistake
        raise ContentError(str(exc)) from None


def image_of(content: ContentReader, base_cid: str) -> Callable[[int], Picture | None]:
    """Token ID -> its image, read through the metadata the chain's base folder links and
    verified by its CID (None when the folder has no such token or its metadata names no image;
    a candidate from the index, not a commitment)."""
    def read(token_id: int) -> Picture | None:
        try:
            metadata_cid = content.entry(base_cid, f"{token_id}.json")
            image_cid = metadata_image_cid(content.file(metadata_cid, METADATA_MAX))
        except (NoEntry, NotACid):
            return None
        if image_cid is None:
            return None
        try:
            return decode(content.file(image_cid, IMAGE_MAX), f"the image of token {token_id}",
                          verified=True)
        except InputError:
            return None
    return read


def identify(chain: ChainReader, content: ContentReader, trust: Trust, data: bytes,
             manifest: Manifest | None, artifact: Artifact | None = None, *,
             decoded: Picture | None = None, copies: Copies | None = None) -> Report:
    """Is the picture `data` an item of the collection, or a copy of one? The matched token's
    full verification (``token_id`` set: the contract links, then links 3 to 7 by the same
    engine as ``verify``), then whether the picture is the token's verified image itself
    (``authentic``) or a copy of it (``copy``, with ``similarity`` and ``transform``); or a
    ``copy`` of one of two near twins (``token_id`` None, each twin verified in ``candidates``,
    ``too_small`` when the picture is why they are not told apart); else a report whose verdict
    says why none matched (``not_an_item``, ``too_small`` when it is too small to tell).

    InputError (before anything is read) when `data` is no picture a verifier will decode:
    not an image, animated, truncated, too many pixels (:func:`nft_toolkit.copies.picture.decode`;
    `decoded`: its result, when the caller already has it). `copies`: what a long-lived
    process keeps between pictures (the CLI, one picture per process, keeps nothing).
    """
    digest = hashlib.sha256(data).hexdigest()
    picture = decoded or decode(data)  # hostile uploads end here, as one InputError line
    report = new_report(trust, None)
    try:
        facts = check_contract(chain, trust, report, artifact)
        base = ipfs_dir_cid(facts.base_uri)
        if base is None:
            report.failed("image_match", f"the base URI {facts.base_uri!r} names no CID (not "
                          "ipfs://<CID>/)", Verdict.TAMPERED, "token_uri.no_cid",
                          base_uri=facts.base_uri[:200])
            raise Stop
        token = guard(report, "image_match", lambda: find_token(data, manifest, content, base))
        match: Match | None = None
        if token is None:
            found = _find_copy(report, content, facts, manifest, base, picture, copies)
            if isinstance(found, Miss):  # one of two near twins: each verified, both named
                return copy_of_either(report, found, lambda one, t: check_token(
                    content, OneByOne(chain, content, trust.contract), facts, trust, one, t))
            match = found
            token = match.token_id
            # 1.0 is the file itself's: a copy as alike as a grey one is still below it
            report.similarity = min(round(match.similarity, 4), 0.9999)
            report.transform = match.transform
        report.token_id = token
        check_token(content, OneByOne(chain, content, trust.contract), facts, trust, report, token)
    except Stop:
        return report
    if report.image_sha256 == digest:
        report.similarity = 1.0
        return report
    if match is None:
        report.failed("image_match", "the picture differs from the token's verified image",
                      Verdict.TAMPERED, "image_match.differs")
        return report
    how = f"{report.transform_said}, " if report.transform else ""
    part = differing_part(match.differs, report.transform)
    if part is not None:
        how += f"{'under 1%' if part == '<1%' else part} of it differs, as under an overlay, "
    shown = min(match.similarity, 0.999)  # a copy never reads as 1.000, the file's own
    report.failed("image_match", f"a copy of token {match.token_id}'s image ({how}similarity "
                  f"{shown:.3f}), not its file: the original is authentic and held by "
                  f"{report.owner}; this picture proves nothing about holding it", Verdict.COPY,
                  "image_match.copy", token=match.token_id, owner=report.owner,
                  similarity=f"{shown:.3f}", transform=report.transform, differs=part)
    return report


def differing_part(differs: float, transform: str | None) -> str | None:
    """The share of a copy that differs from its token's image as under an overlay, for people:
    ``"7%"``, ``"<1%"`` for a share that rounds to none (never "0%": something differs); None
    when nothing does, or when the transform guessed says no overlay is seen (``resized``: a
    picture too small to see one, whose resampling alone leaves such blocks; ``re-encoded``)."""
    if differs <= 0 or transform in ("resized", "re-encoded"):
        return None
    return "<1%" if differs < 0.005 else f"{differs:.0%}"


def _find_copy(report: Report, content: ContentReader, facts: ContractFacts,
               manifest: Manifest | None, base: str, picture: Picture,
               copies: Copies | None) -> Match | Miss:
    """The token `picture` is a copy of, or the Miss naming the two near twins it is a copy of
    one of; raises Stop (the report says why) when there is neither."""
    found = guard(report, "image_match",
                  lambda: copies_index(content, facts, manifest, base, copies))
    if found is None:
        report.failed("image_match", "no item's file has these bytes, and the collection "
                      "publishes no copies index to recognise a copy by", Verdict.NOT_AN_ITEM,
                      "image_match.no_index", base=base)
        raise Stop
    index, where = found
    result = guard(report, "image_match",
                   lambda: find_copy(picture, index, image_of(content, base) if copies is None
                                     else copies.items(content, base)))
    if isinstance(result, Miss) and not result.candidates:
        if result.closest is not None:  # the closest token's likeness, not enough (the reason)
            report.similarity = round(result.closest.similarity, 4)
        if result.too_small:  # said as such: "no item" would be a guess
            shown, needed = result.shown, result.needed
            assert shown is not None and needed is not None
            report.too_small = (shown, needed)
            report.too_small_picture = needed == SIDE_MIN  # a floor, not a size that would do
            report.failed("image_match", f"no item's file has these bytes, and {result.reason}",
                          Verdict.NOT_AN_ITEM, "image_match.tiny" if report.too_small_picture
                          else "image_match.too_small", shown=shown, needed=needed)
            raise Stop
        report.failed("image_match", f"no item's file has these bytes, nor is it a copy of "
                      f"one: {result.reason} (index from {where})", Verdict.NOT_AN_ITEM,
                      "image_match.none", base=base, reason=result.reason,
                      reason_kind=result.kind,
                      **{f"reason_{name}": value for name, value in result.facts})
        raise Stop
    return result
