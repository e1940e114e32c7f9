"""Auditing a whole collection: every minted token through the chain of trust, in bulk.

The same engine as ``verify`` (:func:`nft_toolkit.verify.trust.check_token`, link by link), fed
by :class:`BulkReads`: the contract links run once; owners come from ``ownersInRange`` in a few
calls; because the runtime code is the audited artifact, whose ``tokenURI`` is base URI + id +
".json" for every token, one tokenURI call checks the formula; the metadata directory is listed
once; the provenance list is rebuilt (or taken from the manifest) and checked against the
on-chain hash once. Each token's metadata and image are then read from the content source
(every block verified against its CID). A read that fails, or a shared commitment found broken,
is kept and given to every token that depends on it, so each token gets the verdict, and the
deciding check, that ``verify`` would give it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.ipfs.retrieval import NoEntry
from nft_toolkit.verify.holding import TransferRules
from nft_toolkit.verify.report import Check, Report, Verdict
from nft_toolkit.verify.sources import ChainReader, ContentReader, ContractFacts
from nft_toolkit.verify.trust import (Provenance, Stop, Trust, check_base, check_contract,
                                      check_token, collection_rules, guard, items_from_content,
                                      new_report, reproduce)

T = TypeVar("T")


class Once(Generic[T]):
    """A read made at most once: its answer, or the error it raised, kept for every caller."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read: Callable[[], T] | None = read
        self._outcome: tuple[T] | Exception | None = None  # (answer,) or the error, once read

    def __call__(self) -> T:
        if self._read is not None:
            read, self._read = self._read, None
            try:
                self._outcome = (read(),)
            except Exception as exc:  # kept and raised again to each caller, as it came
                self._outcome = exc
        if isinstance(self._outcome, Exception):
            raise self._outcome
        assert self._outcome is not None  # read above, on the first call
        return self._outcome[0]


class BulkReads:
    """:class:`~nft_toolkit.verify.trust.TokenReads` for a whole collection: owners of 1..N in
    one batched read, one tokenURI call (the audited runtime's formula gives the others), the
    base folder listed once, the provenance list reproduced once."""

    def __init__(self, chain: ChainReader, content: ContentReader, trust: Trust,
                 facts: ContractFacts) -> None:
        self.chain, self.content, self.contract, self.facts = chain, content, trust.contract, facts
        self.owners = Once(lambda: chain.owners(trust.contract, 1, facts.total_minted))
        self._uri: tuple[int, Once[str]] | None = None  # the one tokenURI read: (ID, answer)
        self._listing: dict[str, Once[dict[str, str]]] = {}
        self._provenance: dict[str, Once[Provenance]] = {}

    def owner(self, token_id: int) -> str:
        owners = self.owners()
        return owners[token_id - 1] if 1 <= token_id <= len(owners) else ZERO_ADDRESS

    def holding(self, token_id: int) -> tuple[int, int] | None:
        return None  # a call per token for figures no verdict needs: `verify ID` shows them

    def token_uri(self, token_id: int) -> str:
        if self._uri is None:
            self._uri = token_id, Once(lambda: self.chain.token_uri(self.contract, token_id))
        first, answer = self._uri
        if token_id == first:
            return answer()
        if answer() == f"{self.facts.base_uri}{first}.json":  # the formula holds: it is the code's
            return f"{self.facts.base_uri}{token_id}.json"
        return self.chain.token_uri(self.contract, token_id)

    def listing(self, base_cid: str) -> dict[str, str]:
        """Every entry of the base folder, read once."""
        once = self._listing.setdefault(base_cid, Once(lambda: self.content.directory(base_cid)))
        return once()

    def metadata_cid(self, base_cid: str, token_id: int) -> str:
        name = f"{token_id}.json"
        found = self.listing(base_cid).get(name)
        if found is None:
            raise NoEntry(f"no entry {name!r} in {base_cid}")
        return found

    def provenance(self, facts: ContractFacts, base_cid: str, trust: Trust) -> Provenance:
        once = self._provenance.setdefault(base_cid, Once(lambda: reproduce(
            facts, lambda: trust.items if trust.items is not None
            else items_from_content(self.content, base_cid, self.listing(base_cid)))))
        return once()


@dataclass
class TokenResult:
    """One token's verdict in an audit, with the check that decided it and what it saw."""

    token_id: int
    verdict: Verdict
    owner: str | None = None
    detail: str = ""
    check: str = ""  # the deciding check's name; empty when authentic

    @classmethod
    def of(cls, report: Report) -> TokenResult:
        """The result a token's full report gives."""
        assert report.token_id is not None
        deciding = deciding_check(report)
        return cls(report.token_id, report.verdict, report.owner,
                   deciding.detail if deciding else "", deciding.name if deciding else "")


