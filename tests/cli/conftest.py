"""A pinned 12-item collection, deployed and half minted through the CLI on a real ganache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from tests.verify.builder import build_collection

CUSTOMER = dev_account(1).address
NFT_TOOLKIT = str(Path(sys.executable).parent / "nft-toolkit")


@dataclass
class Cli:
    """Runs `nft-toolkit` as a user would: a separate process in the project folder."""

    cwd: Path
    env: dict[str, str]

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([NFT_TOOLKIT, *args], cwd=self.cwd,
                              env=self.env, capture_output=True, text=True, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([NFT_TOOLKIT, *args], cwd=self.cwd,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def json(self, *args: str) -> tuple[int, dict]:
        out = self(*args, "--json")
        return out.returncode, json.loads(out.stdout)


def start_project(root: Path, size: int, max_supply: int | None = None) -> Cli:
    build_collection(root, size, max_supply=max_supply)
    env = dict(os.environ, NFT_TOOLKIT_CHAIN_PORT=str(free_port()), COLUMNS="200")
    env.pop("NFT_TOOLKIT_PRIVATE_KEY", None)
    cli = Cli(root, env)
    out = cli("chain", "start")
    assert out.returncode == 0, out.stderr
    return cli


@pytest.fixture(scope="package")
def cli(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("cli") / "horse"
    cli = start_project(root, 12)
    try:
        out = cli("deploy")
        assert out.returncode == 0, out.stderr
        out = cli("mint", "--to", CUSTOMER, "--count", "6", "--batch-size", "4")
        assert out.returncode == 0, out.stderr
        yield cli
    finally:
        cli("chain", "stop")
