"""Layer and trait names as written on disk and in collection.yaml: one name however it is
written (NFC or NFD, surrounding or doubled spaces, and in collection.yaml any letter case)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from nft_toolkit.art.layers import load_layer_set
from nft_toolkit.config import load_config
from tests.support.art import make_project

Invoke = Callable[..., Result]
NFC, NFD = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")


@pytest.fixture
def odd_names(tmp_path: Path, sample_layers: Path) -> Path:
    """The sample layers with a folder '3-Eyes ' (trailing space), a trait file in NFD
    ('Café', as macOS writes names) and one with a doubled inner space."""
    layers = tmp_path / "p" / "layers"
    shutil.copytree(sample_layers, layers)
    (layers / "3-Eyes").rename(layers / "3-Eyes ")
    (layers / "2-Body" / "Red#10.png").rename(layers / "2-Body" / f"{NFD}#10.png")
    (layers / "5-Headwear" / "Top Hat#4.png").rename(layers / "5-Headwear" / "Top  Hat #4.png")
    return tmp_path / "p"


def traits_of(project: Path) -> list[dict[str, str]]:
    return [{a["trait_type"]: a["value"] for a in json.loads(p.read_text())["attributes"]}
            for p in sorted((project / "build" / "metadata").glob("*.json"))]


def test_names_reach_metadata_and_rarity_in_normal_form(invoke: Invoke, odd_names: Path) -> None:
    make_project(odd_names, size=200, layers={"dir": "layers"})
    result = invoke("generate", "--project", odd_names, "--count", 200)
    assert result.exit_code == 0, result.output
    items = traits_of(odd_names)
    assert all("Eyes" in t for t in items)
    assert {t["Body"] for t in items} >= {NFC} and NFD not in {t["Body"] for t in items}
    assert "Top Hat" in {t["Headwear"] for t in items}
    report = json.loads((odd_names / "build" / "rarity.json").read_text())["traits"]
    assert "Eyes" in report and "Eyes " not in report
    assert NFC in report["Body"] and "Top Hat" in report["Headwear"]


@pytest.mark.parametrize(("body", "headwear"), [
    (f"Body/{NFC}", "Headwear/Top Hat"),
    (f"Body/{NFD}", "Headwear/Top  Hat"),
    (f" body / {NFC.upper()} ", "HEADWEAR/top hat"),
])
def test_an_exclusion_written_either_way_names_the_trait(invoke: Invoke, odd_names: Path, body: str,
                                                         headwear: str) -> None:
    make_project(odd_names, size=200, layers={"dir": "layers", "exclusions": [[body, headwear]],
                                              "order": ["Background", "body", "EYES", "Mouth ",
                                                        "Headwear", "Accessory"]})
    config = load_config(odd_names / "collection.yaml")
    assert config.layers is not None
    space = load_layer_set(config.layers, config.path).space
    ((a, ta), (b, tb)), = space.exclusions
    assert (space.layers[a].name, space.layers[a].traits[ta].name) == ("Body", NFC)
    assert (space.layers[b].name, space.layers[b].traits[tb].name) == ("Headwear", "Top Hat")
    assert [layer.name for layer in space.layers] == ["Background", "Body", "Eyes", "Mouth",
                                                      "Headwear", "Accessory"]
    result = invoke("generate", "--project", odd_names, "--count", 200)
    assert result.exit_code == 0, result.output
    items = traits_of(odd_names)
    assert any(t["Body"] == NFC for t in items) and any(t["Headwear"] == "Top Hat" for t in items)
    assert not any(t["Body"] == NFC and t["Headwear"] == "Top Hat" for t in items)


def test_one_of_one_attributes_are_normalised_like_the_layers(invoke: Invoke, odd_names: Path) -> None:
    image = odd_names / "layers" / "2-Body" / "Blue#10.png"
    make_project(odd_names, size=10, layers={"dir": "layers", "one_of_ones": [
        {"image": str(image), "name": " Golden  Horse ",
         "attributes": {" Body": f"{NFD} ", "Eyes  ": "Gold"}}]})
    result = invoke("generate", "--project", odd_names, "--count", 10)
    assert result.exit_code == 0, result.output
    last = json.loads((odd_names / "build" / "metadata" / "10.json").read_text())
    assert last["name"] == "Golden Horse"
    attributes = {a["trait_type"]: a["value"] for a in last["attributes"]}
    assert (attributes["Body"], attributes["Eyes"]) == (NFC, "Gold")
    report = json.loads((odd_names / "build" / "rarity.json").read_text())["traits"]
    assert set(report) == {"Background", "Body", "Eyes", "Mouth", "Headwear", "Accessory"}


def test_emoji_names_are_names(invoke: Invoke, odd_names: Path) -> None:
    accessory = odd_names / "layers" / "6-Accessory"
    (accessory / "Coin#6.png").rename(accessory / "Fire \U0001F525#6.png")
    (accessory / "Horn#3.png").rename(accessory / "\U0001F469\u200d\U0001F4BB#3.png")
    make_project(odd_names, size=120, layers={"dir": "layers"})
    assert invoke("generate", "--project", odd_names).exit_code == 0
    values = {t["Accessory"] for t in traits_of(odd_names)}
    assert {"Fire \U0001F525", "\U0001F469\u200d\U0001F4BB"} <= values