def deciding_check(report: Report) -> Check | None:
    """The check that decided a report's verdict (the last that failed, not a warning), or None
    when it is authentic."""
    if report.verdict is Verdict.AUTHENTIC:
        return None
    return next((c for c in reversed(report.checks) if not c.ok and not c.warning), None)


@dataclass
class AuditReport:
    """The collection-level checks and every token's verdict."""

    contract: str
    chain_id: int | None = None
    collection: list[Check] = field(default_factory=list)
    verdict: Verdict = Verdict.AUTHENTIC  # of the collection-level checks
    tokens: list[TokenResult] = field(default_factory=list)
    transfer: TransferRules | None = None  # the collection's transfer policy, once read

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

    def result(self, token_id: int) -> TokenResult:
        """The verdict the audit gives `token_id`: the collection's when the contract links
        failed (nothing else was read), its own when it is one of 1..totalMinted, else not
        minted."""
        if not self.tokens and self.verdict is not Verdict.AUTHENTIC:
            failed = next((c for c in reversed(self.collection) if not c.ok and not c.warning), None)
            return TokenResult(token_id, self.verdict, None, failed.detail if failed else "",
                               failed.name if failed else "")
        listed = next((t for t in self.tokens if t.token_id == token_id), None)
        return listed or TokenResult(token_id, Verdict.NOT_MINTED, None, "not minted", "token")

    def as_json(self) -> dict[str, Any]:
        return {"contract": self.contract, "chain_id": self.chain_id,
                "verdict": self.verdict.value, "counts": dict(self.counts),
                "checks": [c.as_json() for c in self.collection],
                "transfer_policy": self.transfer.as_json() if self.transfer else None,
                "tokens": [{"token_id": t.token_id, "verdict": t.verdict.value, "owner": t.owner,
                            **({"check": t.check, "detail": t.detail} if t.check else {})}
                           for t in self.tokens]}


def audit(chain: ChainReader, content: ContentReader, trust: Trust,
          progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Verifies every minted token (1..totalMinted) of the collection `trust` names: the
    contract links once, then each token through :func:`~nft_toolkit.verify.trust.check_token`
    over :class:`BulkReads`; the collection-level checks summarise the shared reads."""
    head = new_report(trust, None)
    out = AuditReport(head.contract)
    try:
        facts = check_contract(chain, trust, head)
    except Stop:
        out.collection, out.verdict, out.chain_id = head.checks, head.verdict, head.chain_id
        return out
    out.transfer = collection_rules(facts)
    reads = BulkReads(chain, content, trust, facts)
    summarise(head, reads, facts, trust)
    total = facts.total_minted
    for token_id in range(1, total + 1):
        report = Report(token_id=token_id, contract=head.contract, chain_id=head.chain_id)
        try:
            check_token(content, reads, facts, trust, report, token_id)
        except Stop:
            pass
        out.tokens.append(TokenResult.of(report))
        if progress and (token_id % 100 == 0 or token_id == total):
            progress(token_id, total)
    out.collection, out.verdict, out.chain_id = head.checks, head.verdict, head.chain_id
    return out


def summarise(head: Report, reads: BulkReads, facts: ContractFacts, trust: Trust) -> None:
    """The collection-level checks after the contract links, from the shared reads: the base
    URI (checked on the first live token), the folder listing and the provenance hash. A
    failure here is the collection's verdict; each token meets it again in its own checks."""
    try:
        if facts.total_minted == 0:
            head.passed("tokens", "no token is minted yet")
            raise Stop
        owners = guard(head, "token", reads.owners)
        first = next((i + 1 for i, o in enumerate(owners) if o != ZERO_ADDRESS), None)
        if first is None:
            head.passed("tokens", "every minted token was burned")
            raise Stop
        uri = guard(head, "token_uri", lambda: reads.token_uri(first))
        base, judged = check_base(facts, trust, head, first, uri)
        entries = guard(head, "metadata", lambda: reads.listing(base))
        head.passed("metadata_directory", f"{len(entries)} entries in {base}")
        provenance = guard(head, "provenance", lambda: reads.provenance(facts, base, judged))
        head.passed("provenance", f"{len(provenance.items)} items reproduce "
                    f"{provenance.committed[:18]}… ({provenance.describe()})")
    except Stop:
        pass
