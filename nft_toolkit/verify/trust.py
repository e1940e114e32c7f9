"""The chain of trust for one token (DESIGN.md), as pure logic over a chain and a content reader.

Links, in order; the first that fails decides the verdict and ends the verification:

=================  =====================================================  ==============
check              holds when                                             else
=================  =====================================================  ==============
contract           the official address has code on the expected chain   counterfeit
runtime_code       its runtime code is a released artifact's (any)       counterfeit
issuer             issuer() is the trusted issuer, who created it        counterfeit
admin              the issuer still holds the admin role                 (warning only)
token              the token exists and has an owner                     not_minted
token_uri          tokenURI(id) is <base CID>/<id>.json                  tampered
local_build        the pin manifest's base CID is the chain's            (warning only)
base_uri_frozen    the base URI is frozen                                (warning only)
metadata           the metadata bytes hash to the CID the base            tampered
                   directory links for the token
image              the image bytes hash to the image CID in the metadata  tampered
provenance         the per-item image hashes reproduce the provenance     tampered
                   hash committed on chain before the first mint
=================  =====================================================  ==============

A chain or content source that cannot be reached makes the verdict ``unverifiable``. A token is
judged by what the chain commits to: the pin manifest (a local build) adds its CIDs and
provenance list only when its base CID is the chain's. CIDs are compared by what they address
(codec and multihash), never as text: a CIDv0 and its CIDv1 name the same content.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from web3 import Web3

from nft_toolkit.artifact import Artifact, load_artifact
from nft_toolkit.chain.gateway import ZERO_ADDRESS
from nft_toolkit.errors import ChainError, ContentError, InputError, IntegrityError
# re-exported: CIDs are parsed and compared in ipfs.cid, ipfs:// URIs read in ipfs.uri
from nft_toolkit.ipfs.cid import is_cid as is_cid, same_cid as same_cid
from nft_toolkit.ipfs.manifest import Manifest, TokenRecord, provenance_hash
from nft_toolkit.ipfs.retrieval import NoEntry
from nft_toolkit.ipfs.uri import ipfs_dir_cid as ipfs_dir_cid, ipfs_file_cid as ipfs_file_cid
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.sources import (IMAGE_MAX, METADATA_MAX, ChainReader, ContentReader,
                                        ContractFacts, NotACid)

T = TypeVar("T")
_METADATA_NAME = re.compile(r"[1-9][0-9]*\.json")


def metadata_image_cid(data: bytes) -> str | None:
    """The image CID that ERC-721 metadata bytes name, or None when they are not metadata with an
    ``ipfs://<CID>`` image."""
    try:
        return ipfs_file_cid(json.loads(data)["image"])
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested too deep
        return None


def token_ids(entries: Mapping[str, str]) -> list[int]:
    """The token IDs of the ``<id>.json`` entries of a metadata folder, ascending."""
    return sorted(int(name[:-5]) for name in entries if _METADATA_NAME.fullmatch(name))


@dataclass(frozen=True)
class Trust:
    """What the verifier trusts: the issuer's address above all.

    `contract` and `chain_id` come from the deployment record (or the customer); the pin
    manifest, when at hand, adds the expected CIDs and the provenance list. The provenance list
    itself needs no trust: it is checked against the on-chain hash.
    """

    contract: str
    issuer: str
    chain_id: int | None = None
    metadata_cid: str | None = None
    tokens: Mapping[int, TokenRecord] | None = None  # the pin manifest's, by token ID
    digests: Sequence[bytes] | None = None  # per-token image sha256, token order (provenance)


def committed(trust: Trust, base: str) -> Trust:
    """`trust` for the content under the chain's base CID `base`: the pin manifest's CIDs and
    provenance list only when the manifest's base CID is that one (else a local build that the
    chain does not commit to, whose CIDs say nothing about the tokens)."""
    if trust.metadata_cid is None or same_cid(trust.metadata_cid, base):
        return trust
    return replace(trust, metadata_cid=None, tokens=None, digests=None)


class Stop(Exception):
    """Ends a verification early; the report already holds the deciding check."""


def guard(report: Report, name: str, fn: Callable[[], T]) -> T:
    """Runs `fn`; an unreachable chain or content ends the report as unverifiable, content that
    does not hash to its CID as tampered."""
    try:
        return fn()
    except NotACid as exc:  # nothing was hashed: a URI or link that names no CID
        report.failed(name, f"names no CID: {exc}", Verdict.TAMPERED)
    except IntegrityError as exc:
        report.failed(name, f"content does not hash to its CID: {exc}", Verdict.TAMPERED)
    except NoEntry as exc:  # the verified folder the chain commits to lacks it
        report.failed(name, f"the committed content has {exc}", Verdict.TAMPERED)
    except (ChainError, ContentError) as exc:
        report.failed(name, f"cannot check: {exc}", Verdict.UNVERIFIABLE)
    raise Stop


