"""What a verifier reads, behind two small interfaces, and their implementations.

:class:`ChainReader` answers the contract questions (code, issuer, base URI, owners, token URI);
:class:`Web3Reader` does it over a :class:`~nft_toolkit.chain.Chain` with as few round trips as
possible (ganache answers ~50 calls a second). :class:`ContentReader` returns IPFS files whose
bytes were checked against their CIDs block by block; :class:`IpfsContent` adapts any
``BlockSource`` of :mod:`nft_toolkit.ipfs` (local store, Kubo, trustless gateway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from eth_utils import keccak
from web3.exceptions import ContractLogicError
from web3.types import LogReceipt

from nft_toolkit.chain.client import Chain, checksum, to_hex
from nft_toolkit.verify.creation import created_by
from nft_toolkit.errors import ChainError, InputError, IntegrityError
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.folders import FolderNodes, folder_entry, iter_names, list_folder
from nft_toolkit.ipfs.retrieval import BlockSource, read_file
from nft_toolkit.policy import policy_code, policy_name

DEFAULT_ADMIN_ROLE = bytes(32)
_ROLE_GRANTED = keccak(text="RoleGranted(bytes32,address,address)")
_ROLE_REVOKED = keccak(text="RoleRevoked(bytes32,address,address)")
METADATA_MAX = 1 << 20  # a token's metadata JSON, at most
CIDS_KEPT = 4096  # parsed CIDs an IpfsContent keeps (an audit's memory must not grow with N)
IMAGE_MAX = 64 << 20  # an image, at most


@dataclass(frozen=True)
class ContractFacts:
    """What a genuine collection contract states about itself."""

    issuer: str
    issuer_is_admin: bool  # whether the trusted issuer holds the admin role
    base_uri: str
    frozen: bool
    provenance_hash: str  # 0x-hex, zero when never committed
    total_minted: int
    max_supply: int
    # the address derives from the trusted issuer's account and one of its nonces: the issuer
    # created it (a copy made by other creation code can fake code, issuer() and roles, not this)
    created_by_issuer: bool = True
    # who holds the admin role, read only when the issuer does not (None: not known)
    admins: Sequence[str] | None = None
    # the transfer policy (nft_toolkit.policy) and its hold; releases before transferPolicy()
    # enforce free or non_transferable, read from nonTransferable()
    transfer_policy: str = "free"
    hold_seconds: int = 0
    # contractURI(): the contract-level JSON, which names the copies index (None: none answered)
    contract_uri: str | None = None


class NotACid(IntegrityError):
    """A URI or link that names no CID where the chain or the content promised one: nothing was
    hashed, yet the commitment is broken (``tampered``)."""


class ChainReader(Protocol):
    """The contract questions a verifier asks a chain."""

    def chain_id(self) -> int: ...

    def code(self, address: str) -> bytes: ...

    def facts(self, address: str, trusted_issuer: str) -> ContractFacts: ...

    def owners(self, address: str, first: int, last: int) -> list[str]:
        """Owners of IDs first..last, the zero address for unminted or burned ones."""
        ...

    def token_uri(self, address: str, token_id: int) -> str: ...

    def holding(self, address: str, token_id: int) -> tuple[int, int]:
        """(when the owner of `token_id` received it, the latest block's time), block
        timestamps; asked only of a gift_after_hold collection."""
        ...


class ContentReader(Protocol):
    """IPFS content, read so that every byte is checked against its CID."""

    def directory(self, dir_cid: str) -> dict[str, str]:
        """Name -> CID of every entry of a UnixFS directory (plain or HAMT)."""
        ...

    def entry(self, dir_cid: str, name: str) -> str:
        """The CID of entry `name` of a directory."""
        ...

    def file(self, cid: str, max_size: int) -> bytes:
        """A UnixFS file's bytes, every block checked against its CID (IntegrityError if not)."""
        ...


class Web3Reader:
    """:class:`ChainReader` over JSON-RPC, batching the reads of one question into one request."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain

    def chain_id(self) -> int:
        return self.chain.chain_id

    def code(self, address: str) -> bytes:
        return self.chain.code(address)

    def facts(self, address: str, trusted_issuer: str) -> ContractFacts:
        f = self.chain.collection(address).functions
        (issuer, admin, base, frozen, prov, minted, cap, locked, policy, hold,
         contract_uri) = self.chain.batch_call([
            f.issuer(), f.hasRole(DEFAULT_ADMIN_ROLE, checksum(trusted_issuer, "issuer")),
            f.baseURI(), f.metadataFrozen(), f.provenanceHash(), f.totalMinted(), f.maxSupply(),
            f.nonTransferable(), f.transferPolicy(), f.holdSeconds(), f.contractURI(),
        ])
        for value in (issuer, admin, base, frozen, prov, minted, cap, locked):
            if isinstance(value, Exception):
                raise value
        if isinstance(policy, ContractLogicError) and isinstance(hold, ContractLogicError):
            # a release before transfer policies: it has no such functions
            policy, hold = (policy_code("non_transferable") if locked else policy_code("free")), 0
        for value in (policy, hold):
            if isinstance(value, Exception):
                raise value
        name = policy_name(int(policy))
        if name is None:
            raise ChainError(f"the contract states transfer policy {policy}, which this "
                             "nft-toolkit does not know")
        created = created_by(checksum(address), checksum(trusted_issuer, "issuer"),
                             self.chain.nonce(trusted_issuer))
        return ContractFacts(str(issuer), bool(admin), str(base), bool(frozen), to_hex(prov),
                             int(minted), int(cap), created,
                             None if admin else self.admins(address), name, int(hold),
                             None if isinstance(contract_uri, Exception) else str(contract_uri))

    def admins(self, address: str) -> list[str] | None:
        """The current holders of the admin role, replayed from the contract's RoleGranted and
        RoleRevoked events; None when the node will not list them (a provider's range limit)."""
        def logs() -> list[LogReceipt]:
            return self.chain.w3.eth.get_logs({
                "address": checksum(address), "fromBlock": 0, "toBlock": "latest",
                "topics": [["0x" + _ROLE_GRANTED.hex(), "0x" + _ROLE_REVOKED.hex()],
                           "0x" + DEFAULT_ADMIN_ROLE.hex()]})
        try:
            events = self.chain.rpc(logs, "reading the admin role's events")
        except ChainError:
            return None
        holders: dict[str, None] = {}  # insertion-ordered set
        for event in events:
            account = checksum("0x" + bytes(event["topics"][2])[-20:].hex())
            if bytes(event["topics"][0]) == _ROLE_GRANTED:
                holders[account] = None
            else:
                holders.pop(account, None)
        return list(holders)

    def owners(self, address: str, first: int, last: int) -> list[str]:
        return self.chain.owners(address, first, last)

    def token_uri(self, address: str, token_id: int) -> str:
        return str(self.chain.call(self.chain.collection(address).functions.tokenURI(token_id)))

    def holding(self, address: str, token_id: int) -> tuple[int, int]:
        since = self.chain.call(self.chain.collection(address).functions.heldSince(token_id))
        block = self.chain.rpc(lambda: self.chain.w3.eth.get_block("latest"), "reading the latest block")
        return int(since), int(block["timestamp"])


class IpfsContent:
    """:class:`ContentReader` over a ``BlockSource`` (every block verified by the source).

    Folders are read by :mod:`nft_toolkit.ipfs.folders`, the same listing and lookup (with the
    same checks) that retrieval and the gateway use; CID text is parsed and written by
    :mod:`nft_toolkit.ipfs.cid`.
    """

    def __init__(self, source: BlockSource) -> None:
        self.source = source
        self._cids: dict[str, Cid] = {}  # recently parsed CIDs, at most CIDS_KEPT
        self._folders = FolderNodes()  # folder nodes checked: many tokens' entries, one decode

    def cid(self, text: str) -> Cid:
        """`text` as an ipfs Cid, parsed once while it is recent."""
        found = self._cids.get(text)
        if found is None:
            try:
                found = Cid.parse(text)
            except InputError:  # named by content or by the chain, not by the user: tampered
                raise NotACid(f"{text[:80]!r} is not a CID") from None
            self._remember(found, text)
        return found

    def _remember(self, cid: Cid, text: str | None = None) -> str:
        text = str(cid) if text is None else text
        if len(self._cids) >= CIDS_KEPT:
            self._cids.clear()
        self._cids[text] = cid
        return text

    def directory(self, dir_cid: str) -> dict[str, str]:
        """Every entry of a plain or HAMT-sharded folder (``ipfs.folders.list_folder``)."""
        entries = list_folder(self.source, self.cid(dir_cid))
        return {name: str(cid) for name, cid in iter_names(entries)}

    def entry(self, dir_cid: str, name: str) -> str:
        """Entry `name` of a folder (``ipfs.folders.folder_entry``)."""
        return self._remember(folder_entry(self.source, self.cid(dir_cid), name.encode("utf-8"),
                                           self._folders))

    def file(self, cid: str, max_size: int) -> bytes:
        return bytes(read_file(self.source, self.cid(cid), max_size))
