"""Static analysis of the shipped contracts with Slither, compiled by the project's pinned solc.

Slither is not a project dependency (it pins its own solc-select and crytic-compile): install it
in a virtual environment of its own, e.g. `python3 -m venv .slither-venv &&
.slither-venv/bin/pip install 'slither-analyzer>=0.11.6,<0.12'` (what `make slither` does).
crytic-compile is pointed at `.solc/solc-v<version>`, the executable `make setup` provides (a
native solc or the npm compiler behind tools/solcjs-cli.js), in standard-JSON mode, the only one
the npm compiler shim answers, with the remappings of brownie-config.yaml.

The analysis covers contracts/*.sol and what they import (not the gas baselines under
contracts/bench/ nor the test mocks under contracts/test/). It prints every finding in the
project's own sources and the count of those in node_modules (OpenZeppelin; see
docs/RELIABILITY.md for their triage), and exits 1 if any finding in the project's sources is
of low, medium or high impact: informational ones are listed, and explained in
docs/RELIABILITY.md.

    .venv/bin/python tools/slither.py [--slither PATH] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FAILING_IMPACTS = {"High", "Medium", "Low"}


def find_slither(explicit: str | None) -> str | None:
    """The Slither executable: --slither, $SLITHER, .slither-venv/bin/slither, or one on PATH."""
    for candidate in (explicit, os.environ.get("SLITHER"), str(ROOT / ".slither-venv" / "bin" / "slither")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("slither")


def command(slither: str) -> list[str]:
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    solc = ROOT / ".solc" / f"solc-v{config['solc']['version']}"
    if not solc.is_file():
        raise SystemExit(f"{solc} is missing: run `make setup` first")
    return [slither, "contracts", "--solc", str(solc), "--solc-standard-json",
            "--solc-remaps", " ".join(config["solc"]["remappings"]), "--json", "-"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slither", help="the slither executable (default: see find_slither)")
    parser.add_argument("--json", type=Path, help="also write Slither's full JSON report here")
    args = parser.parse_args()

    slither = find_slither(args.slither)
    if slither is None:
        print("slither not found: python3 -m venv .slither-venv && "
              ".slither-venv/bin/pip install 'slither-analyzer>=0.11.6,<0.12'", file=sys.stderr)
        return 2
    run = subprocess.run(command(slither), cwd=ROOT, capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(run.stderr)
        print(f"slither produced no report (exit {run.returncode})", file=sys.stderr)
        return 2
    if not report.get("success"):
        print(f"slither failed: {report.get('error')}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))

    ours, dependencies = [], Counter()
    for finding in report["results"].get("detectors", []):
        files = {element.get("source_mapping", {}).get("filename_relative", "")
                 for element in finding.get("elements", [])}
        if files and all(f.startswith("node_modules/") for f in files):
            dependencies[(finding["impact"], finding["check"])] += 1
        else:
            ours.append(finding)

    for finding in ours:
        print(f"[{finding['impact']}/{finding['confidence']}] {finding['check']}: "
              f"{finding['description'].strip().splitlines()[0]}")
    for (impact, check), count in sorted(dependencies.items()):
        print(f"node_modules: {count} x [{impact}] {check}")
    failing = [f for f in ours if f["impact"] in FAILING_IMPACTS]
    print(f"{len(ours)} finding(s) in the project's contracts, {len(failing)} of low impact or above; "
          f"{sum(dependencies.values())} in dependencies")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