def check_contract(chain: ChainReader, trust: Trust, report: Report,
                   artifact: Artifact | None = None) -> ContractFacts:
    """Links 1 and 2 and the issuer anchor; raises Stop after a failing check."""
    artifact = artifact or load_artifact()
    chain_id = guard(report, "contract", chain.chain_id)
    report.chain_id = chain_id
    if trust.chain_id is not None and chain_id != trust.chain_id:
        report.failed("contract", f"the chain answering is {chain_id}, but the collection's official "
                      f"chain is {trust.chain_id}", Verdict.COUNTERFEIT)
        raise Stop
    code = guard(report, "contract", lambda: chain.code(trust.contract))
    if not code:
        report.failed("contract", f"no contract at {trust.contract} on chain {chain_id}",
                      Verdict.COUNTERFEIT)
        raise Stop
    report.passed("contract", f"{trust.contract} on chain {chain_id}")
    release = artifact.release_of(code)  # any release the package shipped is the audited code
    if release is None:
        report.failed("runtime_code", f"the code at {trust.contract} is no released "
                      f"{artifact.name} ({len(code)} bytes)", Verdict.COUNTERFEIT)
        raise Stop
    report.passed("runtime_code", f"{artifact.name} {release.label} of {len(artifact.releases)} "
                  f"released, runtime {release.runtime_hash[:18]}…")
    facts = guard(report, "issuer", lambda: chain.facts(trust.contract, trust.issuer))
    if Web3.to_checksum_address(facts.issuer) != Web3.to_checksum_address(trust.issuer):
        report.failed("issuer", f"issued by {facts.issuer}, not the trusted issuer {trust.issuer}",
                      Verdict.COUNTERFEIT)
        raise Stop
    if not facts.created_by_issuer:
        report.failed("issuer", f"{trust.contract} was not created by the issuer {trust.issuer} "
                      "(its address derives from no nonce of that account): a copy",
                      Verdict.COUNTERFEIT)
        raise Stop
    report.passed("issuer", f"issuer() is {facts.issuer}, who created the contract")
    if not facts.issuer_is_admin:  # still the issuer's contract: issuer() and its address say so
        report.warn("admin", admin_note(trust.issuer, facts.admins))
    return facts


def admin_note(issuer: str, admins: Sequence[str] | None) -> str:
    """What to say when the issuer gave up the admin role: who holds it, when known."""
    if admins is None:
        who = "who holds it now could not be read from the chain"
    elif not admins:
        who = "no account holds it now (renounced)"
    else:
        who = "it is now held by " + ", ".join(admins)
    return (f"the issuer {issuer} no longer holds the admin role; {who}: the base URI, "
            "provenance and pausing are in that account's hands")


def check_base(facts: ContractFacts, trust: Trust, report: Report, token_id: int,
               token_uri: str) -> tuple[str, Trust]:
    """Link 4 for `token_uri`, and the local-build and freeze warnings; returns the chain's base
    CID and the trust to judge its content with (see :func:`committed`)."""
    base = ipfs_dir_cid(facts.base_uri)
    if base is None:
        report.failed("token_uri", f"the base URI {facts.base_uri!r} names no CID (not "
                      "ipfs://<CID>/)", Verdict.TAMPERED)
        raise Stop
    expected = f"ipfs://{base}/{token_id}.json"
    if token_uri != expected:
        report.failed("token_uri", f"tokenURI is {token_uri!r}, not {expected!r}", Verdict.TAMPERED)
        raise Stop
    report.passed("token_uri", f"under the collection's base CID {base}")
    judged = committed(trust, base)
    if judged is not trust:
        report.warn("local_build", f"the local build (pin manifest base CID {trust.metadata_cid}) "
                    f"differs from what the chain commits to ({base}): judged on the chain's")
    if facts.frozen:
        report.passed("base_uri_frozen", "the base URI is frozen")
    else:
        report.warn("base_uri_frozen", "the base URI is not frozen: the issuer can still change "
                    "the content")
    return base, judged


def check_content(content: ContentReader, trust: Trust, report: Report, token_id: int,
                  metadata_cid: str) -> bytes:
    """Links 5 and 6: metadata and image bytes against their CIDs; returns the image sha256."""
    data = guard(report, "metadata", lambda: content.file(metadata_cid, METADATA_MAX))
    commit = trust.tokens.get(token_id) if trust.tokens is not None else None
    if commit is not None and not same_cid(commit.metadata_cid, metadata_cid):
        report.failed("metadata", f"the directory links {metadata_cid} for token {token_id}, the "
                      f"pin manifest {commit.metadata_cid}", Verdict.TAMPERED)
        raise Stop
    try:
        meta = json.loads(data)
        image = meta["image"]
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested too deep
        report.failed("metadata", f"{metadata_cid} is not ERC-721 metadata with an image",
                      Verdict.TAMPERED)
        raise Stop from None
    report.passed("metadata", f"{len(data)} bytes hash to {metadata_cid}")
    image_cid = ipfs_file_cid(image)
    if image_cid is None:
        report.failed("image", f"the metadata's image {str(image)[:200]!r} names no CID (not "
                      "ipfs://<CID>)", Verdict.TAMPERED)
        raise Stop
    if commit is not None and not same_cid(commit.image_cid, image_cid):
        report.failed("image", f"the metadata names image {image_cid}, the pin manifest "
                      f"{commit.image_cid}", Verdict.TAMPERED)
        raise Stop
    picture = guard(report, "image", lambda: content.file(image_cid, IMAGE_MAX))
    digest = hashlib.sha256(picture).digest()
    report.image_cid, report.image_sha256 = image_cid, digest.hex()
    report.passed("image", f"{len(picture)} bytes hash to {image_cid}")
    return digest


