"""``nft-toolkit`` run as a user runs it: a separate process in the project folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.project import Project
from tests.support.collection import build_collection

NFT_TOOLKIT = str(Path(sys.executable).parent / "nft-toolkit")
CUSTOMER = dev_account(1).address


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of the user's shell, without the signing secrets a test did not give."""
    env = dict(os.environ, COLUMNS="200", **extra)
    # English answers, whatever the shell running the tests speaks (a test may ask for another)
    for locale in ("LC_ALL", "LC_MESSAGES"):
        env.pop(locale, None)
    env["LANG"] = extra.get("LANG", "C.UTF-8")
    for secret in ("NFT_TOOLKIT_PRIVATE_KEY", "NFT_TOOLKIT_KEYSTORE_PASSWORD"):
        env.pop(secret, None)
    return env


@dataclass
class Cli:
    """`nft-toolkit` run as a user runs it: a separate process in the project folder."""

    cwd: Path
    env: dict[str, str] = field(default_factory=cli_env)

    def __call__(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([NFT_TOOLKIT, *args], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([NFT_TOOLKIT, *args], cwd=self.cwd, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def json(self, *args: str) -> tuple[int, dict]:
        out = self(*args, "--json")
        return out.returncode, json.loads(out.stdout)


def start_project(root: Path, size: int, max_supply: int | None = None) -> Cli:
    """A pinned collection of `size` items at `root` and its development chain, started."""
    build_collection(root, size, max_supply=max_supply)
    cli = Cli(root, cli_env(NFT_TOOLKIT_CHAIN_PORT=str(free_port())))
    out = cli("chain", "start")
    assert out.returncode == 0, out.stderr
    return cli


def copy_on_bank2(cli: Cli, root: Path) -> tuple[Cli, str]:
    """A copy of the deployed project (its chain left where it is), whose network `bank2` is
    the same ganache under another name: nothing deployed there yet. Returns the chain's URL."""
    shutil.copytree(cli.cwd, root, ignore=shutil.ignore_patterns("chain"))
    url = json.loads((Project(cli.cwd).chain_dir / "chain.json").read_text())["url"]
    (root / "networks.yaml").write_text(f"bank2:\n  rpc_url: {url}\n  chain_id: 1337\n")
    return Cli(root, cli.env), url
