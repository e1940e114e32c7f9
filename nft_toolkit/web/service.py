"""The verification service: one collection's setup, the caches of one process, and the answers
the pages and the API give (the one engine's report, and what a page shows beside it).

The API's JSON answers are :func:`nft_toolkit.verify.report.answer_json`, the function that makes
what ``verify --json`` and ``verify-file --json`` print.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from web3 import Web3

from nft_toolkit.address import parse_address
from nft_toolkit.caip19 import AssetId, format_asset_id
from nft_toolkit.copies.picture import Picture
from nft_toolkit.errors import ChainError
from nft_toolkit.identity import AnchorCache, is_domain
from nft_toolkit.policy import iso
from nft_toolkit.verify.context import Setup, setup
from nft_toolkit.verify.identify import Copies, identify
from nft_toolkit.verify.mint import Mint
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.sources import IMAGE_MAX, METADATA_MAX
from nft_toolkit.verify.trust import (ALTERED, CHAIN_UNREADABLE, Trust, ipfs_dir_cid,
                                      verify_token)
from nft_toolkit.web.i18n import wording
from nft_toolkit.web.outage import chain_down, for_customers
from nft_toolkit.web.times import local_time
from nft_toolkit.web.transfer import transfer_lines
from nft_toolkit.web.reads import (Caches, Head, Lru, ServiceChain, ServiceReads,
                                   metadata_fields)

RPC_SLOT = "{rpc_url}"  # in TokenPage.command: the customer's own RPC URL, worded per language
PUBLIC_GATEWAY = "https://trustless-gateway.link"  # a public trustless gateway (IPFS Foundation)
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
    mint: Mint | None = None
    command: str = ""
    asset_id: str | None = None  # CAIP-19, when the chain answered
    trust: Trust | None = None  # what was trusted, when not the service's own
    own: bool = True  # this service's collection: only then certificate and holding links

    def command_in(self, words: Mapping[str, str]) -> str:
        """:attr:`command` with its RPC URL placeholder in the page's words (`words`, the
        catalogue's ``cli.rpc_url`` with ``{chain}``)."""
        chain = self.chain_id
        slot = wording(words, "cli.rpc_url", {} if chain is None else {"chain": str(chain)})
        return self.command.replace(RPC_SLOT, slot or "<RPC URL>")

    @property
    def chain_id(self) -> int | None:
        """The chain that answered, else the collection's official one (when the chain could
        not be read), else None."""
        if self.report.chain_id is not None:
            return self.report.chain_id
        return self.trust.chain_id if self.trust is not None else None

    @property
    def mint_iso(self) -> str | None:
        """The mint's block time, ISO 8601 UTC (for machines: a ``<time datetime>``)."""
        return None if self.mint is None else iso(self.mint.timestamp)

    def mint_time(self, lang: str, words: Mapping[str, str]) -> str | None:
        """The mint's block time in the page's zone (:func:`nft_toolkit.web.times.local_time`)."""
        return None if self.mint is None else local_time(self.mint.timestamp, lang, words)

    def transfer_in(self, lang: str, words: Mapping[str, str]) -> list[str]:
        """The collection's transfer rules and the holder's hold, in the page's words (none
        when the engine did not read them: the token was not reached)."""
        rules = self.report.transfer
        return [] if rules is None else transfer_lines(rules, lang, words)

    @property
    def image_ok(self) -> bool:
        """Whether the image check held: only then is the picture shown."""
        return self.report.verified_image is not None


