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

Memory does not grow with what was verified: owners are read a window of :data:`WINDOW` IDs at a
time, and :func:`audit_stream` hands each token's result on as it is made, keeping only the tally
and the first :data:`NOTABLE` tokens found at fault (the CLI writes the rest to the
report file as they come). What a whole collection does need stays: the base folder's listing
and the provenance list, a few hundred bytes per token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
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

WINDOW = 10_000  # token IDs whose owners are read at once (ownersInRange calls, one batch)
NOTABLE = 100  # tokens at fault kept on a streamed report, for a summary


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
                 facts: ContractFacts, window: int = WINDOW) -> None:
        self.chain, self.content, self.contract, self.facts = chain, content, trust.contract, facts
        self.window = window
        self._owners: tuple[int, Once[list[str]]] | None = None  # (first ID, the window's read)
        self._uri: tuple[int, Once[str]] | None = None  # the one tokenURI read: (ID, answer)
        self._listing: dict[str, Once[dict[str, str]]] = {}
        self._provenance: dict[str, Once[Provenance]] = {}

    def owners(self, token_id: int) -> list[str]:
        """The owners of the window of IDs holding `token_id` (one read per window, its error
        kept for every token of the window); only the latest window is kept."""
        first = token_id - (token_id - 1) % self.window
        if self._owners is None or self._owners[0] != first:
            last = min(first + self.window - 1, self.facts.total_minted)
            self._owners = first, Once(lambda: self.chain.owners(self.contract, first, last))
        return self._owners[1]()

    def owner(self, token_id: int) -> str:
        if not 1 <= token_id <= self.facts.total_minted:
            return ZERO_ADDRESS
        owners = self.owners(token_id)
        return owners[(token_id - 1) % self.window]

    def first_owned(self) -> int | None:
        """The lowest ID that has an owner (None when every minted token was burned)."""
        for start in range(1, self.facts.total_minted + 1, self.window):
            found = next((start + i for i, o in enumerate(self.owners(start)) if o != ZERO_ADDRESS),
                         None)
            if found is not None:
                return found
        return None

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

    def as_json(self) -> dict[str, Any]:
        """This token's entry in the report's ``tokens`` list."""
        return {"token_id": self.token_id, "verdict": self.verdict.value, "owner": self.owner,
                **({"check": self.check, "detail": self.detail} if self.check else {})}


def deciding_check(report: Report) -> Check | None:
    """The check that decided a report's verdict (the last that failed, not a warning), or None
    when it is authentic."""
    if report.verdict is Verdict.AUTHENTIC:
        return None
    return next((c for c in reversed(report.checks) if not c.ok and not c.warning), None)


