"""Compile the collection contract and write the artifact shipped inside the Python package,
and record its runtime as a release when it is new.

The compiler version and settings come from brownie-config.yaml, and the standard JSON input is
built by Brownie's own function, so the bytecode equals what `brownie compile` produces
(tests/contracts/test_artifact.py checks it). Run by `make artifacts`; the result is committed,
so deploying and verifying need no compiler.

``artifacts/releases.json`` keeps every runtime the package has released (shape:
:class:`nft_toolkit.artifact.Release`): a build whose runtime differs from the latest release
appends a new one, with the compiler settings and the hashes of every source file that went into
it; an earlier release is never rewritten or dropped, so collections deployed with it verify.

    .venv/bin/python tools/build_artifacts.py [--check] [--root DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ("ZodiacCollection",)
OUT = ROOT / "nft_toolkit" / "artifacts"
RELEASES = "releases.json"


def compile_artifacts(root: Path = ROOT) -> dict[str, dict]:
    """The artifacts of CONTRACTS compiled from `root`/contracts with `root`/brownie-config.yaml
    (imports resolved through its remappings, relative to `root`)."""
    os.environ.setdefault("SOLCX_BINARY_PATH", str(ROOT / ".solc"))
    import solcx
    import yaml
    from brownie.project import compiler

    config = yaml.safe_load((root / "brownie-config.yaml").read_text())["compiler"]
    solc = config["solc"]
    solcx.set_solc_version(str(solc["version"]), silent=True)
    sources = {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted((root / "contracts").rglob("*.sol"))
    }
    input_json = compiler.generate_input_json(
        sources,
        optimizer=solc["optimizer"],
        evm_version=config["evm_version"],
        remappings=solc["remappings"],
    )
    # solc's metadata names every source file the contract was built from, with its keccak256.
    input_json["settings"]["outputSelection"]["*"]["*"].append("metadata")
    cwd = os.getcwd()
    os.chdir(root)  # remappings are relative to the project root
    try:
        output = compiler.compile_from_input_json(input_json)
    finally:
        os.chdir(cwd)
    artifacts = {}
    for source, contracts in output["contracts"].items():
        for name, data in contracts.items():
            if name not in CONTRACTS:
                continue
            runtime = data["evm"]["deployedBytecode"]
            used = json.loads(data["metadata"])["sources"]
            artifacts[name] = {
                "contractName": name,
                "sourceName": source,
                "abi": data["abi"],
                "bytecode": "0x" + data["evm"]["bytecode"]["object"],
                "deployedBytecode": "0x" + runtime["object"],
                # Offsets of immutables in the runtime code: they differ per deployment.
                "immutableReferences": runtime.get("immutableReferences", {}),
                "compiler": {
                    "version": str(solcx.get_solc_version(with_commit_hash=True)),
                    "optimizer": solc["optimizer"],
                    "evmVersion": config["evm_version"],
                    "remappings": solc["remappings"],
                },
                "sourceSha256": hashlib.sha256(sources[source].encode()).hexdigest(),
                # Not written to the artifact: what went into it, for its release entry.
                "_sources": {
                    unit: {"keccak256": used[unit]["keccak256"],
                           "sha256": "0x" + hashlib.sha256((root / unit).read_bytes()).hexdigest()}
                    for unit in sorted(used)
                },
            }
    return artifacts


def release_entry(artifact: dict, number: int, previous_abi: list | None) -> dict[str, Any]:
    """The releases.json entry (shape: nft_toolkit.artifact.Release) of a compiled `artifact`."""
    from nft_toolkit import __version__
    from nft_toolkit.artifact import parse_artifact

    parsed = parse_artifact(artifact)
    entry: dict[str, Any] = {
        "release": number,
        "package": __version__,
        "source": artifact["sourceName"],
        "runtime_hash": parsed.runtime_hash,
        "runtime_length": len(parsed.runtime),
        "immutables": [list(ref) for ref in parsed.immutables],
        "compiler": artifact["compiler"],
        "sources": artifact["_sources"],
    }
    if artifact["abi"] != previous_abi:
        entry["abi"] = artifact["abi"]
    return entry


def with_release(registry: dict[str, list], artifact: dict) -> dict[str, list]:
    """`registry` (releases.json) with `artifact` appended as a new release of its contract when
    its runtime is none of the recorded ones; earlier entries are kept as they are."""
    from nft_toolkit.artifact import parse_artifact, parse_releases

    name = artifact["contractName"]
    entries = list(registry.get(name, []))
    releases = parse_releases(entries)  # refuses a malformed registry before adding to it
    runtime = parse_artifact(artifact).runtime
    if any(r.matches(runtime) for r in releases):
        if not releases[-1].matches(runtime):
            raise ValueError(f"{name}: this build is an earlier release's runtime, not the latest "
                             f"one in {RELEASES}; releases are never reordered")
        return registry
    entries.append(release_entry(artifact, len(entries) + 1, releases[-1].abi if releases else None))
    return {**registry, name: entries}


def render(artifact: dict) -> str:
    return json.dumps({k: v for k, v in artifact.items() if not k.startswith("_")},
                      indent=1, sort_keys=True) + "\n"


def render_registry(registry: dict[str, list]) -> str:
    return json.dumps(registry, indent=1, sort_keys=True) + "\n"


def write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the shipped artifact or releases.json is stale")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="project whose contracts/ and brownie-config.yaml to compile")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder of the artifacts and releases.json to write")
    args = parser.parse_args(argv)
    from nft_toolkit.errors import ContractError

    registry_path = args.out / RELEASES
    old_text = registry_path.read_text() if registry_path.exists() else ""
    registry = json.loads(old_text) if old_text else {}
    stale, texts = [], {}
    try:
        for name, artifact in compile_artifacts(args.root.resolve()).items():
            registry = with_release(registry, artifact)
            texts[args.out / f"{name}.json"] = render(artifact)
    except (ValueError, ContractError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    texts[registry_path] = render_registry(registry)
    for path, text in texts.items():
        if path.exists() and path.read_text() == text:
            continue
        if args.check:
            stale.append(path)
        else:
            write(path, text)
            print(f"wrote {path}")
    if stale:
        print("stale artifacts (run `make artifacts`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
