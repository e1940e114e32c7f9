"""``nft-toolkit init``: a valid project for the year, with the built-in theme or layers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from nft_toolkit.config import load_config

Invoke = Callable[..., Result]


def test_init_writes_a_zodiac_project(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "p", "--year", 2026, "--size", 50, "--seed", 3, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["zodiac"] == "Horse" and summary["element"] == "Fire"
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert (cfg.year, cfg.size, cfg.seed, cfg.theme) == (2026, 50, 3, "zodiac")
    assert cfg.contract.max_supply == 50 and cfg.royalty.bps == 500


def test_init_with_a_new_layers_folder_writes_a_sample_set(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "p", "--year", 2027, "--layers", tmp_path / "p" / "art")
    assert result.exit_code == 0, result.output
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert cfg.layers is not None and cfg.layers.dir == (tmp_path / "p" / "art").resolve()
    assert sorted(p.name for p in (tmp_path / "p" / "art").iterdir())[0] == "1-Background"
    assert cfg.name == "Year of the Goat 2027"


def test_init_refuses_bad_layers_and_leaves_no_config(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "art" / "1-Background").mkdir(parents=True)
    result = invoke("init", tmp_path / "p", "--year", 2026, "--layers", tmp_path / "art")
    assert result.exit_code == 2
    assert "empty layer folder" in result.stderr
    assert not (tmp_path / "p" / "collection.yaml").exists()


def test_init_does_not_overwrite_a_project(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("init", tmp_path, "--year", 2026).exit_code == 0
    before = (tmp_path / "collection.yaml").read_text()
    result = invoke("init", tmp_path, "--year", 2030)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (tmp_path / "collection.yaml").read_text() == before


def test_init_refuses_look_alike_trait_files_and_leaves_no_config(invoke: Invoke, tmp_path: Path
                                                                   ) -> None:
    from PIL import Image

    folder = tmp_path / "art" / "1-Frame"
    folder.mkdir(parents=True)
    for name in ("Frame#100.png", "Frame #100.png"):
        Image.new("RGBA", (32, 32)).save(folder / name)
    result = invoke("init", tmp_path / "p", "--year", 2026, "--layers", tmp_path / "art")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Frame #100.png" in lines[0] and "Frame#100.png" in lines[0]
    assert "differs only in spaces" in lines[0]
    assert not (tmp_path / "p" / "collection.yaml").exists()
