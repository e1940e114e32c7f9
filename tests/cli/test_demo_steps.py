"""What `demo` tells the user to run next works as printed: the toolkit by a path the shell
finds (a fresh clone's .venv/bin is not on PATH), and the page at serve's address."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nft_toolkit.cli.demo import next_steps, toolkit_command


def test_the_toolkit_is_named_by_a_path_the_shell_finds(tmp_path: Path) -> None:
    script = Path(sys.prefix) / "bin" / "nft-toolkit"
    assert script.exists()
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = "/usr/bin:/bin"  # a fresh shell: the venv not activated
    named = subprocess.run([sys.executable, "-c", "from nft_toolkit.cli.demo import "
                            "toolkit_command; print(toolkit_command())"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert named == str(script)
    out = subprocess.run(["sh", "-c", f"{named} --help"], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "verify" in out.stdout
    on_path = dict(env, PATH=f"{script.parent}:/usr/bin:/bin")
    assert subprocess.run([sys.executable, "-c", "from nft_toolkit.cli.demo import "
                           "toolkit_command; print(toolkit_command())"], env=on_path,
                          capture_output=True, text=True, check=True).stdout.strip() == (
        "nft-toolkit" if shutil.which("nft-toolkit", path=on_path["PATH"]) else str(script))
    assert toolkit_command(str(script)) in ("nft-toolkit", str(script))


def test_next_steps_use_that_command(tmp_path: Path) -> None:
    line = next_steps(tmp_path / "my demo", "/x/.venv/bin/nft-toolkit")
    assert f"cd '{tmp_path / 'my demo'}' && /x/.venv/bin/nft-toolkit chain start && " \
           "/x/.venv/bin/nft-toolkit serve" in line
    assert "http://127.0.0.1:8000/token/7" in line
