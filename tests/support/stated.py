"""A chain reader answering from stated facts, for tests of the pure verification core.

Contract and CLI tests run on ganache; the core's own tests state what a chain would say.
"""

from __future__ import annotations

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.client import ZERO_ADDRESS
from nft_toolkit.verify.sources import ContractFacts

ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


class StatedChain:
    """A ChainReader stating `facts`: IDs up to facts.total_minted owned by OWNER, the shipped
    runtime code unless `code` is given, tokenURI under the base URI unless `token_uri` is given."""

    def __init__(self, facts: ContractFacts, code: bytes | None = None,
                 token_uri: str | None = None) -> None:
        self._facts = facts
        self._code = load_artifact().runtime if code is None else code
        self._token_uri = token_uri

    def chain_id(self) -> int:
        return 1337

    def code(self, address: str) -> bytes:
        return self._code

    def facts(self, address: str, trusted_issuer: str) -> ContractFacts:
        return self._facts

    def owners(self, address: str, first: int, last: int) -> list[str]:
        return [OWNER if i <= self._facts.total_minted else ZERO_ADDRESS
                for i in range(first, last + 1)]

    def token_uri(self, address: str, token_id: int) -> str:
        if self._token_uri is not None:
            return self._token_uri
        return f"{self._facts.base_uri}{token_id}.json"
