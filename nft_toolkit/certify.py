"""A token's certificate facts, read at the edges: verify it, then read what the page shows.

:func:`certify` runs the one engine (:func:`nft_toolkit.verify.trust.verify_token`); only an
authentic token goes on to :func:`read_facts`: the contract's ``name()`` and ``maxSupply()``, the
metadata and image by their CIDs (every block checked against its CID by the content reader, as
the verification did), and the mint (:func:`nft_toolkit.verify.mint.find_mint`). Drawing is
:mod:`nft_toolkit.certificate`'s, pure.
"""

from __future__ import annotations

import json

from nft_toolkit.caip19 import AssetId, format_verification_url
from nft_toolkit.certificate import NAME_MAX, CertificateFacts
from nft_toolkit.chain.client import Chain
from nft_toolkit.errors import ChainError
from nft_toolkit.ipfs.uri import ipfs_dir_cid
from nft_toolkit.verify.context import Setup
from nft_toolkit.verify.mint import find_mint
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.sources import IMAGE_MAX, METADATA_MAX, ContentReader, Web3Reader
from nft_toolkit.verify.trust import verify_token


def certify(s: Setup, token_id: int, url_base: str) -> tuple[Report, CertificateFacts | None]:
    """The report on `token_id` and, when it is authentic, the certificate's facts (their QR URL
    on the verification service at `url_base`); an unreachable chain is the verdict
    `unverifiable`, as for `verify`."""
    try:
        chain = s.connect()
    except ChainError as exc:
        report = Report(token_id, s.trust.contract)
        return report.failed("contract", f"cannot check: {exc}",
                             Verdict.UNVERIFIABLE, "cannot_check", reason=exc), None
    report = verify_token(Web3Reader(chain), s.content, s.trust, token_id)
    if report.verdict is not Verdict.AUTHENTIC:
        return report, None
    try:
        issuer = report.issuer_domain or s.trust.issuer  # the domain, once it vouched
        return report, read_facts(chain, s.content, report, issuer, url_base)
    except ChainError as exc:  # the chain went away between the verification and the reads
        return report.failed("certificate", f"cannot read: {exc}", Verdict.UNVERIFIABLE,
                             "cannot_check", reason=exc), None


def read_facts(chain: Chain, content: ContentReader, report: Report, issuer: str,
               url_base: str) -> CertificateFacts:
    """What the certificate of the authentic token of `report` shows beside it. `issuer`: the
    trusted issuer, an address or its domain when bound."""
    assert report.verdict is Verdict.AUTHENTIC and report.token_id is not None
    assert report.chain_id is not None and report.token_uri and report.image_cid
    asset = AssetId(report.chain_id, report.contract, report.token_id)
    f = chain.collection(report.contract).functions
    name, cap = chain.batch_call([f.name(), f.maxSupply()])
    for value in (name, cap):
        if isinstance(value, Exception):
            raise ChainError(f"reading the collection's name and size: {value}")
    base = ipfs_dir_cid(report.token_uri.rsplit("/", 1)[0] + "/")
    assert base is not None  # the engine checked tokenURI is <base CID>/<id>.json
    metadata = content.file(content.entry(base, f"{report.token_id}.json"), METADATA_MAX)
    return CertificateFacts(
        asset=asset, issuer=issuer, collection=str(name)[:NAME_MAX],
        item=_item_name(metadata, report.token_id), max_supply=int(cap),
        image=content.file(report.image_cid, IMAGE_MAX),
        mint=find_mint(chain, report.contract, report.token_id),
        url=format_verification_url(url_base, asset, issuer))


def _item_name(metadata: bytes, token_id: int) -> str:
    """The metadata's ``name`` (hostile: any JSON), or ``#<id>`` when it has none."""
    try:
        name = json.loads(metadata).get("name")
    except (ValueError, AttributeError, RecursionError):
        name = None
    return name[:NAME_MAX] if isinstance(name, str) and name.strip() else f"#{token_id}"
