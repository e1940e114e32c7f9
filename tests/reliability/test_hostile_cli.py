"""Hostile arguments and files given to the real `nft-toolkit` process (no chain needed): each
ends within its time bound, with a documented exit code, one `error:` line and no traceback,
and leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.collection import build_collection

CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
CLOSED = "http://127.0.0.1:9"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi"))

CASES = {
    "verify-file of an endless file": (["verify-file", "/dev/zero", "--contract", CONTRACT,
                                        "--issuer", ISSUER, "--rpc-url", CLOSED, "--gateway", CLOSED],
                                       {2}, "over 64 MiB"),
    "airdrop from an endless file": (["mint", "--airdrop", "/dev/zero", "--rpc-url", CLOSED,
                                      "--chain-id", "1337"], {2}, "over 64 MiB"),
    "airdrop of binary bytes": (["mint", "--airdrop", "garbage.bin", "--rpc-url", CLOSED,
                                 "--chain-id", "1337"], {2}, "airdrop file"),
    "cid of a device": (["cid", "/dev/zero"], {2}, "not a regular file"),
    "contract not an address": (["verify", "1", "--contract", "0xZZ", "--issuer", ISSUER,
                                 "--rpc-url", CLOSED, "--gateway", CLOSED], {2}, "not an Ethereum address"),
    "a 10^30 token ID": (["verify", "1" + "0" * 30, "--contract", CONTRACT, "--issuer", ISSUER,
                          "--rpc-url", CLOSED, "--gateway", CLOSED], {2, 3}, ""),
    "a malformed RPC URL": (["verify", "1", "--contract", CONTRACT, "--issuer", ISSUER,
                             "--rpc-url", "http://[::1", "--gateway", CLOSED], {2, 3}, ""),
    "a file as the project": (["audit", "--project", "garbage.bin"], {2}, ""),
    "a YAML bomb as collection.yaml": (["generate", "--project", "bomb"], {2}, "collection.yaml"),
    "a negative count": (["mint", "--to", ISSUER, "--count", "-5"], {2}, ""),
    "a control character in a path": (["cid", "a\x01b"], {2}, ""),
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "p"
    build_collection(root, 2)
    (root / "garbage.bin").write_bytes(bytes(range(256)) * 64)
    (root / "bomb").mkdir()
    (root / "bomb" / "collection.yaml").write_text(BOMB)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_invocation(workdir: Path, case: str) -> None:
    argv, codes, words = CASES[case]
    before = snapshot(workdir)
    out = Cli(workdir)(*argv, timeout=60)
    assert out.returncode in codes, (case, out.returncode, out.stderr[-500:])
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    if not out.stdout.strip():  # (verify prints its report, an unverifiable one, on stdout)
        lines = out.stderr.strip().splitlines()
        assert lines and (lines[-1].startswith("error: ") or lines[-1].startswith("Error: ")), out.stderr
        assert words in lines[-1], lines[-1]
    assert snapshot(workdir) == before, f"{case}: files changed"
