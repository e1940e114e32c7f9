"""The verification service: one collection's setup, the caches of one process, and the answers
the pages and the API give (the one engine's report, and what a page shows beside it).

The JSON answers are :func:`token_json` and :func:`file_json`, the very objects ``verify --json``
and ``verify-file --json`` print (``Report.as_json``).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.networks import redact_url
from nft_toolkit.errors import ChainError
from nft_toolkit.identity import AnchorCache
from nft_toolkit.verify.context import Setup, setup
from nft_toolkit.verify.identify import identify
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.sources import IMAGE_MAX, METADATA_MAX
from nft_toolkit.verify.trust import Trust, verify_token
from nft_toolkit.web.reads import Caches, ServiceReads, metadata_fields

RPC_SECONDS = 8.0  # one JSON-RPC request, at most (a page's whole answer: app.REQUEST_SECONDS)


@dataclass(frozen=True)
class Options:
    """What `serve` was given: the same options as `verify` (a project, or everything by hand).
    Plain data, so worker processes rebuild the service from it (:func:`Options.from_json`)."""

    project_dir: str | None = None
    network: str | None = None
    rpc_url: str | None = None
    chain_id: int | None = None
    contract: str | None = None
    issuer: str | None = None
    gateway: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Options:
        return cls(**{k: doc.get(k) for k in cls.__dataclass_fields__})


@dataclass
class TokenPage:
    """A verification and what a page shows beside its checks (all of it read from the chain or
    from content that hashed to its CID; strings in it are hostile until escaped)."""

    report: Report
    block: int | None = None
    max_supply: int | None = None
    metadata_cid: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    mint: tuple[str, int] | None = None
    command: str = ""

    @property
    def image_ok(self) -> bool:
        """Whether the image check held: only then is the picture shown."""
        return any(c.name == "image" and c.ok for c in self.report.checks)


class Service:
    """One collection's verification for the requests of one process."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.setup: Setup = setup(Path(options.project_dir) if options.project_dir else None,
                                  options.network, options.rpc_url, options.chain_id,
                                  options.contract, options.issuer, options.gateway)
        self.caches = Caches.over(self.setup.content)
        self._local = threading.local()  # a Chain per thread: web3 batching is per provider
        domain = self.setup.trust.domain
        self._anchor = AnchorCache(domain) if domain is not None else None

    @property
    def trust(self) -> Trust:
        """What the service trusts; an issuer known by its domain with its statement as last
        fetched (:class:`nft_toolkit.identity.AnchorCache`)."""
        if self._anchor is None:
            return self.setup.trust
        return replace(self.setup.trust, domain=self._anchor.get())

    def chain(self) -> Chain:
        """This thread's connection (raises ChainError when the chain is not running)."""
        chain: Chain | None = getattr(self._local, "chain", None)
        if chain is None:
            opened = self.setup.connect()
            chain = self._local.chain = Chain(opened.url, None, name=opened.name,
                                              timeout=RPC_SECONDS)
        return chain

    def verify(self, token_id: int) -> TokenPage:
        """The chain of trust for `token_id` (the same engine and report as `verify`), with the
        page's extras; an unreachable chain is the verdict `unverifiable`."""
        try:
            chain = self.chain()
        except ChainError as exc:
            report = Report(token_id, self.trust.contract)
            report.failed("contract", f"cannot check: {exc}", Verdict.UNVERIFIABLE)
            return TokenPage(report, command=self.command(token_id))
        reads = ServiceReads(chain, self.caches, self.trust.contract)
        report = verify_token(reads, self.caches.content, self.trust, token_id,
                              reads=reads.tokens)
        page = TokenPage(report, reads.block, command=self.command(token_id))
        if reads.facts_read is not None:
            page.max_supply = reads.facts_read.max_supply
        if reads.metadata_cid_read and any(c.name == "metadata" and c.ok for c in report.checks):
            page.metadata_cid = reads.metadata_cid_read
            page.metadata = dict(metadata_fields(
                self.caches.content.file(reads.metadata_cid_read, METADATA_MAX)))
        if report.owner is not None:
            page.mint = reads.mint(token_id)
        return page

    def identify(self, picture: bytes) -> Report:
        """Which token is `picture`, verified (the same call as `verify-file`)."""
        try:
            chain = self.chain()
        except ChainError as exc:
            report = Report(None, self.trust.contract)
            return report.failed("contract", f"cannot check: {exc}", Verdict.UNVERIFIABLE)
        reads = ServiceReads(chain, self.caches, self.trust.contract)
        return identify(reads, self.caches.content, self.trust, picture, self.setup.manifest)

    def image(self, cid: str) -> bytes:
        """The bytes of `cid`, checked against it (kept when already read)."""
        return self.caches.content.file(cid, IMAGE_MAX)

    def command(self, token_id: int) -> str:
        """The `nft-toolkit verify` command that checks the same token elsewhere."""
        t = self.trust
        parts = ["nft-toolkit", "verify", str(token_id), "--contract", t.contract,
                 "--issuer", t.domain.domain if t.domain is not None else t.issuer]
        if t.chain_id is not None:
            parts += ["--chain-id", str(t.chain_id)]
        chain: Chain | None = getattr(self._local, "chain", None)  # the URL this service reads
        url = self.options.rpc_url or (chain.url if chain is not None else None)
        parts += ["--rpc-url", redact_url(url) if url else "URL"]
        parts += ["--gateway", self.options.gateway or "URL"]
        return " ".join(parts)


def token_json(report: Report) -> dict[str, Any]:
    """The object `verify --json` prints."""
    return report.as_json()


def file_json(report: Report, name: str) -> dict[str, Any]:
    """The object `verify-file --json` prints for the file `name`."""
    return {**report.as_json(), "file": name}
