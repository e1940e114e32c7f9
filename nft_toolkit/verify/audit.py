"""Auditing a whole collection: every minted token through the chain of trust, in bulk.

The per-contract links run once (code, issuer, base URI, provenance); owners come from
``ownersInRange`` in a few calls; because the runtime code is the audited artifact, whose
``tokenURI`` is base URI + id + ".json" for every token, one tokenURI call checks the formula;
the metadata directory is listed once, and each token's metadata and image are then read from
the content source (every block verified against its CID) and hashed against the provenance
list, which is itself checked against the on-chain hash once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nft_toolkit.chain.gateway import ZERO_ADDRESS
from nft_toolkit.errors import ChainError, ContentError, IntegrityError
from nft_toolkit.ipfs.manifest import provenance_hash
from nft_toolkit.verify.report import Check, Report, Verdict
from nft_toolkit.verify.sources import IMAGE_MAX, METADATA_MAX, ChainReader, ContentReader
from nft_toolkit.verify.trust import (Stop, Trust, check_base, check_contract,
                                      digests_from_content, guard, metadata_image_cid, same_cid)


@dataclass
class TokenResult:
    """One token's verdict in an audit, with what decided it."""

    token_id: int
    verdict: Verdict
    owner: str | None = None
    detail: str = ""


@dataclass
class AuditReport:
    """The collection-level checks and every token's verdict."""

    contract: str
    chain_id: int | None = None
    collection: list[Check] = field(default_factory=list)
    verdict: Verdict = Verdict.AUTHENTIC  # of the collection-level checks
    tokens: list[TokenResult] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(t.verdict.value for t in self.tokens)

    @property
    def exit_code(self) -> int:
        if self.verdict is not Verdict.AUTHENTIC:
            return self.verdict.exit_code
        bad = [t.verdict for t in self.tokens if t.verdict not in (Verdict.AUTHENTIC, Verdict.NOT_MINTED)]
        if any(v is Verdict.UNVERIFIABLE for v in bad) and all(v is Verdict.UNVERIFIABLE for v in bad):
            return Verdict.UNVERIFIABLE.exit_code
        return Verdict.TAMPERED.exit_code if bad else 0

    def as_json(self) -> dict[str, Any]:
        return {"contract": self.contract, "chain_id": self.chain_id,
                "verdict": self.verdict.value, "counts": dict(self.counts),
                "checks": [c.as_json() for c in self.collection],
                "tokens": [{"token_id": t.token_id, "verdict": t.verdict.value, "owner": t.owner,
                            **({"detail": t.detail} if t.detail else {})} for t in self.tokens]}


def audit(chain: ChainReader, content: ContentReader, trust: Trust,
          progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Verifies every minted token of the collection `trust` names."""
    head = Report(token_id=None, contract=trust.contract)
    out = AuditReport(trust.contract)
    try:
        facts = check_contract(chain, trust, head)
        out.chain_id = head.chain_id
        total = facts.total_minted
        if total == 0:
            head.passed("tokens", "no token is minted yet")
            raise Stop
        owners = guard(head, "token", lambda: chain.owners(trust.contract, 1, total))
        first = next((i + 1 for i, o in enumerate(owners) if o != ZERO_ADDRESS), None)
        if first is None:
            head.passed("tokens", "every minted token was burned")
            raise Stop
        uri = guard(head, "token_uri", lambda: chain.token_uri(trust.contract, first))
        base, trust = check_base(facts, trust, head, first, uri)
        entries = guard(head, "metadata", lambda: content.directory(base))
        head.passed("metadata_directory", f"{len(entries)} entries in {base}")
        digests = trust.digests
        if digests is None:
            digests = guard(head, "provenance", lambda: digests_from_content(content, base))
        if (int(facts.provenance_hash, 16) == 0
                or provenance_hash(list(digests)) != facts.provenance_hash):
            head.failed("provenance", "the per-item image hashes do not reproduce the on-chain "
                        f"provenance hash {facts.provenance_hash[:18]}…", Verdict.TAMPERED)
            raise Stop
        head.passed("provenance", f"{len(digests)} items reproduce {facts.provenance_hash[:18]}…")
        for token_id in range(1, total + 1):
            owner = owners[token_id - 1]
            if owner == ZERO_ADDRESS:
                out.tokens.append(TokenResult(token_id, Verdict.NOT_MINTED, None, "burned"))
            else:
                verdict, detail = _token(content, trust, entries, digests, token_id)
                out.tokens.append(TokenResult(token_id, verdict, owner, detail))
            if progress and (token_id % 100 == 0 or token_id == total):
                progress(token_id, total)
    except Stop:
        pass
    out.collection = head.checks
    out.verdict = head.verdict
    out.chain_id = head.chain_id
    return out


def _token(content: ContentReader, trust: Trust, entries: dict[str, str],
           digests: Sequence[bytes], token_id: int) -> tuple[Verdict, str]:
    """Links 5 to 7 for one token, from the listed directory."""
    cid = entries.get(f"{token_id}.json")
    if cid is None:
        return Verdict.TAMPERED, f"the metadata directory has no {token_id}.json"
    commit = trust.tokens.get(token_id) if trust.tokens is not None else None
    if commit is not None and not same_cid(commit.metadata_cid, cid):
        return Verdict.TAMPERED, f"metadata CID {cid} is not the pin manifest's"
    try:
        image_cid = metadata_image_cid(content.file(cid, METADATA_MAX))
        if image_cid is None:
            return Verdict.TAMPERED, "the metadata names no ipfs://<CID> image (or is no ERC-721 JSON)"
        if commit is not None and not same_cid(commit.image_cid, image_cid):
            return Verdict.TAMPERED, f"image CID {image_cid} is not the pin manifest's"
        digest = hashlib.sha256(content.file(image_cid, IMAGE_MAX)).digest()
    except IntegrityError as exc:
        return Verdict.TAMPERED, str(exc)
    except (ContentError, ChainError) as exc:
        return Verdict.UNVERIFIABLE, str(exc)
    if token_id > len(digests) or digests[token_id - 1] != digest:
        return Verdict.TAMPERED, "the image is not the committed item"
    return Verdict.AUTHENTIC, ""
