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


def test_a_batch_is_written_whole_file_by_file_and_synced_once(tmp_path: Path,
                                                               monkeypatch) -> None:
    syncs: list[int] = []
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "sync", lambda: syncs.append(1))
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd)))
    kept = tmp_path / "2.json"
    kept.write_text("old")
    kept.chmod(0o600)

    def files():
        for i in range(1, 4):
            yield tmp_path / f"{i}.json", f"{{\"n\": {i}}}".encode()
        raise RuntimeError("a later file changed")  # as pin refuses a file edited meanwhile
    try:
        atomic.write_batch(files())
    except RuntimeError:
        pass
    # each file written before the failure is complete under its name; no temporary is left
    assert [(tmp_path / f"{i}.json").read_text() for i in (1, 2, 3)] == [
        '{"n": 1}', '{"n": 2}', '{"n": 3}']
    assert mode(kept) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.json", "2.json", "3.json"]
    assert fsyncs == []  # no fsync per file...
    assert atomic.write_batch((tmp_path / f"{i}.json", b"x") for i in range(4, 104)) == 100
    assert syncs == [1] and fsyncs == []  # ...one sync for the whole batch
    assert atomic.write_batch(iter(())) == 0 and syncs == [1]
