"""The chain of trust for one token (DESIGN.md), as pure logic over a chain and a content reader.

Links, in order; the first that fails decides the verdict and ends the verification:

=================  =====================================================  ==============
check              holds when                                             else
=================  =====================================================  ==============
issuer_domain      (an issuer known by its domain) the domain serves a    counterfeit;
                   statement signed by the address it names, for this     unreachable:
                   domain, listing the contract on the chain; that        unverifiable
                   address is then the trusted issuer
                   (:mod:`nft_toolkit.identity`)
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
provenance         the per-item hashes (image, and metadata for           tampered
                   collections committed that way) reproduce the
                   provenance hash committed on chain before the first
                   mint; the scheme that held is reported
=================  =====================================================  ==============

A chain or content source that cannot be reached makes the verdict ``unverifiable``. A token is
judged by what the chain commits to: the pin manifest (a local build) adds its CIDs and
provenance list only when its base CID is the chain's. CIDs are compared by what they address
(codec and multihash), never as text: a CIDv0 and its CIDv1 name the same content.

One engine: each link is one function here, and :func:`check_token` runs links 3 to 7 for one
token over a :class:`TokenReads`, the only thing that differs between callers. ``verify`` and
``verify-file`` read one token at a time (:class:`OneByOne`); ``audit`` reads in bulk
(:class:`nft_toolkit.verify.audit.BulkReads`) and feeds the same functions, so a token gets the
same verdict, decided by the same check, whichever command asks.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from web3 import Web3

from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.artifact import Artifact, load_artifact
from nft_toolkit.errors import ChainError, ContentError, IntegrityError
from nft_toolkit.identity import WELL_KNOWN_PATH, BadStatement, DomainAnchor, judge
from nft_toolkit.ipfs import provenance as prov
# re-exported: CIDs are parsed and compared in ipfs.cid, ipfs:// URIs read in ipfs.uri
from nft_toolkit.ipfs.cid import is_cid as is_cid, same_cid as same_cid
from nft_toolkit.ipfs.manifest import Manifest, TokenRecord
from nft_toolkit.ipfs.retrieval import NoEntry
from nft_toolkit.ipfs.uri import ipfs_dir_cid as ipfs_dir_cid, ipfs_file_cid as ipfs_file_cid
from nft_toolkit.policy import DAY
from nft_toolkit.verify.holding import TransferRules
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.sources import (IMAGE_MAX, METADATA_MAX, ChainReader, ContentReader,
                                        ContractFacts, NotACid)

T = TypeVar("T")
# the codes of a check that could not be made because the chain, or the content, did not answer
# (a web page words them for customers without the reason: nft_toolkit.web.outage)
CHAIN_UNREADABLE, CONTENT_UNREADABLE = "cannot_read_chain", "cannot_read_content"
ALTERED = "altered"  # the code of a check whose bytes, as read, did not hash to their CID
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
    items: Sequence[prov.Item] | None = None  # per-token image and metadata sha256, token order
    # the issuer known by its domain: its statement, fetched, names the issuer (then `issuer` is
    # whatever the caller had, "" when only the domain was given)
    domain: DomainAnchor | None = None


def committed(trust: Trust, base: str) -> Trust:
    """`trust` for the content under the chain's base CID `base`: the pin manifest's CIDs and
    provenance list only when the manifest's base CID is that one (else a local build that the
    chain does not commit to, whose CIDs say nothing about the tokens)."""
    if trust.metadata_cid is None or same_cid(trust.metadata_cid, base):
        return trust
    return replace(trust, metadata_cid=None, tokens=None, items=None)


class Stop(Exception):
    """Ends a verification early; the report already holds the deciding check."""


class Broken(Exception):
    """A commitment found broken while working out a fact several tokens share (the provenance
    list): the detail and verdict each token depending on it gets."""

    def __init__(self, detail: str, verdict: Verdict, code: str = "", **params: object) -> None:
        super().__init__(detail)
        self.detail, self.verdict, self.code, self.params = detail, verdict, code, params


Failure = Broken | ChainError | ContentError  # what reading a chain or content may raise


def failure(exc: Failure) -> tuple[str, Verdict]:
    """What an error met while reading says about the token: (detail, verdict)."""
    if isinstance(exc, Broken):
        return exc.detail, exc.verdict
    if isinstance(exc, NotACid):  # nothing was hashed: a URI or link that names no CID
        return f"names no CID: {exc}", Verdict.TAMPERED
    if isinstance(exc, IntegrityError):
        return (f"content does not hash to its CID: {exc} (altered where it was read from, a "
                "gateway or a store: another gateway may serve the committed bytes)",
                Verdict.TAMPERED)
    if isinstance(exc, NoEntry):  # the verified folder the chain commits to lacks it
        return f"the committed content has {exc}", Verdict.TAMPERED
    return f"cannot check: {exc}", Verdict.UNVERIFIABLE


def guard(report: Report, name: str, fn: Callable[[], T]) -> T:
    """Runs `fn`; an unreachable chain or content ends the report as unverifiable, content that
    does not hash to its CID (or a broken shared commitment, :class:`Broken`) as tampered."""
    try:
        return fn()
    except (Broken, ChainError, ContentError) as exc:
        detail, verdict = failure(exc)
        if isinstance(exc, Broken):
            report.failed(name, detail, verdict, exc.code, **exc.params)
            raise Stop from None
        code = ("no_cid" if isinstance(exc, NotACid) else
                ALTERED if isinstance(exc, IntegrityError) else
                "no_entry" if isinstance(exc, NoEntry) else
                CHAIN_UNREADABLE if isinstance(exc, ChainError) else CONTENT_UNREADABLE)
        report.failed(name, detail, verdict, code, reason=exc)
    raise Stop


def check_contract(chain: ChainReader, trust: Trust, report: Report,
                   artifact: Artifact | None = None) -> ContractFacts:
    """Links 1 and 2 and the issuer anchor; raises Stop after a failing check."""
    artifact = artifact or load_artifact()
    if trust.domain is not None:
        trust = check_domain(trust.domain, trust, report)
    chain_id = guard(report, "contract", chain.chain_id)
    report.chain_id = chain_id
    if trust.chain_id is not None and chain_id != trust.chain_id:
        report.failed("contract", f"the chain answering is {chain_id}, but the collection's official "
                      f"chain is {trust.chain_id}: a token there is not the collection's (to "
                      f"check chain {trust.chain_id}, use an RPC URL of that chain)",
                      Verdict.COUNTERFEIT, "contract.wrong_chain", chain=chain_id,
                      official=trust.chain_id)
        raise Stop
    code = guard(report, "contract", lambda: chain.code(trust.contract))
    if not code:
        report.failed("contract", f"no contract at {trust.contract} on chain {chain_id}",
                      Verdict.COUNTERFEIT, "contract.none", contract=trust.contract,
                      chain=chain_id)
        raise Stop
    report.passed("contract", f"{trust.contract} on chain {chain_id}", "contract.ok",
                  contract=trust.contract, chain=chain_id)
    release = artifact.release_of(code)  # any release the package shipped is the audited code
    if release is None:
        report.failed("runtime_code", f"the code at {trust.contract} is no released "
                      f"{artifact.name} ({len(code)} bytes)", Verdict.COUNTERFEIT,
                      "runtime_code.unknown", contract=trust.contract, artifact=artifact.name)
        raise Stop
    report.passed("runtime_code", f"{artifact.name} {release.label} of {len(artifact.releases)} "
                  f"released, runtime {release.runtime_hash[:18]}…", "runtime_code.ok",
                  artifact=artifact.name, release=release.label, count=len(artifact.releases),
                  runtime=release.runtime_hash[:18])
    facts = guard(report, "issuer", lambda: chain.facts(trust.contract, trust.issuer))
    if Web3.to_checksum_address(facts.issuer) != Web3.to_checksum_address(trust.issuer):
        report.failed("issuer", f"issued by {facts.issuer}, not the trusted issuer {trust.issuer}",
                      Verdict.COUNTERFEIT, "issuer.other", issuer=facts.issuer,
                      trusted=trust.issuer)
        raise Stop
    if not facts.created_by_issuer:
        report.failed("issuer", f"{trust.contract} was not created by the issuer {trust.issuer} "
                      "(its address derives from no nonce of that account): a copy",
                      Verdict.COUNTERFEIT, "issuer.not_creator", contract=trust.contract,
                      issuer=trust.issuer)
        raise Stop
    report.passed("issuer", f"issuer() is {facts.issuer}, who created the contract",
                  "issuer.ok", issuer=facts.issuer)
    if not facts.issuer_is_admin:  # still the issuer's contract: issuer() and its address say so
        report.warn("admin", admin_note(trust.issuer, facts.admins),
                    "admin.unknown" if facts.admins is None else
                    "admin.held" if facts.admins else "admin.renounced",
                    issuer=trust.issuer, admins=", ".join(facts.admins or ()))
    return facts


def check_domain(anchor: DomainAnchor, trust: Trust, report: Report) -> Trust:
    """The issuer anchor from a domain: `trust` with the issuer its statement names, when the
    statement is signed by that address, is the domain's and lists the contract on the expected
    chain (:func:`nft_toolkit.identity.judge`); else counterfeit, or unverifiable when the
    domain could not be reached. Raises Stop after a failing check."""
    if anchor.data is None:
        report.failed("issuer_domain", f"cannot check: {anchor.problem}", Verdict.UNVERIFIABLE,
                      "issuer_domain.unreachable", domain=anchor.domain, reason=anchor.problem)
        raise Stop
    try:
        statement, problem = judge(anchor.domain, anchor.data, trust.contract, trust.chain_id)
    except BadStatement as exc:
        report.failed("issuer_domain", f"https://{anchor.domain}{WELL_KNOWN_PATH} is no issuer "
                      f"statement: {exc}", Verdict.COUNTERFEIT, "issuer_domain.bad",
                      domain=anchor.domain, reason=exc)
        raise Stop from None
    if problem is not None:
        report.failed("issuer_domain", problem.detail, Verdict.COUNTERFEIT,
                      f"issuer_domain.{problem.code}", **problem.params)
        raise Stop
    listed = statement.lists(trust.contract, trust.chain_id or 0)
    assert listed is not None
    report.passed("issuer_domain", f"{anchor.domain} names issuer {statement.issuer} in a "
                  f"statement signed by it, listing {listed.contract} on chain {listed.chain_id} "
                  f"({listed.name[:80]!r})", "issuer_domain.ok", domain=anchor.domain,
                  issuer=statement.issuer, contract=listed.contract, chain=listed.chain_id)
    report.issuer_domain = anchor.domain  # only once the domain vouches: "issued by <domain>"
    return replace(trust, issuer=statement.issuer)


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


def check_exists(facts: ContractFacts, report: Report, token_id: int) -> None:
    """Link 3, first half: `token_id` is an ID the contract can have (1..cap); else not_minted."""
    if not 1 <= token_id <= facts.max_supply:
        report.failed("token", f"token {token_id} does not exist: " + (
            "IDs start at 1" if token_id < 1 else
            f"beyond the cap (this collection has IDs 1..{facts.max_supply})"),
            Verdict.NOT_MINTED, "token.below_one" if token_id < 1 else "token.beyond_cap",
            token=token_id, cap=facts.max_supply)
        raise Stop


def check_owner(facts: ContractFacts, report: Report, token_id: int, owner: str) -> None:
    """Link 3, second half: the token has an owner (`owner`, as the chain answered); else
    not_minted, saying whether it was burned or never minted."""
    if owner == ZERO_ADDRESS:
        burned = token_id <= facts.total_minted
        report.failed("token", f"token {token_id} was burned" if burned else
                      f"token {token_id} was never minted ({facts.total_minted} of "
                      f"{facts.max_supply} are)", Verdict.NOT_MINTED,
                      "token.burned" if burned else "token.never_minted", token=token_id,
                      minted=facts.total_minted, cap=facts.max_supply)
        raise Stop
    report.owner = owner
    report.passed("token", f"owned by {owner}", "token.ok", owner=owner)


def check_transfer_rules(facts: ContractFacts, reads: TokenReads, report: Report,
                         token_id: int) -> None:
    """The collection's transfer policy on the report and, under gift_after_hold, how long the
    owner has held `token_id` and from when it may be given (figures, not a check: a hold
    changes no verdict). A failed read of the hold leaves the policy alone on the report."""
    report.transfer = collection_rules(facts)
    if facts.transfer_policy == "gift_after_hold":
        try:
            held = reads.holding(token_id)
        except ChainError:
            return
        if held is not None:
            report.transfer = replace(report.transfer, held_since=held[0], as_of=held[1])


def collection_rules(facts: ContractFacts) -> TransferRules:
    """The collection's transfer policy and hold in days, as its contract states them."""
    return TransferRules(facts.transfer_policy, facts.hold_seconds // DAY)


def check_base(facts: ContractFacts, trust: Trust, report: Report, token_id: int,
               token_uri: str) -> tuple[str, Trust]:
    """Link 4 for `token_uri`, and the local-build and freeze warnings; returns the chain's base
    CID and the trust to judge its content with (see :func:`committed`)."""
    report.token_uri = token_uri
    base = ipfs_dir_cid(facts.base_uri)
    if base is None:
        report.failed("token_uri", f"the base URI {facts.base_uri!r} names no CID (not "
                      "ipfs://<CID>/)", Verdict.TAMPERED, "token_uri.no_cid",
                      base_uri=facts.base_uri[:200])
        raise Stop
    expected = f"ipfs://{base}/{token_id}.json"
    if token_uri != expected:
        report.failed("token_uri", f"tokenURI is {token_uri!r}, not {expected!r}", Verdict.TAMPERED,
                      "token_uri.other", uri=token_uri[:200], expected=expected)
        raise Stop
    report.passed("token_uri", f"under the collection's base CID {base}", "token_uri.ok",
                  base=base)
    judged = committed(trust, base)
    if judged is not trust:
        report.warn("local_build", f"the local build (pin manifest base CID {trust.metadata_cid}) "
                    f"differs from what the chain commits to ({base}): judged on the chain's",
                    "local_build.differs", built=trust.metadata_cid, base=base)
    if facts.frozen:
        report.passed("base_uri_frozen", "the base URI is frozen", "base_uri_frozen.ok")
    else:
        report.warn("base_uri_frozen", "the base URI is not frozen: the issuer can still change "
                    "the content", "base_uri_frozen.not")
    return base, judged


def check_metadata(content: ContentReader, trust: Trust, report: Report, token_id: int,
                   metadata_cid: str) -> tuple[bytes, Any]:
    """Link 5: the metadata bytes hash to `metadata_cid` (the CID the base folder links for the
    token) and, with a pin manifest, are the manifest's; returns the bytes and the value of their
    ``image`` field (unchecked: link 6)."""
    data = guard(report, "metadata", lambda: content.file(metadata_cid, METADATA_MAX))
    commit = trust.tokens.get(token_id) if trust.tokens is not None else None
    if commit is not None and not same_cid(commit.metadata_cid, metadata_cid):
        report.failed("metadata", f"the directory links {metadata_cid} for token {token_id}, the "
                      f"pin manifest {commit.metadata_cid}", Verdict.TAMPERED,
                      "metadata.not_manifest", token=token_id, cid=metadata_cid,
                      expected=commit.metadata_cid)
        raise Stop
    try:
        image = json.loads(data)["image"]
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested too deep
        report.failed("metadata", f"{metadata_cid} is not ERC-721 metadata with an image",
                      Verdict.TAMPERED, "metadata.no_image", cid=metadata_cid)
        raise Stop from None
    report.passed("metadata", f"{len(data)} bytes hash to {metadata_cid}", "hashes_to",
                  size=len(data), cid=metadata_cid)
    return data, image


def check_image(content: ContentReader, trust: Trust, report: Report, token_id: int,
                image: Any) -> bytes:
    """Link 6: the metadata's `image` is ``ipfs://<CID>`` (the manifest's, with one) and the
    bytes read hash to that CID; returns them (their sha256 also goes in the report)."""
    image_cid = ipfs_file_cid(image)
    if image_cid is None:
        report.failed("image", f"the metadata's image {str(image)[:200]!r} names no CID (not "
                      "ipfs://<CID>)", Verdict.TAMPERED, "image.no_cid", image=str(image)[:200])
        raise Stop
    commit = trust.tokens.get(token_id) if trust.tokens is not None else None
    if commit is not None and not same_cid(commit.image_cid, image_cid):
        report.failed("image", f"the metadata names image {image_cid}, the pin manifest "
                      f"{commit.image_cid}", Verdict.TAMPERED, "image.not_manifest",
                      cid=image_cid, expected=commit.image_cid)
        raise Stop
    picture = guard(report, "image", lambda: content.file(image_cid, IMAGE_MAX))
    report.image_cid, report.image_sha256 = image_cid, hashlib.sha256(picture).hexdigest()
    report.passed("image", f"{len(picture)} bytes hash to {image_cid}", "hashes_to",
                  size=len(picture), cid=image_cid)
    return picture


@dataclass(frozen=True)
class Provenance:
    """The provenance list that reproduced the chain's hash, and the scheme that held
    (:mod:`nft_toolkit.ipfs.provenance`)."""

    items: Sequence[prov.Item]
    scheme: str
    committed: str  # the on-chain hash, 0x-hex

    def describe(self) -> str:
        """The scheme, in words, for a check's detail."""
        what = ("image and metadata" if prov.covers_metadata(self.scheme)
                else "images only: the metadata is not committed")
        return f"scheme {self.scheme}, {what}"


def reproduce(facts: ContractFacts, items: Callable[[], Sequence[prov.Item]]) -> Provenance:
    """Link 7, for the collection: the list `items()` gives (the pin manifest's, or rebuilt from
    the pinned content) reproduces the chain's provenance hash under one of the schemes, tried
    new first (why that is safe: :mod:`nft_toolkit.ipfs.provenance`). Raises :class:`Broken`
    when no hash was committed or neither scheme holds; read errors pass through."""
    if int(facts.provenance_hash, 16) == 0:
        raise Broken("no provenance hash was committed on chain", Verdict.TAMPERED,
                     "provenance.none")
    listed = items()
    scheme = prov.scheme_of(listed, facts.provenance_hash)
    if scheme is None:
        gave = ", ".join(f"{s} {prov.provenance_hash(listed, s)[:18]}…" for s in prov.SCHEMES)
        raise Broken(f"the per-item hashes of {len(listed)} items give {gave}; the chain holds "
                     f"{facts.provenance_hash[:18]}…", Verdict.TAMPERED, "provenance.broken",
                     count=len(listed), hash=facts.provenance_hash[:18])
    return Provenance(listed, scheme, facts.provenance_hash)


def check_provenance(report: Report, provenance: Provenance, token_id: int, picture: bytes,
                     metadata: bytes) -> None:
    """Link 7, for one token: its image (and metadata, under the images-metadata scheme) is item
    `token_id` of the list that reproduced the chain's hash."""
    items = provenance.items
    digests = hashlib.sha256(picture).digest(), hashlib.sha256(metadata).digest()
    if not 1 <= token_id <= len(items) or not prov.item_matches(items[token_id - 1],
                                                                 provenance.scheme, *digests):
        what = "image or metadata" if prov.covers_metadata(provenance.scheme) else "image"
        report.failed("provenance", f"the {what} of token {token_id} is not item {token_id} of "
                      f"the committed provenance ({provenance.describe()})", Verdict.TAMPERED,
                      "provenance.mismatch" if what == "image" else "provenance.mismatch_metadata",
                      token=token_id)
        raise Stop
    report.passed("provenance", f"item {token_id} of {len(items)} reproduces "
                  f"{provenance.committed[:18]}…, committed before the first mint "
                  f"({provenance.describe()})", "provenance.ok", token=token_id,
                  count=len(items), hash=provenance.committed[:18])


def items_from_content(content: ContentReader, base_cid: str,
                       entries: Mapping[str, str] | None = None) -> list[prov.Item]:
    """The provenance list rebuilt from the pinned collection under `base_cid`: every token's
    image and metadata sha256, 1..N (`entries`: the folder's listing, when already read)."""
    entries = content.directory(base_cid) if entries is None else entries
    ids = token_ids(entries)
    if ids != list(range(1, len(ids) + 1)):
        raise ContentError(f"the metadata directory {base_cid} does not hold 1.json..N.json")
    out = []
    for i in ids:
        data = content.file(entries[f"{i}.json"], METADATA_MAX)
        image_cid = metadata_image_cid(data)
        if image_cid is None:
            raise NotACid(f"metadata {i}.json names no ipfs://<CID> image")
        out.append(prov.Item(hashlib.sha256(content.file(image_cid, IMAGE_MAX)).digest(),
                             hashlib.sha256(data).digest()))
    return out


class TokenReads(Protocol):
    """Where links 3 to 7 get what they check: one read per token (:class:`OneByOne`) or bulk
    reads shared by a whole collection (``audit``). Errors are raised as the reads raise them
    (ChainError, ContentError and subclasses, :class:`Broken`)."""

    def owner(self, token_id: int) -> str:
        """The token's owner, the zero address when unminted or burned."""
        ...

    def token_uri(self, token_id: int) -> str:
        """``tokenURI(token_id)`` as the contract answers it."""
        ...

    def holding(self, token_id: int) -> tuple[int, int] | None:
        """(when the owner received `token_id`, the latest block's time), block timestamps;
        None when these reads do not ask (an audit: a call per token for figures, not checks)."""
        ...

    def metadata_cid(self, base_cid: str, token_id: int) -> str:
        """The CID the folder `base_cid` links as ``<token_id>.json`` (NoEntry when none)."""
        ...

    def provenance(self, facts: ContractFacts, base_cid: str, trust: Trust) -> Provenance:
        """The provenance list that reproduces the chain's hash (:func:`reproduce`), from
        `trust` (the manifest's, when the chain commits to it) or the content under
        `base_cid`."""
        ...


class OneByOne:
    """:class:`TokenReads` for one token: each question asked of the chain or content as it
    comes (``verify``, ``verify-file``)."""

    def __init__(self, chain: ChainReader, content: ContentReader, contract: str) -> None:
        self.chain, self.content, self.contract = chain, content, contract

    def owner(self, token_id: int) -> str:
        return self.chain.owners(self.contract, token_id, token_id)[0]

    def holding(self, token_id: int) -> tuple[int, int] | None:
        return self.chain.holding(self.contract, token_id)

    def token_uri(self, token_id: int) -> str:
        return self.chain.token_uri(self.contract, token_id)

    def metadata_cid(self, base_cid: str, token_id: int) -> str:
        return self.content.entry(base_cid, f"{token_id}.json")

    def provenance(self, facts: ContractFacts, base_cid: str, trust: Trust) -> Provenance:
        return reproduce(facts, lambda: trust.items if trust.items is not None
                         else items_from_content(self.content, base_cid))


def check_token(content: ContentReader, reads: TokenReads, facts: ContractFacts, trust: Trust,
                report: Report, token_id: int) -> None:
    """Links 3 to 7 for `token_id` of the contract :func:`check_contract` vouched for (`facts`),
    each as one function over what `reads` answers; raises Stop after the deciding check."""
    check_exists(facts, report, token_id)
    check_owner(facts, report, token_id, guard(report, "token", lambda: reads.owner(token_id)))
    check_transfer_rules(facts, reads, report, token_id)
    uri = guard(report, "token_uri", lambda: reads.token_uri(token_id))
    base, judged = check_base(facts, trust, report, token_id, uri)
    metadata_cid = guard(report, "metadata", lambda: reads.metadata_cid(base, token_id))
    metadata, image = check_metadata(content, judged, report, token_id, metadata_cid)
    picture = check_image(content, judged, report, token_id, image)
    provenance = guard(report, "provenance", lambda: reads.provenance(facts, base, judged))
    check_provenance(report, provenance, token_id, picture, metadata)


def new_report(trust: Trust, token_id: int | None) -> Report:
    """An empty report on `token_id` of the contract `trust` names (checksummed when valid)."""
    contract = (Web3.to_checksum_address(trust.contract) if Web3.is_address(trust.contract)
                else trust.contract)
    return Report(token_id=token_id, contract=contract)


def verify_token(chain: ChainReader, content: ContentReader, trust: Trust, token_id: int,
                 artifact: Artifact | None = None, reads: TokenReads | None = None) -> Report:
    """The whole chain of trust for `token_id`; an ID that does not exist is `not_minted`.
    `reads`: where links 3 to 7 read (default :class:`OneByOne`; the web service passes one
    that keeps what cannot change)."""
    report = new_report(trust, token_id)
    try:
        facts = check_contract(chain, trust, report, artifact)
        check_token(content, reads or OneByOne(chain, content, trust.contract), facts, trust,
                    report, token_id)
    except Stop:
        pass
    return report


def trust_from_manifest(contract: str, issuer: str, chain_id: int | None,
                        manifest: Manifest) -> Trust:
    """A :class:`Trust` with the pin manifest's CIDs and provenance list (build/manifest.json)."""
    return Trust(contract, issuer, chain_id, manifest.metadata_cid, manifest.tokens, manifest.items)
