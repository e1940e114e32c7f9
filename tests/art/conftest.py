"""Fixtures of the artwork tests: small collection projects and a CLI runner."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from nft_toolkit.art.sample_layers import write_sample_layers
from nft_toolkit.cli import main

PIXELS = 64


def make_project(root: Path, **overrides: object) -> Path:
    """A collection project in `root`; `overrides` replace top-level collection.yaml keys."""
    root.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"name": "Year of the Horse 2026", "symbol": "HORSE26",
                               "year": 2026, "size": 30, "seed": 7, "image_size": PIXELS,
                               "external_url": "https://bank.example/horse",
                               "royalty": {"bps": 500}}
    data.update(overrides)
    (root / "collection.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return root


@pytest.fixture(scope="session")
def sample_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six-layer sample set at 64 px (read-only: copy it before changing it)."""
    return write_sample_layers(tmp_path_factory.mktemp("layers") / "layers", PIXELS)


@pytest.fixture
def layers_project(tmp_path: Path, sample_layers: Path) -> Path:
    import shutil

    shutil.copytree(sample_layers, tmp_path / "project" / "layers")
    return make_project(tmp_path / "project", layers={"dir": "layers"})


@pytest.fixture
def cli() -> Callable[..., Result]:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return run


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path (hidden files included)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