def check_provenance(facts: ContractFacts, digests: Sequence[bytes] | None, report: Report,
                     token_id: int, digest: bytes) -> None:
    """Link 7 for one token."""
    if int(facts.provenance_hash, 16) == 0:
        report.failed("provenance", "no provenance hash was committed on chain", Verdict.TAMPERED)
        raise Stop
    if digests is None:
        report.failed("provenance", "no list of per-item image hashes to check it with",
                      Verdict.UNVERIFIABLE)
        raise Stop
    rebuilt = provenance_hash(list(digests))
    if rebuilt != facts.provenance_hash:
        report.failed("provenance", f"the per-item hashes give {rebuilt[:18]}…, the "
                      f"chain holds {facts.provenance_hash[:18]}…", Verdict.TAMPERED)
        raise Stop
    if not 1 <= token_id <= len(digests) or digests[token_id - 1] != digest:
        report.failed("provenance", f"the image of token {token_id} is not item {token_id} of the "
                      "committed provenance", Verdict.TAMPERED)
        raise Stop
    report.passed("provenance", f"item {token_id} of {len(digests)} reproduces "
                  f"{facts.provenance_hash[:18]}…, committed before the first mint")


def digests_from_content(content: ContentReader, base_cid: str) -> list[bytes]:
    """The provenance list rebuilt from the pinned collection: every token's image sha256."""
    entries = content.directory(base_cid)
    ids = token_ids(entries)
    if ids != list(range(1, len(ids) + 1)):
        raise ContentError(f"the metadata directory {base_cid} does not hold 1.json..N.json")
    out = []
    for i in ids:
        image_cid = metadata_image_cid(content.file(entries[f"{i}.json"], METADATA_MAX))
        if image_cid is None:
            raise NotACid(f"metadata {i}.json names no ipfs://<CID> image")
        out.append(hashlib.sha256(content.file(image_cid, IMAGE_MAX)).digest())
    return out


def verify_token(chain: ChainReader, content: ContentReader, trust: Trust, token_id: int,
                 artifact: Artifact | None = None) -> Report:
    """The whole chain of trust for `token_id`; an ID that does not exist is `not_minted`."""
    report = Report(token_id=token_id, contract=Web3.to_checksum_address(trust.contract)
                    if Web3.is_address(trust.contract) else trust.contract)
    try:
        facts = check_contract(chain, trust, report, artifact)
        if not 1 <= token_id <= facts.max_supply:
            report.failed("token", f"token {token_id} does not exist: " + (
                "IDs start at 1" if token_id < 1 else
                f"beyond the cap (this collection has IDs 1..{facts.max_supply})"),
                Verdict.NOT_MINTED)
            raise Stop
        owner = guard(report, "token", lambda: chain.owners(trust.contract, token_id, token_id)[0])
        if owner == ZERO_ADDRESS:
            burned = token_id <= facts.total_minted
            report.failed("token", f"token {token_id} was burned" if burned else
                          f"token {token_id} was never minted ({facts.total_minted} of "
                          f"{facts.max_supply} are)", Verdict.NOT_MINTED)
            raise Stop
        report.owner = owner
        report.passed("token", f"owned by {owner}")
        uri = guard(report, "token_uri", lambda: chain.token_uri(trust.contract, token_id))
        report.token_uri = uri
        base, trust = check_base(facts, trust, report, token_id, uri)
        metadata_cid = guard(report, "metadata", lambda: content.entry(base, f"{token_id}.json"))
        digest = check_content(content, trust, report, token_id, metadata_cid)
        digests = trust.digests
        if digests is None and int(facts.provenance_hash, 16) != 0:
            digests = guard(report, "provenance", lambda: digests_from_content(content, base))
        check_provenance(facts, digests, report, token_id, digest)
    except Stop:
        pass
    return report


def trust_from_manifest(contract: str, issuer: str, chain_id: int | None,
                        manifest: Manifest) -> Trust:
    """A :class:`Trust` with the pin manifest's CIDs and provenance list (build/manifest.json)."""
    digests = [bytes.fromhex(manifest.tokens[i].image_sha256) for i in sorted(manifest.tokens)]
    return Trust(contract, issuer, chain_id, manifest.metadata_cid, manifest.tokens, digests)
