"""benchmarks/pipeline.py, the whole job at 1,000 items on a throwaway ganache (`make
test-slow`): every stage measured, the airdrop reaching 1,000 distinct customers, the audit all
authentic, the service answering for a sample, and the chain's busy time beside the airdrop."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "pipeline.py"
ITEMS = 1000


def _pipeline():  # the script's module (benchmarks/ is no package)
    spec = importlib.util.spec_from_file_location("pipeline_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_an_incomplete_or_implausible_result_is_reported() -> None:
    pipeline = _pipeline()
    stage = {"wall_s": 1.0, "cpu_s": 0.5, "rss_mib": 50.0, "tree_rss_mib": 50.0,
             "chain_cpu_s": None, "extra": {}}
    stages = [{**stage, "name": n} for n in pipeline.STAGES]
    stages[-1]["extra"] = {"tokens": 5, "authentic": 5}
    good = {"stages": stages, "airdrop_chain": {"busy_s": 1.0}}
    assert pipeline.check(good) == []
    assert pipeline.check({**good, "stages": stages[:-2] + stages[-1:]})  # audit missing
    assert pipeline.check({**good, "stages": [*stages[:-1], {**stages[-1], "extra": {
        "tokens": 5, "authentic": 4}}]})
    assert pipeline.check({**good, "stages": [{**stages[0], "rss_mib": 0.0}, *stages[1:]]})
    assert pipeline.check({**good, "airdrop_chain": {"busy_s": 0.0}})
    assert len({pipeline.recipient(i) for i in range(1, 2001)}) == 2000


def test_the_two_audit_rates_are_labelled_apart() -> None:
    """The CLI's rate (the audit loop) and the process's (start-up included) differ tenfold on
    a small collection: each is named for what it divides by."""
    pipeline = _pipeline()
    audit = {"name": "audit", "wall_s": 10.0, "cpu_s": 1.0, "rss_mib": 50.0,
             "tree_rss_mib": 50.0, "chain_cpu_s": None,
             "extra": {"counts": {"authentic": 1000}, "verdict": "authentic", "seconds": 0.8}}
    result = {"items": 1000, "chain": "ganache", "cpus": 2, "stages": [audit],
              "airdrop_chain": {"transactions": 5, "busy_s": 1.0, "blocks": 5,
                                "block_gas_limit": 30_000_000, "gas": 1, "submit_s": 0.1,
                                "tool_overhead": 1.0},
              "total_wall_s": 10.0, "chain_peak_rss_mib": 100.0}
    row = next(line for line in pipeline.table(result).splitlines() if line.startswith("| audit"))
    assert "1,250 tokens/s audit loop" in row and "100 tokens/s incl. start-up" in row


@pytest.mark.slow
def test_the_whole_job_at_1000_items(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(SCRIPT), "--items", str(ITEMS), "--chain",
                          "ganache", "--keep", str(tmp_path), "--json"],
                         capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    result = json.loads(out.stdout)
    assert result["problems"] == []
    stages = {s["name"]: s for s in result["stages"]}
    assert list(stages) == ["init", "generate", "pin", "deploy", "airdrop", "audit", "serve"]
    for s in stages.values():
        assert 0 < s["wall_s"] < 1200 and 0 < s["cpu_s"] and 10 < s["rss_mib"] <= s["tree_rss_mib"]
    airdrop = stages["airdrop"]["extra"]
    assert airdrop["transactions"] == ITEMS // 200
    assert 40_000 < airdrop["gas_per_recipient"] < 60_000  # benchmarks/gas.py: ~47,400
    assert stages["audit"]["extra"]["counts"] == {"authentic": ITEMS}
    serve = stages["serve"]["extra"]
    assert serve["authentic"] == serve["tokens"] >= 50 and serve["wrong"] == []
    chain = result["airdrop_chain"]
    assert chain["transactions"] == ITEMS // 200 and chain["gas"] == airdrop["gas"]
    assert chain["blocks"] >= 2 and chain["busy_s"] > 0 and chain["tool_overhead"] > 0
    # every customer got the token the airdrop list gave it
    recipients = (tmp_path / "collection" / "recipients.csv").read_text().splitlines()[1:]
    report = json.loads((tmp_path / "collection" / "reports" /
                         "audit-development.json").read_text())
    owners = {t["token_id"]: t["owner"] for t in report["tokens"]}
    assert [owners[i] for i in range(1, ITEMS + 1)] == [r.split(",")[0] for r in recipients]
