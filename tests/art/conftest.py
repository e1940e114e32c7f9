"""Fixtures of the artwork tests: the sample layer set and a project made from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nft_toolkit.art.sample_layers import write_sample_layers
from tests.support.art import PIXELS, make_project


@pytest.fixture(scope="session")
def sample_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six-layer sample set at 64 px (read-only: copy it before changing it)."""
    return write_sample_layers(tmp_path_factory.mktemp("layers") / "layers", PIXELS)


@pytest.fixture
def layers_project(tmp_path: Path, sample_layers: Path) -> Path:
    shutil.copytree(sample_layers, tmp_path / "project" / "layers")
    return make_project(tmp_path / "project", layers={"dir": "layers"})
