"""A block of the local store damaged at rest (a byte changed on disk after `pin`): `audit` and
`check` tell the bank its store is damaged, naming the block, and `pin` writes it again from
build/ (found by a fresh user's trial: two `serve` instances disagreed, one holding the verified
bytes by CID, the other reading the damaged block; the README says which is right)."""

from __future__ import annotations

from pathlib import Path

from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from tests.support.cli import Cli

TOKEN = 3


def test_a_damaged_store_is_named_and_pin_repairs_it(cli: Cli, tmp_path: Path) -> None:
    project = Project(cli.cwd)
    image = Manifest.load(project.manifest_path).tokens[TOKEN].image_cid
    block = BlockStore(project.store_dir).block_path(image)
    whole = block.read_bytes()
    damaged = bytearray(whole)
    damaged[len(damaged) // 2] ^= 0x01
    block.write_bytes(bytes(damaged))
    try:
        code, summary = cli.json("audit", "--report", str(tmp_path / "audit.json"))
        assert code == 1 and summary["counts"] == {"authentic": 5, "tampered": 1}, summary
        assert [Cid.parse(c).multihash for c in summary["damaged_blocks"]] == [
            Cid.parse(image).multihash]
        out = cli("audit", "--report", str(tmp_path / "audit.json"))
        said = " ".join(out.stdout.split())
        assert out.returncode == 1 and f"the local store {project.store_dir} is damaged" in said
        assert "`nft-toolkit pin` writes the blocks again" in said, out.stdout

        out = cli("check")
        said = " ".join((out.stdout + out.stderr).split())
        assert out.returncode == 2 and "is damaged" in said and "nft-toolkit pin" in said, said

        out = cli("pin")
        assert out.returncode == 0, out.stderr
        assert block.read_bytes() == whole  # written again, the same CIDs
    finally:
        if block.read_bytes() != whole:
            block.write_bytes(whole)
    assert cli("check").returncode == 0
    code, summary = cli.json("audit", "--report", str(tmp_path / "audit.json"))
    assert code == 0 and summary["counts"] == {"authentic": 6} and "damaged_blocks" not in summary
