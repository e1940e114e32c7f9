"""`check` names each setting collection.yaml contradicts in a recorded deployment: the transfer
policy and its hold (immutable in the contract) and freeze (deploy applies it only to the
contract it deploys) (trial of 2026-11-30)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nft_toolkit.deployment import load_record
from nft_toolkit.project import Project
from tests.support.cli import Cli


@pytest.mark.parametrize("edit, said", [
    (("freeze: true", "freeze: false"), "froze its metadata; collection.yaml says freeze: false"),
    (("freeze: true", "freeze: true\n  transfer_policy: gift_after_hold\n  hold_days: 30"),
     "has transfer policy free; collection.yaml says transfer_policy: gift_after_hold"),
], ids=["freeze", "transfer-policy"])
def test_a_setting_changed_after_deploy_is_a_failed_rule(cli, tmp_path: Path,
                                                         edit: tuple[str, str], said: str) -> None:
    copy = Cli(tmp_path / "copy", cli.env)  # the deployed project, its chain left behind
    shutil.copytree(cli.cwd, copy.cwd, ignore=shutil.ignore_patterns("chain"))
    record = load_record(Project(copy.cwd).deployment_path("development"))
    assert (record.frozen, record.transfer_policy) == (True, "free")
    code, report = copy.json("check")
    assert code == 0 and any(f["name"] == "fixed_settings" and f["ok"] for f in report["findings"])

    config = copy.cwd / "collection.yaml"
    text = config.read_text()
    assert edit[0] in text
    config.write_text(text.replace(edit[0], edit[1]))
    out = copy("check", "--json")
    assert out.returncode == 2, out.stdout
    failed = [f for f in json.loads(out.stdout)["findings"] if not f["ok"]]
    assert [f["name"] for f in failed] == ["fixed_settings"], failed
    assert said in failed[0]["detail"] and record.address in failed[0]["detail"]
    assert "deploy --force" in failed[0]["detail"]
