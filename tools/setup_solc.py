"""Provide the pinned solc for Brownie in ``.solc/``, the folder SOLCX_BINARY_PATH points at.

A native binary of the pinned version is used when one can be had (already installed by
py-solc-x, on PATH, or downloadable); otherwise a shim runs the same compiler release from the
npm ``solc`` package (see tools/solcjs-cli.js). Both produce identical bytecode.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pinned_version() -> str:
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())
    return str(config["compiler"]["solc"]["version"])


def reported_version(exe: str | Path) -> str | None:
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if line.startswith("Version: "):
            return line.split()[1].split("+")[0]
    return None


def npm_solc_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"]["node_modules/solc"]["version"]


def find_native(version: str, target: Path) -> Path | None:
    candidates = [Path.home() / ".solcx" / f"solc-v{version}", shutil.which("solc")]
    for exe in filter(None, candidates):
        if Path(exe).is_file() and reported_version(exe) == version:
            return Path(exe)
    if os.environ.get("NFT_TOOLKIT_SOLC") == "npm":
        return None
    try:  # py-solc-x downloads the official binary where the internet answers.
        import solcx

        solcx.install_solc(version, show_progress=False, solcx_binary_path=target.parent)
        return target if reported_version(target) == version else None
    except Exception:
        return None


def main() -> int:
    version = pinned_version()
    target = ROOT / ".solc" / f"solc-v{version}"
    target.parent.mkdir(exist_ok=True)
    if target.exists() and reported_version(target) == version:
        return 0
    native = find_native(version, target)
    if native is not None:
        if native != target:
            target.unlink(missing_ok=True)
            target.symlink_to(native)
        print(f"solc {version}: native binary {native}")
        return 0
    if npm_solc_version() != version:
        print(f"error: brownie-config.yaml pins solc {version} but package.json has solc "
              f"{npm_solc_version()}; make them equal", file=sys.stderr)
        return 2
    target.unlink(missing_ok=True)
    target.write_text(f'#!/bin/sh\nexec node "{ROOT / "tools" / "solcjs-cli.js"}" "$@"\n')
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(f"solc {version}: no native binary here, using the npm solc package")
    return 0 if reported_version(target) == version else 1


if __name__ == "__main__":
    sys.exit(main())
