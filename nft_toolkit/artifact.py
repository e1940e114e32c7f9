"""The compiled collection contract shipped inside the package, and the code-equality check.

Deploying and verifying need no compiler: the ABI and bytecode are read from
``nft_toolkit/artifacts/`` (written by tools/build_artifacts.py). A verifier compares a
contract's on-chain runtime code with the artifact's; the immutables (issuer, zodiac year,
non-transferable flag, cap) are embedded per deployment, so their bytes are compared only after
masking, and their values are then read through the contract's getters.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nft_toolkit.errors import ContractError

COLLECTION = "ZodiacCollection"


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: ABI, creation and runtime code, immutable offsets, compiler."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: bytes
    runtime: bytes
    immutables: tuple[tuple[int, int], ...]  # (start, length) of each immutable in `runtime`
    compiler: dict[str, Any]

    @property
    def runtime_hash(self) -> str:
        """sha256 of the runtime code with immutables zeroed: the identity of the audited code."""
        return "0x" + hashlib.sha256(mask_immutables(self.runtime, self.immutables)).hexdigest()

    def runtime_matches(self, code: bytes) -> bool:
        """Whether on-chain runtime `code` is this artifact's, whatever its immutables hold."""
        if len(code) != len(self.runtime):
            return False
        return mask_immutables(code, self.immutables) == mask_immutables(self.runtime, self.immutables)


def mask_immutables(code: bytes, immutables: tuple[tuple[int, int], ...]) -> bytes:
    """`code` with the bytes of every immutable set to zero."""
    out = bytearray(code)
    for start, length in immutables:
        out[start:start + length] = bytes(length)
    return bytes(out)


def parse_artifact(data: dict[str, Any]) -> Artifact:
    """Builds an :class:`Artifact` from the JSON written by tools/build_artifacts.py."""
    try:
        refs = tuple(sorted(
            (int(ref["start"]), int(ref["length"]))
            for refs in data["immutableReferences"].values() for ref in refs
        ))
        return Artifact(
            name=data["contractName"],
            abi=data["abi"],
            bytecode=bytes.fromhex(data["bytecode"].removeprefix("0x")),
            runtime=bytes.fromhex(data["deployedBytecode"].removeprefix("0x")),
            immutables=refs,
            compiler=data["compiler"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ContractError(f"malformed contract artifact: {exc}") from exc


@cache
def load_artifact(name: str = COLLECTION) -> Artifact:
    """The packaged artifact of contract `name`."""
    try:
        text = resources.files("nft_toolkit.artifacts").joinpath(f"{name}.json").read_text()
    except FileNotFoundError as exc:
        raise ContractError(f"no packaged artifact for contract {name!r}") from exc
    return parse_artifact(json.loads(text))
