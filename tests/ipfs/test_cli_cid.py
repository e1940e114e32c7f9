"""``nft-toolkit cid`` prints what Kubo prints for the same path."""

from __future__ import annotations

import json

from click.testing import CliRunner

from nft_toolkit.cli import main


def test_cid_command_matches_kubo(kubo, tmp_path):
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_text("<h1>horse</h1>\n")
    (root / "sub" / "big.bin").write_bytes(bytes(range(256)) * 5000)
    runner = CliRunner()
    for path in (root, root / "index.html"):
        result = runner.invoke(main, ["cid", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == kubo.cid(path)


def test_cid_command_v1_json(tmp_path):
    (tmp_path / "hello").write_bytes(b"hello world")
    result = CliRunner().invoke(main, ["cid", "--cid-version", "1", "--json", str(tmp_path / "hello")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["cid"] == "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
    assert doc["size"] == 11


def test_cid_command_refuses_fifo(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe")
    result = CliRunner().invoke(main, ["cid", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a regular file" in result.output
