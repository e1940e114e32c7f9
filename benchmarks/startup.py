"""Start-up time of the CLI beside `python -c "import click"`, measured in the same run.

Each case is a fresh process, run --runs times (median wall time): ``--version``, ``--help``,
``cid`` of a small file, ``init`` of a new folder and ``generate --count 1`` at 32 px. The goal
(issue 10): ``--version`` within 0.15 s of the baseline. Prints a table, or JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 0.15  # seconds above the baseline allowed for --version
_SCRIPT = Path(sys.executable).parent / "nft-toolkit"  # what users run, when installed
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [
    sys.executable, "-c", "from nft_toolkit.cli import main; main()"]


def _median(argv: list[str], runs: int, cwd: Path, fresh: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        t = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode(errors='replace')}")
    return statistics.median(times)


def run(runs: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "small.txt").write_text("hello world\n")
        subprocess.run([*CLI, "init", "proj", "--year", "2026", "--size", "2", "--seed", "1"],
                       cwd=root, check=True, stdout=subprocess.DEVNULL)
        config = root / "proj" / "collection.yaml"
        config.write_text(config.read_text().replace("image_size: 1024", "image_size: 32"))
        cases = [
            ('python -c "import click"', [sys.executable, "-c", "import click"], root, None),
            ("nft-toolkit --version", [*CLI, "--version"], root, None),
            ("nft-toolkit --help", [*CLI, "--help"], root, None),
            ("nft-toolkit cid small.txt", [*CLI, "cid", "small.txt"], root, None),
            ("nft-toolkit init fresh --year 2026", [*CLI, "init", "fresh", "--year", "2026"],
             root, root / "fresh"),
            ("nft-toolkit generate --count 1 (32 px)", [*CLI, "generate", "--count", "1"],
             root / "proj", None),
        ]
        rows = []
        for label, argv, cwd, fresh in cases:
            rows.append({"case": label, "median_s": _median(argv, runs, cwd, fresh)})
    base = rows[0]["median_s"]
    for row in rows:
        row["over_baseline_s"] = row["median_s"] - base
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run(args.runs)
    version = next(r for r in rows if r["case"] == "nft-toolkit --version")
    met = version["over_baseline_s"] <= GOAL
    if args.json:
        print(json.dumps({"runs": args.runs, "goal_s": GOAL, "goal_met": met, "rows": rows},
                         indent=2))
    else:
        print(f"{'case':40} {'median':>9} {'vs baseline':>12}   ({args.runs} runs each)")
        for row in rows:
            print(f"{row['case']:40} {row['median_s']:8.3f}s {row['over_baseline_s']:+11.3f}s")
        print(f"goal: --version within {GOAL:.2f} s of the baseline: "
              f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
