"""A keystore's password asked with no terminal to ask it on (`</dev/null`, CI, a pipe) is one
line naming $NFT_TOOLKIT_KEYSTORE_PASSWORD, exit 2: never GetPassWarning and `Aborted!` (exit 1)
(trial of 2026-11-30). Every command that asks shares one prompt (nft_toolkit/cli/prompts.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from eth_account import Account

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from tests.support.cli import CUSTOMER, NFT_TOOLKIT, Cli, copy_on_bank2


def keystore(tmp_path: Path) -> Path:
    path = tmp_path / "issuer.json"
    path.write_text(json.dumps(Account.encrypt(dev_account(0).key, "pw", kdf="pbkdf2",
                                               iterations=2)))
    return path


def without_terminal(cli: Cli, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NFT_TOOLKIT, *args], cwd=cli.cwd, env=cli.env, text=True,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=300)


@pytest.mark.parametrize("command", ["deploy", "mint", "prove"])
def test_a_password_prompt_without_a_terminal_is_one_line(cli, tmp_path: Path,
                                                           command: str) -> None:
    key = str(keystore(tmp_path))
    if command == "deploy":  # a network where nothing is deployed yet, on the same chain
        cli, _ = copy_on_bank2(cli, tmp_path / "copy")
        args = ("deploy", "--network", "bank2", "--keystore", key)
    elif command == "mint":
        args = ("mint", "--keystore", key, "--to", CUSTOMER, "--count", "1")
    else:
        args = ("prove", "1", "--keystore", key, "--service", f"http://127.0.0.1:{free_port()}")
    out = without_terminal(cli, *args)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2, out.stderr
    assert lines[-1].startswith("error: no terminal to ask the keystore password on: set "
                                "$NFT_TOOLKIT_KEYSTORE_PASSWORD"), out.stderr
    assert "GetPassWarning" not in out.stderr and "Aborted" not in out.stderr
