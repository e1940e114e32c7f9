"""Every released contract runtime verifies (issue 10, item 3), and the shipped runtime rebuilds
byte for byte from contracts/ and the settings its release records.

The compile tests run the project's real compiler (the pinned solc in .solc/, a native binary or
the npm solc shim), about 6 s each; the release test also runs a ganache chain.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from eth_utils import keccak

from nft_toolkit.artifact import Artifact, Release, load_artifact, parse_artifact, parse_releases
from nft_toolkit.chain import minter as minter_module
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.chain.minter import Minter
from nft_toolkit.errors import ContractError
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.journal import Journal
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import IpfsContent, Web3Reader
from nft_toolkit.verify.trust import trust_from_manifest, verify_token
from tests.support.harness import LocalChainProcess, deployed_project

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "nft_toolkit" / "artifacts"
CUSTOMER = dev_account(1)


def build_tool() -> ModuleType:
    """tools/build_artifacts.py (a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("build_artifacts", ROOT / "tools" / "build_artifacts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def metadata_span(runtime: bytes) -> tuple[int, int]:
    """(start, end) of the IPFS multihash inside the CBOR metadata that ends solc's runtime:
    ``a2 64 'ipfs' 58 22 <34 bytes> 64 'solc' 43 <3 bytes>`` followed by its 2-byte length."""
    size = int.from_bytes(runtime[-2:], "big")
    cbor = runtime[-2 - size:-2]
    assert cbor.startswith(bytes.fromhex("a264697066735822")) and b"solc" in cbor, cbor.hex()
    start = len(runtime) - 2 - size + 8
    return start, start + 34


def rebuild(release: Release, root: Path) -> bytes:
    """The runtime of `release` compiled from the files under `root` named by its recorded
    sources, with its recorded compiler version and settings only (no brownie-config.yaml)."""
    import solcx

    compiler = release.compiler
    name = load_artifact().name
    input_json = {
        "language": "Solidity",
        "sources": {unit: {"content": (root / unit).read_text()} for unit in release.sources},
        "settings": {
            "optimizer": compiler["optimizer"],
            "evmVersion": compiler["evmVersion"],
            "remappings": compiler["remappings"],
            "outputSelection": {release.source: {name: ["evm.deployedBytecode.object"]}},
        },
    }
    output = solcx.compile_standard(input_json, solc_version=compiler["version"].split("+")[0])
    return bytes.fromhex(output["contracts"][release.source][name]["evm"]["deployedBytecode"]["object"])


# -- the registry -----------------------------------------------------------------------------

def test_the_latest_release_is_the_shipped_artifact() -> None:
    artifact = load_artifact()
    assert [r.release for r in artifact.releases] == list(range(1, len(artifact.releases) + 1))
    latest = artifact.releases[-1]
    assert latest.runtime_hash == artifact.runtime_hash and latest.matches(artifact.runtime)
    assert latest.immutables == artifact.immutables and latest.abi == artifact.abi
    assert artifact.release_of(artifact.runtime) is latest
    assert set(latest.compiler) >= {"version", "optimizer", "evmVersion", "remappings"}
    assert latest.source in latest.sources


def test_a_release_matches_any_immutables_and_nothing_else() -> None:
    artifact = load_artifact()
    release = artifact.releases[-1]
    code = bytearray(artifact.runtime)
    for start, length in release.immutables:  # another deployment: other issuer, year, cap
        code[start:start + length] = bytes([0xA5]) * length
    assert release.matches(bytes(code)) and artifact.release_of(bytes(code)) is release
    code[1] ^= 0x01  # the first instruction, far from any immutable
    assert not release.matches(bytes(code)) and artifact.release_of(bytes(code)) is None
    assert artifact.release_of(artifact.runtime + b"\x00") is None


def test_appending_a_release_never_rewrites_an_earlier_one() -> None:
    tool = build_tool()
    registry = json.loads((SHIPPED / "releases.json").read_text())
    shipped = json.loads((SHIPPED / "ZodiacCollection.json").read_text())
    runtime = bytearray(bytes.fromhex(shipped["deployedBytecode"][2:]))
    start, _ = metadata_span(bytes(runtime))
    runtime[start + 5] ^= 0xFF  # another metadata hash: a comment-only change
    later = {**shipped, "deployedBytecode": "0x" + runtime.hex(), "_sources": {"contracts/x.sol": {}}}
    grown = tool.with_release(registry, later)
    old, new = registry["ZodiacCollection"], grown["ZodiacCollection"]
    assert new[:len(old)] == old and len(new) == len(old) + 1
    assert new[-1]["release"] == len(new) and "abi" not in new[-1]  # same ABI: not repeated
    releases = parse_releases(new)
    assert releases[-1].abi == releases[-2].abi
    assert tool.with_release(grown, later) == grown  # the same runtime again: nothing new
    with pytest.raises(ValueError, match="earlier release"):
        tool.with_release(grown, {**shipped, "_sources": {}})  # going back is refused
    with pytest.raises(ContractError, match="out of order"):
        parse_releases([new[0], {**new[-1], "release": 3}])
    with pytest.raises(ContractError, match="repeats"):
        parse_releases([new[0], {**new[0], "release": 2}])


# -- the rebuild ------------------------------------------------------------------------------

def test_the_shipped_runtime_rebuilds_byte_for_byte_from_its_recorded_settings() -> None:
    artifact = load_artifact()
    release = artifact.releases[-1]
    for unit, hashes in release.sources.items():
        data = (ROOT / unit).read_bytes()
        assert "0x" + hashlib.sha256(data).hexdigest() == hashes["sha256"], unit
        assert "0x" + keccak(data).hex().removeprefix("0x") == hashes["keccak256"], unit
    runtime = rebuild(release, ROOT)
    assert runtime == artifact.runtime  # full bytes, metadata hash included
    assert release.matches(runtime)


# -- a later release --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def later_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Artifact, dict, Path]:
    """A scratch copy of the project with one comment of the contract changed, built by
    tools/build_artifacts.py into a copy of the shipped artifacts: (the new latest artifact with
    the grown registry, the registry's JSON, the scratch project)."""
    tmp = tmp_path_factory.mktemp("release")
    scratch, out = tmp / "project", tmp / "artifacts"
    shutil.copytree(ROOT / "contracts", scratch / "contracts")
    shutil.copy(ROOT / "brownie-config.yaml", scratch / "brownie-config.yaml")
    (scratch / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copytree(SHIPPED, out, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    source = scratch / "contracts" / "ZodiacCollection.sol"
    text = source.read_text()
    assert "@notice The role allowed to mint." in text
    source.write_text(text.replace("@notice The role allowed to mint.",
                                   "@notice The role allowed to mint tokens.", 1))
    assert build_tool().main(["--root", str(scratch), "--out", str(out)]) == 0
    registry = json.loads((out / "releases.json").read_text())
    artifact = parse_artifact(json.loads((out / "ZodiacCollection.json").read_text()),
                              parse_releases(registry["ZodiacCollection"]))
    return artifact, registry, scratch


def test_a_comment_changes_only_the_metadata_hash_and_appends_a_release(later_release) -> None:
    new, registry, scratch = later_release
    old = load_artifact()
    shipped = json.loads((SHIPPED / "releases.json").read_text())["ZodiacCollection"]
    assert registry["ZodiacCollection"][:len(shipped)] == shipped  # earlier releases untouched
    assert len(new.releases) == len(shipped) + 1 and new.releases[-1].release == len(shipped) + 1
    assert new.runtime != old.runtime and len(new.runtime) == len(old.runtime)
    start, end = metadata_span(old.runtime)
    assert metadata_span(new.runtime) == (start, end)
    assert [i for i in range(len(old.runtime)) if old.runtime[i] != new.runtime[i]]
    assert all(start <= i < end for i in range(len(old.runtime)) if old.runtime[i] != new.runtime[i])
    assert new.immutables == old.immutables and new.abi == old.abi
    # the new release records the changed source, and rebuilds from the scratch copy
    unit = new.releases[-1].source
    assert new.releases[-1].sources[unit]["sha256"] != old.releases[-1].sources[unit]["sha256"]
    assert rebuild(new.releases[-1], scratch) == new.runtime


def test_a_collection_deployed_with_the_previous_release_stays_authentic(later_release, tmp_path,
                                                                          monkeypatch) -> None:
    new, _, _ = later_release
    previous = new.releases[-2]
    local = LocalChainProcess(tmp_path / "home")
    url = local.start()
    try:
        project, record = deployed_project(tmp_path / "official", url, max_supply=3, size=3)
        assert record.runtime_hash == previous.runtime_hash  # deployed with the shipped artifact
        chain = Chain(url, DEV_CHAIN_ID)
        code = chain.code(record.address)
        assert not new.runtime_matches(code)  # the latest artifact alone would call it counterfeit
        # mint accepts the earlier release when the package's latest is the new one
        monkeypatch.setattr(minter_module, "load_artifact", lambda: new)
        Minter(chain, dev_account(0), record.address,
               Journal(project.journal_dir / "mint-development.jsonl")).mint(
            [(CUSTOMER.address, 2)], batch_size=2)
        manifest = Manifest.load(project.manifest_path)
        trust = trust_from_manifest(record.address, record.issuer, DEV_CHAIN_ID, manifest)
        content = IpfsContent(BlockStore(project.store_dir))
        report = verify_token(Web3Reader(chain), content, trust, 1, artifact=new)
        assert report.verdict is Verdict.AUTHENTIC, report.as_json()
        check = next(c for c in report.as_json()["checks"] if c["name"] == "runtime_code")
        assert check["ok"] and f"release {previous.release} (nft-toolkit " in check["detail"]
        assert f"of {len(new.releases)} released" in check["detail"]
        # without the registry, the same collection is what issue 10 found: counterfeit
        alone = replace(new, releases=new.releases[-1:])
        report = verify_token(Web3Reader(chain), content, trust, 1, artifact=alone)
        assert report.verdict is Verdict.COUNTERFEIT
        assert [c.name for c in report.checks if not c.ok] == ["runtime_code"]
    finally:
        local.stop()
