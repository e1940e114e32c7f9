"""Small generated-art projects for the artwork and consistency tests, and a folder's digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

PIXELS = 64


def make_project(root: Path, **overrides: object) -> Path:
    """A collection project in `root`; `overrides` replace top-level collection.yaml keys.

    A layers project gets no `image_size` (its layers' own size) unless `overrides` give one.
    """
    root.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"name": "Year of the Horse 2026", "symbol": "HORSE26",
                               "year": 2026, "size": 30, "seed": 7, "image_size": PIXELS,
                               "external_url": "https://bank.example/horse",
                               "royalty": {"bps": 500}}
    if "layers" in overrides:
        del data["image_size"]
    data.update(overrides)
    (root / "collection.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return root


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path (hidden files included)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
