"""Root pytest configuration: the toolchain and the local chain for the Brownie tests, and the
fixtures every test folder may use. Shared helpers that are not fixtures live in tests/support/."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent

# py-solc-x finds the pinned compiler here (tools/setup_solc.py), Brownie finds ganache-cli on PATH.
os.environ.setdefault("SOLCX_BINARY_PATH", str(ROOT / ".solc"))
_bin = str(ROOT / "node_modules" / ".bin")
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Brownie's "development" network runs anvil; this project's local chain is ganache, and
    # brownie-config.yaml cannot name a default network (see the comment there).
    if hasattr(config.option, "network") and not config.option.network:
        config.option.network = ["ganache-cli"]
    # Two test runs on one machine need two chains: Brownie attaches to whatever already listens
    # on its port, so a second run would share (and revert) the first one's chain.
    port = os.environ.get("NFT_TOOLKIT_BROWNIE_PORT")
    if port:
        from brownie._config import CONFIG

        CONFIG.networks["ganache-cli"]["cmd_settings"]["port"] = int(port)


@pytest.fixture
def invoke() -> Callable[..., Result]:
    """``nft-toolkit`` in this process (click's runner): ``invoke("generate", "--count", 3)``;
    exceptions propagate. For the CLI as a separate process, see tests/support/cli.py."""
    from nft_toolkit.cli import main

    runner = CliRunner()

    def run(*args: object) -> Result:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return run