class Service:
    """One collection's verification for the requests of one process."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.setup: Setup = setup(Path(options.project_dir) if options.project_dir else None,
                                  options.network, options.rpc_url, options.chain_id,
                                  options.contract, options.issuer, options.gateway)
        self.caches = Caches.over(self.setup.content)
        self._local = threading.local()  # a Chain per thread: web3 batching is per provider
        self._head = Head()
        domain = self.setup.trust.domain
        self._anchor = AnchorCache(domain) if domain is not None else None
        self._anchored: Trust | None = None
        self._answers: Lru[tuple[str, str, int | None, bool, int, int], TokenPage] = Lru(4096)
        self._copies = Copies()  # uploads pay a warm copy query: items prepared once

    @property
    def trust(self) -> Trust:
        """What the service trusts; an issuer known by its domain with its statement as last
        fetched (:class:`nft_toolkit.identity.AnchorCache`)."""
        if self._anchor is None:
            return self.setup.trust
        anchor = self._anchor.get()
        if self._anchored is None or self._anchored.domain is not anchor:
            self._anchored = replace(self.setup.trust, domain=anchor)  # one object per fetch
        return self._anchored

    def chain(self) -> ServiceChain:
        """This thread's connection (raises ChainError when the chain is not running)."""
        chain: ServiceChain | None = getattr(self._local, "chain", None)
        if chain is None:
            opened = self.setup.connect()
            chain = self._local.chain = ServiceChain(opened.urls, name=opened.name,
                                                     timeout=RPC_SECONDS, head=self._head)
        return chain

    def verify_asset(self, asset: AssetId, issuer: str) -> TokenPage:
        """The page for a token named by its CAIP-19 asset ID and issuer (a verification URL).
        The service vouches only for its own collection: an asset whose chain or contract, or
        an issuer (address or domain) that is not this service's, is `counterfeit` without
        reading anything (a forger's look-alike contract and own issuer would otherwise verify
        as authentic under this issuer's page); the detail names both collections."""
        t = self.trust
        if is_domain(issuer):
            same_issuer = t.domain is not None and t.domain.domain == issuer.strip().lower()
        else:
            same_issuer = bool(t.issuer) and parse_address(issuer) == parse_address(t.issuer)
        chain_id = t.chain_id
        if chain_id is None:
            try:
                chain_id = self.chain().chain_id
            except ChainError as exc:
                return self._chain_down(asset.token_id, t, exc)
        if same_issuer and (asset.contract, asset.chain_id) == (t.contract, chain_id):
            return self.verify(asset.token_id)
        own_issuer = t.domain.domain if t.domain is not None else t.issuer
        report = Report(asset.token_id, asset.contract, asset.chain_id)
        report.failed("contract", f"not this issuer's collection: the URL names contract "
                      f"{asset.contract} on chain {asset.chain_id} issued by {issuer[:80]}; "
                      f"this service vouches only for contract {t.contract} on chain "
                      f"{chain_id} issued by {own_issuer}", Verdict.COUNTERFEIT,
                      "contract.foreign", contract=asset.contract, chain=asset.chain_id,
                      issuer=issuer[:80], own_contract=t.contract, own_chain=chain_id,
                      own_issuer=own_issuer)
        named = Trust(asset.contract, issuer[:80], asset.chain_id)
        return TokenPage(report, trust=named, own=False,
                         command=self.command(asset.token_id, named))

    def verify(self, token_id: int, trust: Trust | None = None) -> TokenPage:
        """The chain of trust for `token_id` of this service's collection (or of `trust`'s), by
        the same engine and report as `verify`, with the page's extras; an unreachable chain is
        the verdict `unverifiable`."""
        trust = trust or self.trust
        # The answer as of a block never changes: requests for the same token within one head
        # block (a QR code scanned by many phones) share it; an unverifiable one is not kept,
        # nor one decided by bytes that did not hash to their CID (a damaged store or gateway,
        # which the issuer may repair within the block: README, "Several instances").
        try:
            chain = self.chain()
            key = (trust.contract, trust.issuer, trust.chain_id, trust is self.trust, token_id,
                   chain.head())
        except ChainError as exc:
            return self._chain_down(token_id, trust, exc)
        kept = self._answers.get(key)
        if kept is not None:
            return kept
        reads = ServiceReads(chain, self.caches, trust.contract, token_id)
        report = for_customers(verify_token(reads, self.caches.content, trust, token_id,
                                            reads=reads.tokens))
        if report.checks and report.checks[-1].code == CHAIN_UNREADABLE:
            return self._chain_down(token_id, trust, report)
        page = self._page(report, reads, trust)
        if report.verdict is not Verdict.UNVERIFIABLE and page.block == key[-1] \
                and report.checks[-1].code != ALTERED:
            self._answers.put(key, page)
        return page

    def _chain_down(self, token_id: int | None, trust: Trust, cause: object) -> TokenPage:
        """The page when the chain cannot be read (:mod:`nft_toolkit.web.outage`): the same
        shape for every token, with what the service knows without the chain (the official
        chain ID, so the asset ID and the command)."""
        report = cause if isinstance(cause, Report) else chain_down(token_id, trust.contract,
                                                                    cause)
        page = TokenPage(report, trust=trust)
        if token_id is not None:
            page.command = self.command(token_id, trust)
            if trust.chain_id is not None and Web3.is_checksum_address(trust.contract):
                page.asset_id = format_asset_id(AssetId(trust.chain_id, trust.contract, token_id))
        return page

    def _page(self, report: Report, reads: ServiceReads, trust: Trust) -> TokenPage:
        """`report` with what the page shows beside it, from what `reads` read (and the caches:
        content read again here was checked against its CID when first read)."""
        token_id = report.token_id
        page = TokenPage(report, reads.block, trust=trust, command="" if token_id is None else
                         self.command(token_id, trust, report.chain_id))
        if token_id is None:
            return page
        if report.chain_id is not None and Web3.is_checksum_address(report.contract):
            page.asset_id = format_asset_id(AssetId(report.chain_id, report.contract, token_id))
        facts = reads.facts_read
        if facts is not None:
            page.max_supply = facts.max_supply
        if any(c.name == "metadata" and c.ok for c in report.checks):
            base = ipfs_dir_cid(facts.base_uri) if facts is not None else None
            cid = reads.metadata_cid_read or (
                self.caches.content.entry(base, f"{token_id}.json") if base else None)
            if cid is not None:
                page.metadata_cid = cid
                page.metadata = dict(metadata_fields(self.caches.content.file(cid, METADATA_MAX)))
        if report.owner is not None:
            page.mint = reads.mint(token_id)
        return page

    def identify(self, picture: bytes, decoded: Picture | None = None) -> TokenPage:
        """Which token is `picture` (`decoded`: it decoded, when the caller has it), verified
        (the same call as `verify-file`), with the page's extras for the token it matched."""
        try:
            chain = self.chain()
        except ChainError as exc:
            return self._chain_down(None, self.trust, exc)
        reads = ServiceReads(chain, self.caches, self.trust.contract)
        report = for_customers(identify(reads, self.caches.content, self.trust, picture,
                                        self.setup.manifest, decoded=decoded,
                                        copies=self._copies))
        if report.checks and report.checks[-1].code == CHAIN_UNREADABLE:
            return self._chain_down(None, self.trust, report)
        # near twins named (nft_toolkit.verify.twins): each one's outage said as for any token
        report.candidates = [for_customers(one) for one in report.candidates]
        return self._page(report, reads, self.trust)

    def image(self, cid: str) -> bytes:
        """The bytes of `cid`, checked against it (kept when already read)."""
        return self.caches.content.file(cid, IMAGE_MAX)

    def command(self, token_id: int, trust: Trust | None = None,
                chain_id: int | None = None) -> str:
        """The `nft-toolkit verify` command that checks the same token elsewhere: by its CAIP-19
        asset ID when the chain is known, with the issuer (its domain when bound), a placeholder
        for the RPC URL (:data:`RPC_SLOT`, worded by :meth:`TokenPage.command_in`: the service's
        own URL may carry a key, in its credentials or its path, and is never shown) and a
        gateway (serve's, else :data:`PUBLIC_GATEWAY`: a service over a project's own store has
        none the customer can reach)."""
        t = trust or self.trust
        issuer = t.domain.domain if t.domain is not None else t.issuer
        chain_id = t.chain_id if t.chain_id is not None else chain_id
        if chain_id is not None and Web3.is_checksum_address(t.contract):
            parts = ["nft-toolkit", "verify",
                     format_asset_id(AssetId(chain_id, t.contract, token_id)), "--issuer", issuer]
        else:
            parts = ["nft-toolkit", "verify", str(token_id), "--contract", t.contract,
                     "--issuer", issuer]
        parts += ["--rpc-url", RPC_SLOT, "--gateway", self.options.gateway or PUBLIC_GATEWAY]
        return " ".join(parts)
