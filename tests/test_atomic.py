"""Atomic writes publish files with the modes ordinary writes would give them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from nft_toolkit import atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_and_folders_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic.write_json(tmp_path / "deployments" / "x.json", {"a": 1})
        with atomic.staged_dir(tmp_path / "metadata") as folder:
            (folder / "1.json").write_text("{}")
        os.umask(0o027)
        atomic.write_bytes(tmp_path / "group.bin", b"x")
    finally:
        os.umask(old)
    # the temporary names are private (mkstemp 0600, mkdtemp 0700): a published deployment
    # record and metadata folder once stayed so, unreadable to a web server's user
    assert mode(tmp_path / "deployments" / "x.json") == 0o644
    assert mode(tmp_path / "metadata") == 0o755
    assert mode(tmp_path / "group.bin") == 0o640


def test_a_replaced_file_keeps_its_own_mode(tmp_path: Path) -> None:
    private = tmp_path / "networks.yaml"
    private.write_text("old")
    private.chmod(0o600)
    atomic.write_text(private, "new")
    assert (private.read_text(), mode(private)) == ("new", 0o600)
