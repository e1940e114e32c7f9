"""CID speed beside hashlib.sha256 over the same bytes, measured in the same run.

Cases: a 1 MiB file, a 100 MiB file (both in memory, so neither side pays for the disk) and a
folder of 10,000 metadata files on disk (CIDs of every file and of the folder; the baseline
reads and hashes the same files). Prints a table, or JSON with --json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nft_toolkit.ipfs.importer import Importer, ImportOptions  # noqa: E402


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(repeat: int) -> list[dict]:
    rows = []
    rng = random.Random(1)
    for label, size in (("1 MiB file", 1 << 20), ("100 MiB file", 100 << 20)):
        data = rng.randbytes(size)
        for version in (0, 1):
            importer = Importer(ImportOptions(cid_version=version))  # type: ignore[arg-type]
            t_cid = _best(lambda: importer.add_bytes(data), repeat)
            t_sha = _best(lambda: hashlib.sha256(data).digest(), repeat)
            rows.append({"case": f"{label}, CIDv{version}", "bytes": size,
                         "cid_mb_s": size / t_cid / 1e6, "sha256_mb_s": size / t_sha / 1e6,
                         "ratio": t_sha / t_cid})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "metadata"
        folder.mkdir()
        total = 0
        for i in range(1, 10_001):
            body = json.dumps({"name": f"Horse #{i}", "image": "ipfs://" + "Q" * 46,
                               "attributes": [{"trait_type": "Edition", "value": i}]}).encode()
            (folder / f"{i}.json").write_bytes(body)
            total += len(body)
        files = sorted(folder.iterdir())

        def baseline() -> None:
            for p in files:
                hashlib.sha256(p.read_bytes()).digest()

        for version in (0, 1):
            importer = Importer(ImportOptions(cid_version=version))  # type: ignore[arg-type]
            t_cid = _best(lambda: importer.add_path(folder), repeat)
            t_sha = _best(baseline, repeat)
            rows.append({"case": f"10,000 metadata files, CIDv{version}", "bytes": total,
                         "cid_mb_s": total / t_cid / 1e6, "sha256_mb_s": total / t_sha / 1e6,
                         "ratio": t_sha / t_cid})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    rows = run(args.repeat)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'case':<32} {'CID MB/s':>10} {'sha256 MB/s':>12} {'CID/sha256':>11}")
    for r in rows:
        print(f"{r['case']:<32} {r['cid_mb_s']:>10.0f} {r['sha256_mb_s']:>12.0f} {r['ratio']:>10.0%}")


if __name__ == "__main__":
    main()
