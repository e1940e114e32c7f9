"""`audit` that cannot reach the chain keeps the last complete report: one line, exit 3, the old
file untouched (found by a fresh user's trial, where a 1,000-token report became 316 bytes)."""

from __future__ import annotations

import json
from pathlib import Path

from nft_toolkit.chain.local import free_port
from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import Cli


def test_an_unreachable_chain_keeps_the_last_report(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    code, summary = cli.json("audit", "--report", str(report))
    assert code == 0 and summary["counts"] == {"authentic": 6}
    before = report.read_bytes()
    record = load_record(Project(cli.cwd).deployment_path("development"))
    for extra in ((), ("--json",)):
        out = cli("audit", "--report", str(report), "--rpc-url", f"http://127.0.0.1:{free_port()}",
                  "--chain-id", "1337", "--contract", record.address, *extra)
        assert out.returncode == 3, out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: cannot audit: "), out.stderr
        assert "does not answer" in lines[0] and "the last report, of " in lines[0]
        assert str(report) in lines[0] and out.stdout == ""
        assert report.read_bytes() == before
    assert len(json.loads(before)["tokens"]) == 6


def test_no_report_is_written_for_an_unreachable_chain(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "never.json"
    out = cli("audit", "--report", str(report), "--rpc-url", f"http://127.0.0.1:{free_port()}",
              "--chain-id", "1337")
    assert out.returncode == 3 and "no report written" in out.stderr
    assert not report.exists()
