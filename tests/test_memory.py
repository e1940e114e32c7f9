"""Memory bounded by design (issue 15): at 100,000 items no stage's peak RSS may exceed 512 MiB.

Each stage runs alone in a fresh process (tests/support/memory_stage.py) at two sizes; the peak
RSS grows between them by a per-item figure (the fixed costs, imports and artwork caches, cancel
out), and the peak at the larger size plus that figure for the items up to 100,000 must stay
under 512 MiB. A stage that keeps a whole-collection structure of a few KiB per item (every
token's metadata, every token's report) fails it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT_KIB = 512 * 1024
TARGET = 100_000
SIZES = {"generate": (200, 1000), "pin": (1000, 4000)}  # audit: the collection pin left


def stage(name: str, items: int, where: Path) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-m", "tests.support.memory_stage", name, str(items),
                          str(where)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    result: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def extrapolated(small: dict[str, int], large: dict[str, int]) -> tuple[float, float]:
    """(KiB per item, the peak in KiB extrapolated to TARGET items) from two runs."""
    per_item = max(0.0, (large["peak_kib"] - small["peak_kib"]) / (large["items"] - small["items"]))
    return per_item, large["peak_kib"] + per_item * (TARGET - large["items"])


@pytest.mark.parametrize("name", ["generate", "pin"])
def test_peak_memory_extrapolates_under_512_mib_at_100000_items(name: str, tmp_path: Path) -> None:
    small_n, large_n = SIZES[name]
    runs = {}
    for n in (small_n, large_n):
        where = tmp_path / str(n)
        where.mkdir()
        runs[name, n] = stage(name, n, where)
        if name == "pin":
            runs["audit", n] = stage("audit", n, where)
    for what in ([name, "audit"] if name == "pin" else [name]):
        per_item, peak = extrapolated(runs[what, small_n], runs[what, large_n])
        print(f"{what}: {per_item:.2f} KiB per item, {peak / 1024:.0f} MiB at {TARGET:,}")
        assert peak < LIMIT_KIB, (what, per_item, runs[what, small_n], runs[what, large_n])
