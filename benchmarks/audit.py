"""Audit at size on anvil: `nft-toolkit audit` (streamed report) in tokens/s, CPU and peak
memory at N tokens, beside the one-token-at-a-time path (``verify_token``, each question its own
call) measured in the same run on a sample of the same collection.

    .venv/bin/python benchmarks/audit.py [--sizes 1000,10000] [--sample 100] [--json]

Each size gets its own pinned small-image collection (8x8 PNG, tests/support/collection.py's write_build) in
the local store, deployed on a fresh anvil (berlin, gas price 0, like a permissioned chain) and
minted to four holders. The audit runs as users run it, the CLI in a subprocess (its peak RSS is
the subprocess's own), reading owners with ownersInRange and every token's metadata and image
from the store, every block hashed against its CID; its report goes to disk as it is made.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nft_toolkit.chain.accounts import dev_account  # noqa: E402
from nft_toolkit.chain.client import Chain  # noqa: E402
from nft_toolkit.chain.deployer import CollectionParams, DeployPlan, deploy  # noqa: E402
from nft_toolkit.chain.minter import Minter  # noqa: E402
from nft_toolkit.ipfs.manifest import Manifest  # noqa: E402
from nft_toolkit.ipfs.publish import prepare  # noqa: E402
from nft_toolkit.ipfs.store import BlockStore  # noqa: E402
from nft_toolkit.journal import Journal  # noqa: E402
from nft_toolkit.project import Project  # noqa: E402
from nft_toolkit.verify.sources import IpfsContent, Web3Reader  # noqa: E402
from nft_toolkit.verify.trust import trust_from_manifest, verify_token  # noqa: E402
from tests.support.anvil import anvil  # noqa: E402
from tests.support.collection import write_build  # noqa: E402

CHAIN_ID = 4242
CLI = [str(Path(sys.executable).with_name("nft-toolkit"))]  # the venv's entry point
# Runs the audit as a child and prints its peak RSS (this wrapper's only child: RUSAGE_CHILDREN
# is that child's own figure) and CPU seconds.
WRAPPER = ("import json, resource, subprocess, sys; "
           "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(json.dumps({'rc': p.returncode, 'out': p.stdout, 'err': p.stderr[-2000:], "
           "'rss_kib': r.ru_maxrss, 'cpu_s': r.ru_utime + r.ru_stime}))")


def measure(n: int, sample: int, tmp: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    project = Project(tmp / f"c{n}")
    write_build(project, n)
    prepare(project, 0)  # what `pin` does: CIDs, manifest, CAR, blocks in the local store
    manifest = Manifest.load(project.manifest_path)
    issuer = dev_account(0)
    with anvil("--hardfork", "berlin", "--gas-price", "0", chain_id=CHAIN_ID) as node:
        chain = Chain(node.url, CHAIN_ID, name="bench")
        plan = DeployPlan(CollectionParams("Bench", "BENCH", 2026, n, issuer.address, 0),
                          manifest.base_uri, manifest.provenance_hash, None, True)
        record = deploy(chain, issuer, plan, "bench", project.journal_dir / "d.json",
                        project.deployment_path("bench"))
        holders = [dev_account(i).address for i in range(1, 5)]
        share = n // len(holders)
        Minter(chain, issuer, record.address, Journal(project.journal_dir / "m.jsonl")).mint(
            [(h, share) for h in holders[:-1]] + [(holders[-1], n - share * 3)], batch_size=500)
        setup_s = time.perf_counter() - t0

        report = tmp / f"audit-{n}.json"
        run = subprocess.run(
            [sys.executable, "-c", WRAPPER, *CLI, "audit", "--json", "--project",
             str(project.root), "--rpc-url", node.url, "--chain-id", str(CHAIN_ID),
             "--contract", record.address, "--issuer", record.issuer, "--report", str(report)],
            capture_output=True, text=True, cwd=ROOT, check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        child = json.loads(run.stdout)
        if child["rc"] != 0:
            raise SystemExit(f"audit exited {child['rc']}: {child['err']}")
        summary = json.loads(child["out"])
        assert summary["counts"] == {"authentic": n}, summary["counts"]
        assert len(json.loads(report.read_text())["tokens"]) == n

        trust = trust_from_manifest(record.address, record.issuer, CHAIN_ID, manifest)
        content = IpfsContent(BlockStore(project.store_dir))
        reader = Web3Reader(chain)
        ids = [1 + (i * n) // sample for i in range(sample)]
        start = time.perf_counter()
        for token_id in ids:
            assert verify_token(reader, content, trust, token_id).verdict.value == "authentic"
        one_s = time.perf_counter() - start
    return {"tokens": n, "setup_s": setup_s, "audit_s": summary["seconds"],
            "audit_tps": n / summary["seconds"], "audit_cpu_s": child["cpu_s"],
            "audit_rss_mib": child["rss_kib"] / 1024, "sample": sample, "one_s": one_s,
            "one_tps": sample / one_s}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="collection sizes, comma-separated")
    ap.add_argument("--sample", type=int, default=100, help="tokens the one-by-one path verifies")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="nft-bench-audit-") as tmp:
        rows = [measure(n, min(args.sample, n), Path(tmp)) for n in sizes]
    if args.json:
        print(json.dumps(rows))
        return 0
    load = os.getloadavg()[0]
    print(f"anvil (berlin, gas price 0), local block store, 8x8 PNG items; load average {load:.1f} "
          f"on {os.cpu_count()} CPUs")
    print("| tokens | audit s | audit tokens/s | audit CPU s | audit peak RSS MiB "
          "| one-by-one tokens/s (sample) | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['tokens']:,} | {r['audit_s']:.2f} | {r['audit_tps']:,.0f} | "
              f"{r['audit_cpu_s']:.1f} | {r['audit_rss_mib']:.0f} | "
              f"{r['one_tps']:,.1f} ({r['sample']}) | {r['audit_tps'] / r['one_tps']:,.0f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
