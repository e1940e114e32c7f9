"""Compile the collection contract and write the artifact shipped inside the Python package.

The compiler version and settings come from brownie-config.yaml, and the standard JSON input is
built by Brownie's own function, so the bytecode equals what `brownie compile` produces
(tests/contracts/test_artifact.py checks it). Run by `make artifacts`; the result is committed,
so deploying and verifying need no compiler.

    .venv/bin/python tools/build_artifacts.py [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ("ZodiacCollection",)
OUT = ROOT / "nft_toolkit" / "artifacts"


def compile_artifacts() -> dict[str, dict]:
    os.environ.setdefault("SOLCX_BINARY_PATH", str(ROOT / ".solc"))
    import solcx
    import yaml
    from brownie.project import compiler

    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    solc = config["solc"]
    solcx.set_solc_version(str(solc["version"]), silent=True)
    sources = {
        path.relative_to(ROOT).as_posix(): path.read_text()
        for path in sorted((ROOT / "contracts").rglob("*.sol"))
    }
    input_json = compiler.generate_input_json(
        sources,
        optimizer=solc["optimizer"],
        evm_version=config["evm_version"],
        remappings=solc["remappings"],
    )
    cwd = os.getcwd()
    os.chdir(ROOT)  # remappings are relative to the project root
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
            }
    return artifacts


def render(artifact: dict) -> str:
    return json.dumps(artifact, indent=1, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped artifact is stale")
    args = parser.parse_args()
    stale = []
    for name, artifact in compile_artifacts().items():
        path = OUT / f"{name}.json"
        text = render(artifact)
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path)
            continue
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(text)
        tmp.replace(path)
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale artifacts (run `make artifacts`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
