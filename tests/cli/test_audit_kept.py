"""`audit` that cannot reach the chain keeps the last complete report: one line, exit 3, the old
file untouched (found by a fresh user's trial, where a 1,000-token report became 316 bytes)."""

from __future__ import annotations

import json
from pathlib import Path

from nft_toolkit.chain.local import free_port
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from tests.support.cli import Cli


def test_an_unreachable_chain_keeps_the_last_report(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    code, summary = cli.json("audit", "--report", str(report))
    assert code == 0 and summary["counts"] == {"authentic": 6}
    before = report.read_bytes()
    for extra in ((), ("--json",)):  # the development network's record, its node gone
        out = cli("audit", "--report", str(report), "--network", "development", "--rpc-url",
                  f"http://127.0.0.1:{free_port()}", "--chain-id", "1337", *extra)
        assert out.returncode == 3, out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: cannot audit: "), out.stderr
        assert "does not answer" in lines[0] and "the last report, of " in lines[0]
        assert str(report) in lines[0]
        # --json: the same line as the one JSON object on stdout (cli/app.py); else nothing
        said = {"error": lines[0][len("error: "):], "exit_code": 3} if extra else None
        assert (json.loads(out.stdout) if out.stdout else None) == said, out.stdout
        assert report.read_bytes() == before
    assert len(json.loads(before)["tokens"]) == 6


def test_no_report_is_written_for_an_unreachable_chain(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "never.json"
    out = cli("audit", "--report", str(report), "--network", "development", "--rpc-url",
              f"http://127.0.0.1:{free_port()}", "--chain-id", "1337")
    assert out.returncode == 3 and "no report written" in out.stderr
    assert not report.exists()


def test_an_audit_with_some_tokens_unverifiable_is_a_report(cli: Cli, tmp_path: Path) -> None:
    """Every token reached, one of them not: that is a finding, written like any other."""
    project = Project(cli.cwd)
    manifest = Manifest.load(project.manifest_path)
    block = BlockStore(project.store_dir).block_path(manifest.tokens[2].metadata_cid)
    moved = block.with_suffix(".away")
    block.rename(moved)
    try:
        report = tmp_path / "partial.json"
        code, summary = cli.json("audit", "--report", str(report))
    finally:
        moved.rename(block)
    assert code == 3 and summary["counts"] == {"authentic": 5, "unverifiable": 1}
    assert [t["verdict"] for t in json.loads(report.read_text())["tokens"]][1] == "unverifiable"
