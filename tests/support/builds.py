"""Tiny collection builds for the IPFS tests: a build/ folder as `generate` leaves it, cheaply."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from nft_toolkit.cli import main
from nft_toolkit.project import Project


def make_build(root: Path, count: int = 5, seed: int = 1, nonce: str = "") -> Project:
    """build/images/<id>.png and build/metadata/<id>.json (image ""), and build/collection.json.

    Images are a PNG signature and seeded random bytes of 900 or 300,000 bytes (one or two
    chunks); `nonce` goes into every name, so a live node or service holds none of it yet.
    """
    rng = random.Random(seed)
    project = Project(root)
    if not project.config_path.exists():  # `pin` reads the cap and royalty from collection.yaml
        root.mkdir(parents=True, exist_ok=True)
        project.config_path.write_text(f"name: Year of the Horse\nsymbol: HORSE\nyear: 2026\n"
                                       f"size: {count}\n")
    for tid in range(1, count + 1):
        img = project.images_dir / f"{tid}.png"
        img.parent.mkdir(parents=True, exist_ok=True)
        img.write_bytes(b"\x89PNG\r\n\x1a\n" + nonce.encode() + rng.randbytes(rng.choice([900, 300_000])))
        meta = project.metadata_dir / f"{tid}.json"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"name": f"Horse #{tid}{nonce}", "image": ""}, indent=2) + "\n")
    project.contract_metadata_path.write_text(json.dumps({"name": f"Year of the Horse{nonce}"}) + "\n")
    return project


def init_project(root: Path, extra: str = "", count: int = 5) -> Project:
    """`nft-toolkit init` for a collection of `count`, then a build/ folder from `make_build`."""
    result = CliRunner().invoke(main, ["init", str(root), "--year", "2026", "--size", str(count)])
    assert result.exit_code == 0, result.output
    if extra:
        with open(root / "collection.yaml", "a") as fh:
            fh.write(extra)
    return make_build(root, count)
