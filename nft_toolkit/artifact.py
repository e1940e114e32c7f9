"""The compiled collection contract shipped inside the package, its released runtimes, and the
code-equality check.

Deploying and verifying need no compiler: the ABI and bytecode are read from
``nft_toolkit/artifacts/`` (written by tools/build_artifacts.py). A verifier compares a
contract's on-chain runtime code with the artifact's; the immutables (issuer, zodiac year,
non-transferable flag, cap) are embedded per deployment, so their bytes are compared only after
masking, and their values are then read through the contract's getters.

The runtime ends in solc's metadata hash, which covers the source text: a comment-only edit
makes new code. ``artifacts/releases.json`` therefore lists every runtime the package has
released (appended to, never rewritten, by tools/build_artifacts.py), and a deployment of any of
them is the audited contract (:meth:`Artifact.release_of`); deploying always uses the latest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nft_toolkit.errors import ContractError

COLLECTION = "ZodiacCollection"
RELEASES = "releases.json"


@dataclass(frozen=True)
class Release:
    """One released runtime of a contract: an entry of ``artifacts/releases.json``.

    JSON shape (``abi`` only when it differs from the previous release's; ``sources`` holds every
    source file the compiler read for the contract, by source unit name, i.e. its path from the
    project root, as listed in solc's metadata)::

        {"release": 1, "package": "0.1.0", "source": "contracts/ZodiacCollection.sol",
         "runtime_hash": "0x<sha256 of the runtime, immutables zeroed>", "runtime_length": 9947,
         "immutables": [[start, length], ...],
         "compiler": {"version": "0.8.28+commit.7893614a", "optimizer": {"enabled": true,
                      "runs": 200}, "evmVersion": "shanghai", "remappings": ["@x=node_modules/@x"]},
         "sources": {"contracts/ZodiacCollection.sol": {"keccak256": "0x…", "sha256": "0x…"}},
         "abi": [...]}
    """

    release: int  # 1, 2, ...: the contract's release number, in order of release
    package: str  # the nft-toolkit version that shipped it first
    source: str
    runtime_hash: str  # as Artifact.runtime_hash and a deployment record's runtime_hash
    runtime_length: int
    immutables: tuple[tuple[int, int], ...]
    abi: list[dict[str, Any]]  # its own, or the nearest earlier release's
    compiler: Mapping[str, Any]
    sources: Mapping[str, Mapping[str, str]]

    @property
    def label(self) -> str:
        """How reports name it: ``release 2 (nft-toolkit 0.2.0)``."""
        return f"release {self.release} (nft-toolkit {self.package})"

    def matches(self, code: bytes) -> bool:
        """Whether on-chain runtime `code` is this release's, whatever its immutables hold."""
        if len(code) != self.runtime_length:
            return False
        digest = hashlib.sha256(mask_immutables(code, self.immutables)).hexdigest()
        return "0x" + digest == self.runtime_hash.lower()


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: ABI, creation and runtime code, immutable offsets, compiler."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: bytes
    runtime: bytes
    immutables: tuple[tuple[int, int], ...]  # (start, length) of each immutable in `runtime`
    compiler: dict[str, Any]
    releases: tuple[Release, ...] = ()  # every released runtime, oldest first; the last is this

    @property
    def runtime_hash(self) -> str:
        """sha256 of the runtime code with immutables zeroed: the identity of the audited code."""
        return "0x" + hashlib.sha256(mask_immutables(self.runtime, self.immutables)).hexdigest()

    def runtime_matches(self, code: bytes) -> bool:
        """Whether on-chain runtime `code` is this artifact's (the latest release), whatever its
        immutables hold; :meth:`release_of` accepts every release."""
        if len(code) != len(self.runtime):
            return False
        return mask_immutables(code, self.immutables) == mask_immutables(self.runtime, self.immutables)

    def release_of(self, code: bytes) -> Release | None:
        """The release whose runtime on-chain `code` is (immutables masked), or None: code no
        release of this contract has."""
        return next((r for r in reversed(self.releases) if r.matches(code)), None)


def mask_immutables(code: bytes, immutables: tuple[tuple[int, int], ...]) -> bytes:
    """`code` with the bytes of every immutable set to zero."""
    out = bytearray(code)
    for start, length in immutables:
        out[start:start + length] = bytes(length)
    return bytes(out)


def parse_artifact(data: dict[str, Any], releases: tuple[Release, ...] = ()) -> Artifact:
    """Builds an :class:`Artifact` from the JSON written by tools/build_artifacts.py, with its
    `releases` (see :func:`parse_releases`), of which it must be the last."""
    try:
        refs = tuple(sorted(
            (int(ref["start"]), int(ref["length"]))
            for refs in data["immutableReferences"].values() for ref in refs
        ))
        artifact = Artifact(
            name=data["contractName"],
            abi=data["abi"],
            bytecode=bytes.fromhex(data["bytecode"].removeprefix("0x")),
            runtime=bytes.fromhex(data["deployedBytecode"].removeprefix("0x")),
            immutables=refs,
            compiler=data["compiler"],
            releases=releases,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ContractError(f"malformed contract artifact: {exc}") from exc
    if releases and not releases[-1].matches(artifact.runtime):
        raise ContractError(f"the packaged {artifact.name} is not its latest release in {RELEASES} "
                            "(run `make artifacts`)")
    return artifact


def parse_releases(entries: list[dict[str, Any]]) -> tuple[Release, ...]:
    """The releases of one contract from their JSON entries (shape: :class:`Release`), oldest
    first; numbered 1, 2, ... with no runtime twice."""
    out: list[Release] = []
    abi: list[dict[str, Any]] | None = None
    try:
        for i, entry in enumerate(entries, 1):
            abi = entry.get("abi", abi)
            if abi is None or int(entry["release"]) != i:
                raise ValueError(f"entry {i}: " + ("no ABI" if abi is None else "out of order"))
            if any(r.runtime_hash == entry["runtime_hash"] for r in out):
                raise ValueError(f"release {i} repeats an earlier runtime")
            out.append(Release(
                release=i, package=str(entry["package"]), source=str(entry["source"]),
                runtime_hash=str(entry["runtime_hash"]), runtime_length=int(entry["runtime_length"]),
                immutables=tuple((int(s), int(n)) for s, n in entry["immutables"]),
                abi=abi, compiler=entry["compiler"], sources=entry["sources"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ContractError(f"malformed {RELEASES}: {exc}") from exc
    return tuple(out)


@cache
def load_artifact(name: str = COLLECTION) -> Artifact:
    """The packaged artifact of contract `name`, with its released runtimes."""
    folder = resources.files("nft_toolkit.artifacts")
    try:
        text = folder.joinpath(f"{name}.json").read_text()
        registry = json.loads(folder.joinpath(RELEASES).read_text())
    except FileNotFoundError as exc:
        raise ContractError(f"no packaged artifact for contract {name!r}: {exc}") from exc
    releases = parse_releases(registry.get(name, []) if isinstance(registry, dict) else [])
    if not releases:
        raise ContractError(f"{RELEASES} lists no release of {name} (run `make artifacts`)")
    return parse_artifact(json.loads(text), releases)
