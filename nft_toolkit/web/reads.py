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
- a token's mint (its Transfer from the zero address, :mod:`nft_toolkit.verify.mint`).

The owner is read fresh for every request, at a block number at most half a second old (read
once for all requests of that half second), so the answer is exact as of the block it names.
Nothing here is shared between processes: several instances answer alike behind any balancer.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from eth_abi import decode as abi_decode, encode as abi_encode
from eth_utils import keccak
from web3 import Web3
from web3.providers.base import JSONBaseProvider
from web3.contract import Contract

from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.artifact import Artifact
from nft_toolkit.chain.client import Chain
from nft_toolkit.errors import ChainError
from nft_toolkit.verify.mint import Mint, find_mint
from nft_toolkit.verify.sources import DEFAULT_ADMIN_ROLE, ContractFacts, ContentReader, Web3Reader
from nft_toolkit.verify.trust import OneByOne, Provenance, Trust

K = TypeVar("K")
V = TypeVar("V")


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
    mints: Lru[tuple[str, int], Mint]

    @classmethod
    def over(cls, content: ContentReader) -> Caches:
        return cls(CachedContent(content), Lru(64), Lru(64), Lru(64), Lru(1 << 16))


HEAD_SECONDS = 0.5  # how old the block a page's answer is as of may be (chains: seconds a block)


class Head:
    """The newest block number, read at most every HEAD_SECONDS, shared by a process's threads:
    under load one eth_blockNumber serves many requests, each of which reads at that block."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._block, self._read_at = 0, -HEAD_SECONDS

    def get(self, read: Callable[[], int]) -> int:
        with self._lock:
            if time.monotonic() - self._read_at >= HEAD_SECONDS:
                self._block, self._read_at = read(), time.monotonic()
            return self._block


class ServiceChain(Chain):
    """A :class:`Chain` for one thread of the service, that only reads: it keeps its contract
    objects (web3 takes ~20 ms to build one from the ABI), and drops the middleware that matters
    only to transactions and ENS names (its transaction validation asks eth_chainId before every
    eth_call)."""

    def __init__(self, url: str | Sequence[str], *, name: str, timeout: float,
                 head: Head) -> None:
        super().__init__(url, None, name=name, timeout=timeout)
        self._contracts: dict[str, Contract] = {}
        self._head = head
        for middleware in ("validation", "ens_name_to_address", "gas_price_strategy",
                           "gas_estimate"):
            self.w3.middleware_onion.remove(middleware)

    def head(self) -> int:
        """A recent block number: the newest, read at most every :data:`HEAD_SECONDS` by this
        process (what is read at it is exact as of it, and the page names it)."""
        return self._head.get(self.block_number)

    def calls_at(self, block: int, calls: Sequence[tuple[str, str, Sequence[str], Sequence[Any],
                                                        Sequence[str]]]) -> list[tuple[Any, ...]]:
        """Read-only calls at `block` in one JSON-RPC batch, ABI-encoded here (web3's contract
        functions spend milliseconds finding each function in the ABI): each call is (address,
        signature, input types, arguments, output types); a revert or node error is a
        ChainError."""
        def run() -> list[Any]:
            batch = [("eth_call", [{"to": address, "data": "0x" + (
                keccak(text=signature)[:4] + abi_encode(list(types), list(args))).hex()},
                hex(block)]) for address, signature, types, args, _ in calls]
            provider = self.w3.provider
            assert isinstance(provider, JSONBaseProvider)  # Chain's own: one or several endpoints
            answer = provider.make_batch_request(batch)  # type: ignore[arg-type]
            if not isinstance(answer, list):
                raise ChainError(f"the node refused a batch: {str(answer)[:200]}")
            return sorted(answer, key=lambda r: int(r["id"]))
        out = []
        for (_, signature, _, _, outputs), reply in zip(calls, self.rpc(run, "batched eth_call")):
            if "error" in reply or "result" not in reply:
                raise ChainError(f"{signature.split('(')[0]}() failed on {self.name}: "
                                 f"{str(reply.get('error'))[:200]}")
            out.append(abi_decode(list(outputs), bytes.fromhex(str(reply["result"])[2:])))
        return out

    def collection(self, address: str, artifact: Artifact | None = None) -> Contract:
        if artifact is not None:
            return super().collection(address, artifact)
        found = self._contracts.get(address)
        if found is None:
            found = self._contracts[address] = super().collection(address)
        return found


class ServiceReads(Web3Reader):
    """The engine's ChainReader and TokenReads for one request: fresh owner (with the block it is
    as of) and admin role; everything else from :class:`Caches`. Also remembers what the page
    shows beside the verdict (the metadata CID read, the contract's facts, the block)."""

    def __init__(self, chain: ServiceChain, caches: Caches, contract: str,
                 token_id: int | None = None) -> None:
        super().__init__(chain)
        self.chain: ServiceChain = chain
        self.caches, self.contract, self.token_id = caches, contract, token_id
        self._owner: str | None = None
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
            # What can change, in one batch at one block: the admin role, the minted count and
            # (for the request's token) the owner, which the engine asks for next.
            block = self.block = self.chain.head()
            calls: list[tuple[str, str, Sequence[str], Sequence[Any], Sequence[str]]] = [
                (address, "hasRole(bytes32,address)", ("bytes32", "address"),
                 (DEFAULT_ADMIN_ROLE, Web3.to_checksum_address(trusted_issuer)), ("bool",)),
                (address, "totalMinted()", (), (), ("uint256",))]
            token = self.token_id
            if token is not None and 1 <= token <= kept.max_supply:
                calls.append((address, "ownersInRange(uint256,uint256)", ("uint256", "uint256"),
                              (token, token), ("address[]",)))
            answers = self.chain.calls_at(block, calls)
            admin, minted = bool(answers[0][0]), int(answers[1][0])
            if len(answers) > 2:
                owners = answers[2][0]
                self._owner = Web3.to_checksum_address(owners[0]) if owners else ZERO_ADDRESS
            facts = replace(kept, issuer_is_admin=admin, total_minted=minted,
                            admins=None if admin else self.admins(address))
        self.facts_read = facts
        return facts

    def owners(self, address: str, first: int, last: int) -> list[str]:
        if first != last:
            return super().owners(address, first, last)
        if self._owner is not None and first == self.token_id and address == self.contract:
            return [self._owner]  # read with the facts, at self.block
        block = self.block = self.chain.head()
        got = self.chain.calls_at(block, [(address, "ownersInRange(uint256,uint256)",
                                           ("uint256", "uint256"), (first, last),
                                           ("address[]",))])[0][0]
        return [Web3.to_checksum_address(a) for a in got] or [ZERO_ADDRESS]

    def token_uri(self, address: str, token_id: int) -> str:
        """``tokenURI``, not read when the base URI is frozen: the audited code makes it the
        base URI and the ID (and the engine checks that shape)."""
        if self.facts_read is not None and self.facts_read.frozen:
            return f"{self.facts_read.base_uri}{token_id}.json"
        return super().token_uri(address, token_id)

    # -- for the page ---------------------------------------------------------------------------
    def mint(self, token_id: int) -> Mint | None:
        """The token's mint (:func:`nft_toolkit.verify.mint.find_mint`), kept once found; None
        when it is not found or the chain does not answer (the page says so)."""
        key = (self.contract, token_id)
        found = self.caches.mints.get(key)
        if found is None:
            try:
                found = find_mint(self.chain, self.contract, token_id)
            except ChainError:
                return None
            if found is not None:
                self.caches.mints.put(key, found)
        return found


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
