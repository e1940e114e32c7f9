"""What the web service reads, keeping only what cannot change.

The engine (:mod:`nft_toolkit.verify.trust`) asks a :class:`~nft_toolkit.verify.sources.ChainReader`
and a :class:`~nft_toolkit.verify.trust.TokenReads`; here both answer from caches shared by the
requests of one process, for facts that no later block can change:

- a contract's runtime code (code at an address does not change once there);
- the contract's facts once its base URI is frozen and its provenance hash committed (``issuer``
  is immutable, the base URI and the provenance hash are set once), so ``tokenURI`` too; the
  admin role and the minted count, which can change, are read fresh;
- the provenance list that reproduced the chain's hash, by base CID and hash;
- IPFS content by CID (its bytes were checked against the CID when first read);
- a token's mint transaction (its Transfer from the zero address).

The owner is read fresh for every request, at a block number read first, so the answer is dated.
Nothing here is shared between processes: several instances answer alike behind any balancer.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from eth_utils import keccak
from web3 import Web3

from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.chain.client import Chain
from nft_toolkit.errors import ChainError
from nft_toolkit.verify.sources import DEFAULT_ADMIN_ROLE, ContractFacts, ContentReader, Web3Reader
from nft_toolkit.verify.trust import OneByOne, Provenance, Trust

K = TypeVar("K")
V = TypeVar("V")
TRANSFER = "0x" + keccak(text="Transfer(address,address,uint256)").hex()


class Lru(Generic[K, V]):
    """A thread-safe least-recently-used map bounded by a total size (`size_of` each value)."""

    def __init__(self, budget: int, size_of: Callable[[V], int] = lambda _: 1) -> None:
        self.budget, self.size_of = budget, size_of
        self._items: OrderedDict[K, V] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        size = self.size_of(value)
        if size > self.budget:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._used -= self.size_of(old)
            self._items[key] = value
            self._used += size
            while self._used > self.budget:
                _, evicted = self._items.popitem(last=False)
                self._used -= self.size_of(evicted)
        return value

    def __len__(self) -> int:
        return len(self._items)


class CachedContent:
    """A :class:`ContentReader` that keeps what it read, by CID: content addressed by a CID
    never changes, and the inner reader checked the bytes against it."""

    def __init__(self, inner: ContentReader, budget: int = 64 << 20) -> None:
        self.inner = inner
        self._files: Lru[str, bytes] = Lru(budget, len)
        self._folders: Lru[str, dict[str, str]] = Lru(4096)
        self._entries: Lru[tuple[str, str], str] = Lru(1 << 16)
        self._lock = threading.Lock()  # the inner reader's parsed-CID memo is a plain dict

    def directory(self, dir_cid: str) -> dict[str, str]:
        found = self._folders.get(dir_cid)
        if found is None:
            with self._lock:
                found = self._folders.put(dir_cid, self.inner.directory(dir_cid))
        return dict(found)

    def entry(self, dir_cid: str, name: str) -> str:
        found = self._entries.get((dir_cid, name))
        if found is None:
            with self._lock:
                found = self._entries.put((dir_cid, name), self.inner.entry(dir_cid, name))
        return found

    def file(self, cid: str, max_size: int) -> bytes:
        found = self._files.get(cid)
        if found is not None and len(found) <= max_size:
            return found
        with self._lock:
            return self._files.put(cid, self.inner.file(cid, max_size))

    def cached(self, cid: str) -> bytes | None:
        """`cid`'s bytes when already read (and so checked), else None."""
        return self._files.get(cid)


@dataclass
class Caches:
    """What one process keeps between requests (all of it facts no block can change)."""

    content: CachedContent
    codes: Lru[str, bytes]
    facts: Lru[tuple[str, str], ContractFacts]
    provenance: Lru[tuple[str, str, str], Provenance]
    mints: Lru[tuple[str, int], tuple[str, int]]

    @classmethod
    def over(cls, content: ContentReader) -> Caches:
        return cls(CachedContent(content), Lru(64), Lru(64), Lru(64), Lru(1 << 16))


