"""Opens the Brownie project and its development chain for the benchmark scripts."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def toolchain_env() -> None:
    """Points py-solc-x at the project's pinned solc and puts ganache on PATH."""
    os.environ.setdefault("SOLCX_BINARY_PATH", str(ROOT / ".solc"))
    bin_dir = str(ROOT / "node_modules" / ".bin")
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def open_project():
    """Loads and compiles the project, connects to a fresh development chain."""
    toolchain_env()
    from brownie import network, project

    from brownie._config import CONFIG

    proj = project.load(str(ROOT), name="NftToolkitBench")
    proj.load_config()
    # Like the tests (conftest.py): a run of its own on a port of its own, so it never attaches
    # to (and reverts) a chain that another run started.
    port = os.environ.get("NFT_TOOLKIT_BROWNIE_PORT")
    if port:
        CONFIG.networks["ganache-cli"]["cmd_settings"]["port"] = int(port)
    network.connect("ganache-cli")
    return proj
