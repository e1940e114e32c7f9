"""A pinned 12-item collection, deployed and half minted through the CLI on a real ganache."""

from __future__ import annotations

import pytest

from tests.support.cli import CUSTOMER, start_project


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