class ServiceReads(Web3Reader):
    """The engine's ChainReader and TokenReads for one request: fresh owner (with the block it is
    as of) and admin role; everything else from :class:`Caches`. Also remembers what the page
    shows beside the verdict (the metadata CID read, the contract's facts, the block)."""

    def __init__(self, chain: Chain, caches: Caches, contract: str) -> None:
        super().__init__(chain)
        self.caches, self.contract = caches, contract
        self.block: int | None = None
        self.metadata_cid_read: str | None = None
        self.facts_read: ContractFacts | None = None
        self.tokens = _Tokens(self)

    # -- ChainReader ----------------------------------------------------------------------------
    def code(self, address: str) -> bytes:
        found = self.caches.codes.get(address)
        if found is None:
            found = super().code(address)
            if found:
                self.caches.codes.put(address, found)
        return found

    def facts(self, address: str, trusted_issuer: str) -> ContractFacts:
        key = (address, trusted_issuer)
        kept = self.caches.facts.get(key)
        if kept is None:
            facts = super().facts(address, trusted_issuer)
            if facts.frozen and int(facts.provenance_hash, 16) and facts.created_by_issuer:
                self.caches.facts.put(key, facts)
        else:
            f = self.chain.collection(address).functions
            admin, minted = self.chain.batch_call([
                f.hasRole(DEFAULT_ADMIN_ROLE, Web3.to_checksum_address(trusted_issuer)),
                f.totalMinted()])
            for value in (admin, minted):
                if isinstance(value, Exception):
                    raise value
            facts = replace(kept, issuer_is_admin=bool(admin), total_minted=int(minted),
                            admins=None if admin else self.admins(address))
        self.facts_read = facts
        return facts

    def owners(self, address: str, first: int, last: int) -> list[str]:
        if first != last:
            return super().owners(address, first, last)
        block = self.block = self.chain.block_number()
        fn = self.chain.collection(address).functions.ownersInRange(first, last)
        got = self.chain.rpc(lambda: fn.call(block_identifier=block), "ownersInRange()")
        return [str(a) for a in got] or [ZERO_ADDRESS]

    def token_uri(self, address: str, token_id: int) -> str:
        """``tokenURI``, not read when the base URI is frozen: the audited code makes it the
        base URI and the ID (and the engine checks that shape)."""
        if self.facts_read is not None and self.facts_read.frozen:
            return f"{self.facts_read.base_uri}{token_id}.json"
        return super().token_uri(address, token_id)

    # -- for the page ---------------------------------------------------------------------------
    def mint(self, token_id: int) -> tuple[str, int] | None:
        """The transaction hash and block of the token's mint (its Transfer from the zero
        address), or None when the node does not list it (a provider's range limit)."""
        key = (self.contract, token_id)
        found = self.caches.mints.get(key)
        if found is not None:
            return found
        topics: list[str | None] = [TRANSFER, "0x" + bytes(32).hex(), None,
                                    "0x" + token_id.to_bytes(32, "big").hex()]
        try:
            logs = self.chain.rpc(lambda: self.chain.w3.eth.get_logs({
                "address": Web3.to_checksum_address(self.contract), "fromBlock": 0,
                "toBlock": "latest", "topics": topics}), "reading the mint's Transfer event")
        except ChainError:
            return None
        if not logs:
            return None
        log = logs[0]
        return self.caches.mints.put(key, ("0x" + bytes(log["transactionHash"]).hex(),
                                           int(log["blockNumber"])))


class _Tokens(OneByOne):
    """:class:`~nft_toolkit.verify.trust.TokenReads` of a :class:`ServiceReads`: the provenance
    list kept by base CID, the metadata CID remembered for the page."""

    def __init__(self, reads: ServiceReads) -> None:
        super().__init__(reads, reads.caches.content, reads.contract)
        self.reads = reads

    def metadata_cid(self, base_cid: str, token_id: int) -> str:
        self.reads.metadata_cid_read = super().metadata_cid(base_cid, token_id)
        return self.reads.metadata_cid_read

    def provenance(self, facts: ContractFacts, base_cid: str, trust: Trust) -> Provenance:
        caches = self.reads.caches
        key = (self.contract, base_cid, facts.provenance_hash)
        found = caches.provenance.get(key)
        if found is None:
            found = caches.provenance.put(key, super().provenance(facts, base_cid, trust))
        return found


def metadata_fields(data: bytes) -> Mapping[str, object]:
    """The ERC-721 metadata object in `data`, or an empty map when it is not one (hostile
    content: shown escaped, never trusted)."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    return doc if isinstance(doc, dict) else {}