@dataclass
class AuditReport:
    """The collection-level checks and the tokens' verdicts: every token's (`tokens`) from
    :func:`audit`; from :func:`audit_stream` the tally and the first :data:`NOTABLE` tokens
    at fault (`notable`: neither authentic nor not minted), every result gone to the caller."""

    contract: str
    chain_id: int | None = None
    collection: list[Check] = field(default_factory=list)
    verdict: Verdict = Verdict.AUTHENTIC  # of the collection-level checks
    tokens: list[TokenResult] = field(default_factory=list)
    transfer: TransferRules | None = None  # the collection's transfer policy, once read
    counts: Counter[str] = field(default_factory=Counter)  # verdict -> tokens, as audited
    minted: int = 0  # totalMinted: the tokens audited when done (0 if the contract failed)
    notable: list[TokenResult] = field(default_factory=list)  # the first tokens at fault

    def tally(self, result: TokenResult) -> None:
        """Counts `result` (and keeps it when it is one of the first at fault)."""
        self.counts[result.verdict.value] += 1
        if result.verdict not in (Verdict.AUTHENTIC, Verdict.NOT_MINTED) \
                and len(self.notable) < NOTABLE:
            self.notable.append(result)

    @property
    def audited(self) -> int:
        """Tokens audited so far."""
        return sum(self.counts.values())

    @property
    def exit_code(self) -> int:
        if self.verdict is not Verdict.AUTHENTIC:
            return self.verdict.exit_code
        bad = {v for v, n in self.counts.items()
               if n and v not in (Verdict.AUTHENTIC.value, Verdict.NOT_MINTED.value)}
        if bad == {Verdict.UNVERIFIABLE.value}:
            return Verdict.UNVERIFIABLE.exit_code
        return Verdict.TAMPERED.exit_code if bad else 0

    def result(self, token_id: int) -> TokenResult:
        """The verdict the audit gives `token_id`: the collection's when the contract links
        failed (nothing else was read), its own when it is one of 1..totalMinted, else not
        minted. Needs every token's result: an :func:`audit`'s report, not a streamed one."""
        if not self.tokens and self.verdict is not Verdict.AUTHENTIC:
            failed = next((c for c in reversed(self.collection) if not c.ok and not c.warning), None)
            return TokenResult(token_id, self.verdict, None, failed.detail if failed else "",
                               failed.name if failed else "")
        listed = next((t for t in self.tokens if t.token_id == token_id), None)
        return listed or TokenResult(token_id, Verdict.NOT_MINTED, None, "not minted", "token")

    def head_json(self) -> dict[str, Any]:
        """The report without its tokens and tally: what is known before the first token."""
        return {"contract": self.contract, "chain_id": self.chain_id,
                "verdict": self.verdict.value, "checks": [c.as_json() for c in self.collection],
                "transfer_policy": self.transfer.as_json() if self.transfer else None}

    def as_json(self) -> dict[str, Any]:
        return {**self.head_json(), "counts": dict(self.counts),
                "tokens": [t.as_json() for t in self.tokens]}


def audit_stream(chain: ChainReader, content: ContentReader,
                 trust: Trust) -> tuple[AuditReport, Iterator[TokenResult]]:
    """The collection-level checks at once (the report, with no tokens yet), and the tokens
    1..totalMinted of the collection `trust` names verified one by one as the iterator is
    drawn: each through :func:`~nft_toolkit.verify.trust.check_token` over
    :class:`BulkReads`, counted on the report (:meth:`AuditReport.tally`) as it is yielded.
    Nothing per token is kept beyond the tally and :data:`NOTABLE` results."""
    head = new_report(trust, None)
    out = AuditReport(head.contract)

    def done() -> tuple[AuditReport, Iterator[TokenResult]]:
        out.collection, out.verdict, out.chain_id = head.checks, head.verdict, head.chain_id
        return out, iter(())

    try:
        facts = check_contract(chain, trust, head)
    except Stop:
        return done()
    out.transfer, out.minted = collection_rules(facts), facts.total_minted
    reads = BulkReads(chain, content, trust, facts)
    summarise(head, reads, facts, trust)
    out.collection, out.verdict, out.chain_id = head.checks, head.verdict, head.chain_id

    def tokens() -> Iterator[TokenResult]:
        for token_id in range(1, facts.total_minted + 1):
            report = Report(token_id=token_id, contract=head.contract, chain_id=head.chain_id)
            try:
                check_token(content, reads, facts, trust, report, token_id)
            except Stop:
                pass
            result = TokenResult.of(report)
            out.tally(result)
            yield result

    return out, tokens()


def audit(chain: ChainReader, content: ContentReader, trust: Trust,
          progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Verifies every minted token (1..totalMinted) of the collection `trust` names, keeping
    every token's result (:func:`audit_stream` for a collection too large to keep them)."""
    out, results = audit_stream(chain, content, trust)
    for result in results:
        out.tokens.append(result)
        if progress and (result.token_id % 100 == 0 or result.token_id == out.minted):
            progress(result.token_id, out.minted)
    return out


def summarise(head: Report, reads: BulkReads, facts: ContractFacts, trust: Trust) -> None:
    """The collection-level checks after the contract links, from the shared reads: the base
    URI (checked on the first live token), the folder listing and the provenance hash. A
    failure here is the collection's verdict; each token meets it again in its own checks."""
    try:
        if facts.total_minted == 0:
            head.passed("tokens", "no token is minted yet")
            raise Stop
        first = guard(head, "token", reads.first_owned)
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
