"""With --json, every outcome is one JSON object on stdout: a bad file, a bad argument or a
missing option too (``{"error": "<the line>", "exit_code": 2}``, the web API's ``error`` shape),
besides the one line on stderr; `verify`, `verify-file` and the other --json commands share the
CLI's one error handler. No chain: each refusal comes before one is asked."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli
from tests.support.copies import random_art

CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def _refused(out, *said: str) -> dict:
    """The JSON object `out` printed for its error, checked against its exit and stderr."""
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    answer = json.loads(lines[0])
    assert answer["exit_code"] == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip() == f"error: {answer['error']}"  # the same line, once each
    for words in said:
        assert words in answer["error"], answer
    return answer


def test_a_bad_file_with_json_is_a_json_error(tmp_path: Path) -> None:
    text = tmp_path / "note.png"
    text.write_text("not a picture at all")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(random_art(7)[:200])
    cli = Cli(tmp_path)
    _refused(cli("verify-file", str(text), "--json"), "is not a picture")
    _refused(cli("verify-file", str(truncated), "--json"), "cut.png")
    _refused(cli("verify-file", str(tmp_path / "missing.png"), "--json"), "does not exist")
    _refused(cli("verify-file", str(tmp_path), "--json"), "is a directory")  # click's own check
    _refused(cli("verify", "seven", "--json"), "'seven' is not a token ID")
    _refused(cli("verify", "7", "--json", "--contract", "0x1234"), "not an Ethereum address")
    _refused(cli("audit", "--json", "--contract", CONTRACT), "--issuer")
    # without --json, stdout stays empty: the line is on stderr only
    out = cli("verify-file", str(text))
    assert out.returncode == 2 and out.stdout == "" and "is not a picture" in out.stderr
