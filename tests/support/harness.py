"""What the fault, forgery and release tests share: chains started by `nft-toolkit chain start`,
projects deployed on them, and the convergence check of a mint (the CLI as a subprocess is
:mod:`tests.support.cli`)."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.deployer import deploy, plan_for_project
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID, free_port
from nft_toolkit.deployment import DeploymentRecord
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.project import Project
from tests.support.cli import Cli, cli_env
from tests.support.collection import build_collection

ZERO = "0x0000000000000000000000000000000000000000"


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL, as a crash or an OOM killer would; no handler runs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


class LocalChainProcess:
    """A development chain started with `nft-toolkit chain start` in its own home project."""

    def __init__(self, home: Path) -> None:
        build_collection(home, 2)
        self.cli = Cli(home, cli_env(NFT_TOOLKIT_CHAIN_PORT=str(free_port())))
        self.home = home

    def start(self) -> str:
        out = self.cli("chain", "start", "--json")
        assert out.returncode == 0, out.stderr
        self.url = json.loads(out.stdout)["url"]
        return self.url

    def pid(self) -> int:
        return int(json.loads((Project(self.home).chain_dir / "chain.json").read_text())["pid"])

    def stop(self) -> None:
        self.cli("chain", "stop")


def deployed_project(root: Path, url: str, *, max_supply: int, size: int | None = None,
                     freeze: bool = True, issuer_index: int = 0,
                     chain_id: int = DEV_CHAIN_ID) -> tuple[Project, DeploymentRecord]:
    """A pinned project of `size` items (default: the cap, every ID mintable) whose contract
    (cap `max_supply`) is deployed at `url`."""
    project = build_collection(root, size or max_supply, max_supply=max_supply, freeze=freeze)
    signer = dev_account(issuer_index)
    plan = plan_for_project(project.load_config(), Manifest.load(project.manifest_path), signer.address)
    record = deploy(Chain(url, chain_id), signer, plan, "development",
                    project.journal_dir / "deploy-development.json",
                    project.deployment_path("development"))
    return project, record


def journal_records(project: Project) -> list[dict]:
    path = project.journal_dir / "mint-development.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_bytes().split(b"\n")[:-1] if line.strip()]


def check_converged(project: Project, url: str, record: DeploymentRecord,
                    planned: list[str]) -> None:
    """Every planned token exactly once, nothing else minted, and a consistent journal.

    `planned` is the owner of each ID from 1, for every run on this contract.
    """
    contract = Chain(url, DEV_CHAIN_ID).collection(record.address)
    f = contract.functions
    assert f.totalMinted().call() == len(planned)
    assert f.totalSupply().call() == len(planned)
    cap = f.maxSupply().call()
    owners = f.ownersInRange(1, cap).call()
    owners += [ZERO] * (cap - len(owners))
    assert owners[:len(planned)] == planned, "an ID is not owned as planned"
    assert set(owners[len(planned):]) <= {ZERO}, "minted beyond the plan"
    check_journal(project, record)


def check_journal(project: Project, record: DeploymentRecord) -> None:
    """The journal: each run's plan first, each batch done at most once and only after it was
    planned, every run complete or abandoned, and the completed runs tiling IDs 1..N."""
    runs: dict[str, dict] = {}
    for rec in journal_records(project):
        if rec["type"] == "plan":
            assert rec["run"] not in runs and rec["contract"] == record.address
            runs[rec["run"]] = {"plan": rec, "done": set(), "end": None}
            continue
        run = runs[rec["run"]]
        assert run["end"] is None, f"record after the end of run {rec['run']}: {rec}"
        if rec["type"] == "done":
            assert rec["batch"] not in run["done"], "a batch done twice"
            run["done"].add(rec["batch"])
        elif rec["type"] in ("complete", "abandoned"):
            run["end"] = rec["type"]
    next_id = 1
    for run in runs.values():
        assert run["end"] == "complete", "an unfinished run is left in the journal"
        plan = run["plan"]
        assert plan["first"] == next_id
        assert run["done"] == {b["index"] for b in plan["batches"]}
        next_id = plan["batches"][-1]["last"] + 1
