"""``python -m nft_toolkit.cli`` and ``python -m nft_toolkit`` run the ``nft-toolkit`` command
(a customer's trial: ``python -m nft_toolkit.cli`` said "cannot be directly executed"), with its
help, its one-line errors and its exit codes, in a process of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nft_toolkit.errors import EXIT_USAGE
from tests.support.cli import cli_env

ROOT = Path(__file__).resolve().parents[2]


def run(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m module args` on this checkout's code, in `cwd` (no project there)."""
    env = cli_env()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("module", ["nft_toolkit.cli", "nft_toolkit"])
def test_help_names_the_way_it_was_run_and_every_command(module: str, tmp_path: Path) -> None:
    out = run(module, "--help", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"Usage: python -m {module} "), out.stdout
    for command in ("verify", "verify-file", "serve", "pin"):
        assert f"\n  {command} " in out.stdout, out.stdout


@pytest.mark.parametrize("module", ["nft_toolkit.cli", "nft_toolkit"])
def test_a_file_that_is_no_picture_is_one_line_and_exit_2(module: str, tmp_path: Path) -> None:
    """verify-file refuses a file that is no picture before it reads the chain: one line on
    stderr naming the file, the usage exit code, no traceback; with --json, the error object."""
    notes = tmp_path / "notes.png"
    notes.write_text("not a picture\n")
    out = run(module, "verify-file", str(notes), cwd=tmp_path)
    assert out.returncode == EXIT_USAGE, (out.stdout, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(notes) in lines[0], lines
    assert "Traceback" not in out.stderr
    out = run(module, "verify-file", str(notes), "--json", cwd=tmp_path)
    assert out.returncode == EXIT_USAGE
    said = json.loads(out.stdout)
    assert said["exit_code"] == EXIT_USAGE and str(notes) in said["error"], said
