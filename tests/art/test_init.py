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


def test_a_chinese_collection_gets_a_chinese_description(invoke: Invoke, tmp_path: Path) -> None:
    import re

    expected = {"en": "A limited collection celebrating the Year of the Tiger 2022.",
                "zh": "庆祝壬寅虎年（2022年）的限量纪念藏品。"}
    expected["bilingual"] = f"{expected['zh']} {expected['en']}"
    for language, description in expected.items():
        project = tmp_path / language
        assert invoke("init", project, "--year", 2022, "--size", 2, "--seed", 1).exit_code == 0
        config = project / "collection.yaml"
        config.write_text(re.sub(r"card_language: en\b", f"card_language: {language}",
                                 config.read_text()))
        result = invoke("generate", "--project", project, "--workers", 1)
        assert result.exit_code == 0, result.output
        for name in ("metadata/1.json", "collection.json"):
            meta = json.loads((project / "build" / name).read_text())
            assert meta["description"] == description, (language, name)


def test_the_template_names_the_collections_own_year_and_the_transfer_choice(
        invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("init", tmp_path / "p", "--year", 2022).exit_code == 0
    text = (tmp_path / "p" / "collection.yaml").read_text()
    assert "en: YEAR OF THE TIGER; zh: 壬寅虎年;" in text and "HORSE" not in text
    policy = text.splitlines()[text.splitlines().index(
        "  transfer_policy: free   # free | non_transferable | gift_after_hold") + 1]
    assert "free lets holders sell" in policy and "gift_after_hold or non_transferable" in policy
