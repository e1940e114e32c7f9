"""HashLips layer folders as artists have them: HashLips' own sample (tests/data/hashlips), with
folders named for the layer alone, a folder of another size, and no zodiac year."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from PIL import Image

from nft_toolkit.config import load_config

Invoke = Callable[..., Result]
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "hashlips" / "layers"
# init's guess: the opaque Background first, then by name, with Eye color moved above the opaque
# Eyeball that would hide it (HashLips' own config.js order is Eyeball, Eye color, Iris, Shine,
# Bottom lid, Top lid)
SEVEN = ["Background", "Bottom lid", "Eyeball", "Eye color", "Iris", "Shine", "Top lid"]


@pytest.fixture
def hashlips(tmp_path: Path) -> Path:
    """A copy of HashLips' sample layers folder, as its users have it."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "layers"))


def _edit(project: Path, **changes: object) -> None:
    path = project / "collection.yaml"
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        section, _, sub = key.partition("__")
        if sub:
            data.setdefault(section, {})[sub] = value
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_init_on_the_hashlips_sample_makes_a_working_collection(invoke: Invoke, tmp_path: Path,
                                                                hashlips: Path) -> None:
    result = invoke("init", tmp_path / "eyes", "--layers", hashlips, "--size", 6, "--seed", 2)
    assert result.exit_code == 0, result.output
    config = tmp_path / "eyes" / "collection.yaml"
    text = config.read_text()
    cfg = load_config(config)
    assert cfg.year is None and cfg.layers is not None
    assert list(cfg.layers.order or ()) == SEVEN
    assert "Goo" in result.stderr and "1000x1000" in result.stderr  # left out, with a note
    assert "Eye color: put after Eyeball" in result.stderr  # moved, with a note
    assert "# note: Goo" in text and "order: [Background, Bottom lid" in text
    generated = invoke("generate", "--project", tmp_path / "eyes", "--workers", 1)
    assert generated.exit_code == 0, generated.output
    build = tmp_path / "eyes" / "build"
    with Image.open(build / "images" / "1.png") as im:
        assert im.size == (512, 512)
    meta = {i: json.loads((build / "metadata" / f"{i}.json").read_text()) for i in range(1, 7)}
    for token_id, m in meta.items():
        assert [a["trait_type"] for a in m["attributes"]] == SEVEN  # no Year, Zodiac, Edition
        assert m["edition"] == token_id
    assert json.loads((build / "_metadata.json").read_text()) == [meta[i] for i in range(1, 7)]
    rarity = json.loads((build / "rarity.json").read_text())
    assert set(rarity["traits"]) == set(SEVEN)


def test_init_never_guesses_an_order_that_hides_a_trait(invoke: Invoke, tmp_path: Path,
                                                       hashlips: Path) -> None:
    """Items that differ only in one layer's trait differ in their pictures, for every layer:
    the guess by name alone put Eye color under the opaque Eyeball, so an item's metadata named
    an eye colour that its picture did not show."""
    assert invoke("init", tmp_path / "p", "--layers", hashlips, "--size", 60, "--seed", 5
                  ).exit_code == 0
    assert invoke("generate", "--project", tmp_path / "p", "--workers", 1).exit_code == 0
    build = tmp_path / "p" / "build"
    traits = {i: {a["trait_type"]: a["value"] for a in json.loads(
        (build / "metadata" / f"{i}.json").read_text())["attributes"]} for i in range(1, 61)}
    shown = set()
    for a in traits:
        for b in traits:
            differ = [t for t in SEVEN if traits[a][t] != traits[b][t]]
            if a < b and len(differ) == 1 and differ[0] not in shown:
                with Image.open(build / "images" / f"{a}.png") as one, \
                        Image.open(build / "images" / f"{b}.png") as other:
                    assert one.tobytes() != other.tobytes(), (differ[0], a, b)
                shown.add(differ[0])
    assert {"Eye color", "Iris", "Top lid", "Bottom lid"} <= shown  # pairs were found to compare


def test_the_order_init_wrote_can_be_edited(invoke: Invoke, tmp_path: Path,
                                            hashlips: Path) -> None:
    """HashLips' own config.js order, written over init's guess, changes the stacking."""
    assert invoke("init", tmp_path / "p", "--layers", hashlips, "--size", 3, "--seed", 2
                  ).exit_code == 0
    assert invoke("generate", "--project", tmp_path / "p", "--workers", 1).exit_code == 0
    guessed = (tmp_path / "p" / "build" / "images" / "1.png").read_bytes()
    _edit(tmp_path / "p", layers__order=["Background", "Eyeball", "Eye color", "Iris", "Shine",
                                         "Bottom lid", "Top lid"])
    assert invoke("generate", "--project", tmp_path / "p", "--workers", 1).exit_code == 0
    assert (tmp_path / "p" / "build" / "images" / "1.png").read_bytes() != guessed


def test_without_an_order_the_error_says_what_to_write(invoke: Invoke, tmp_path: Path,
                                                      hashlips: Path) -> None:
    assert invoke("init", tmp_path / "p", "--layers", hashlips, "--size", 3).exit_code == 0
    config = tmp_path / "p" / "collection.yaml"
    data = yaml.safe_load(config.read_text())
    del data["layers"]["order"]
    config.write_text(yaml.safe_dump(data))
    result = invoke("generate", "--project", tmp_path / "p")
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "layers.order: [Background, Bottom lid" in line and str(config) in line
    assert config.exists()  # the file the advice names is there to edit


def test_init_checks_the_layers_before_writing(invoke: Invoke, tmp_path: Path,
                                               hashlips: Path) -> None:
    for png in (hashlips / "Iris").iterdir():
        png.unlink()
    result = invoke("init", tmp_path / "p", "--layers", hashlips)
    assert result.exit_code == 2 and "Iris: empty layer folder" in result.stderr
    assert "collection.yaml" not in result.stderr  # it names no file that is not there
    assert not (tmp_path / "p" / "collection.yaml").exists()


def test_the_theme_still_needs_a_year(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "p")
    assert result.exit_code == 2 and "--year" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p" / "collection.yaml").exists()


def test_image_size_scales_a_folder_of_another_size(invoke: Invoke, tmp_path: Path,
                                                    hashlips: Path) -> None:
    assert invoke("init", tmp_path / "p", "--layers", hashlips, "--size", 2, "--seed", 1
                  ).exit_code == 0
    _edit(tmp_path / "p", image_size=[256, 256], layers__order=[*SEVEN, "Goo"])
    result = invoke("generate", "--project", tmp_path / "p", "--workers", 1)
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "p" / "build" / "images" / "1.png") as im:
        assert im.size == (256, 256)
        # Goo (green, over the whole canvas) is on top, scaled from 1000 px: no gap at the edge
        with Image.open(hashlips / "Goo" / "Green#1.png") as goo:
            scaled = goo.convert("RGBA").resize((256, 256), Image.Resampling.LANCZOS)
        corner = (0, 0)
        assert scaled.getpixel(corner)[3] == 255  # the goo is opaque there
        assert im.convert("RGB").getpixel(corner) == scaled.convert("RGB").getpixel(corner)


def test_zodiac_attributes_only_when_asked(invoke: Invoke, tmp_path: Path, hashlips: Path
                                           ) -> None:
    assert invoke("init", tmp_path / "p", "--layers", hashlips, "--size", 2).exit_code == 0
    _edit(tmp_path / "p", zodiac__attributes=True)
    result = invoke("generate", "--project", tmp_path / "p")
    assert result.exit_code == 2 and "zodiac.attributes: needs the zodiac year" in result.stderr
    _edit(tmp_path / "p", year=2026)
    result = invoke("generate", "--project", tmp_path / "p", "--workers", 1)
    assert result.exit_code == 0, result.output
    m = json.loads((tmp_path / "p" / "build" / "metadata" / "2.json").read_text())
    attrs = {a["trait_type"]: a["value"] for a in m["attributes"]}
    assert (attrs["Year"], attrs["Zodiac"], attrs["Element"], attrs["Edition"]) == (
        2026, "Horse", "Fire", 2)


def test_shared_prefixes_give_the_same_pixels_as_compositing_each_item() -> None:
    from nft_toolkit.art.layers import LayerArtwork, load_layer_set
    from nft_toolkit.art.render import compose
    from nft_toolkit.config import LayersConfig

    layer_set = load_layer_set(LayersConfig(dir=SAMPLE, order=tuple(SEVEN)), SAMPLE,
                               image_size=(128, 128))
    # room for 5 canvases of 128x128: Background x Bottom lid (1x3) fits, x Eye color (18) not
    art = LayerArtwork(layer_set, prefix_bytes=5 * 4 * 128 * 128)
    assert art.prefix_depth() == 2
    plain = LayerArtwork(layer_set, prefix_bytes=0)
    assert plain.prefix_depth() == 0
    for token_id, choice in layer_set.space.plan(4, range(1, 41)).items():
        shared = art.render(choice, token_id)
        assert len(art._prefixes) <= 3
        assert shared.tobytes() == compose(art.size, plain.sprites(choice, token_id)).tobytes()


def test_init_points_at_hashlips_config_js_when_it_is_there(invoke: Invoke, tmp_path: Path
                                                            ) -> None:
    checkout = tmp_path / "hashlips_art_engine"
    shutil.copytree(SAMPLE, checkout / "layers")
    (checkout / "src").mkdir()
    shutil.copy(SAMPLE.parent / "config.js", checkout / "src" / "config.js")
    result = invoke("init", tmp_path / "p", "--layers", checkout / "layers")
    assert result.exit_code == 0, result.output
    assert f"nft-toolkit import-hashlips {checkout / 'src' / 'config.js'}" in result.stderr
    advised = result.stderr.split("`")[1]  # the command init names, run as the user would
    assert advised.startswith("nft-toolkit import-hashlips ") and "--project" in advised
    init_text = (tmp_path / "p" / "collection.yaml").read_text()
    imported = invoke(*shlex.split(advised)[1:])
    assert imported.exit_code == 0, imported.output
    assert (tmp_path / "p" / "collection.yaml.bak").read_text() == init_text
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert cfg.name == "Your Collection" and cfg.size == 5  # config.js's, not init's
    assert "collection.yaml.bak" in imported.output


def test_import_force_keeps_every_earlier_collection_yaml(invoke: Invoke, tmp_path: Path
                                                          ) -> None:
    (tmp_path / "collection.yaml").write_text("name: mine\n")
    (tmp_path / "collection.yaml.bak").write_text("name: older\n")
    result = invoke("import-hashlips", SAMPLE.parent / "config.js", SAMPLE, "--project",
                    tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "collection.yaml.bak").read_text() == "name: older\n"
    assert (tmp_path / "collection.yaml.bak.2").read_text() == "name: mine\n"
    assert load_config(tmp_path / "collection.yaml").name == "Your Collection"


def test_next_says_cd_only_for_another_folder(invoke: Invoke, tmp_path: Path, hashlips: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    here = invoke("init", ".", "--layers", hashlips)
    assert here.exit_code == 0, here.output
    assert "Next: nft-toolkit generate" in here.output and "cd ." not in here.output
    there = invoke("init", "q", "--layers", hashlips)
    assert "Next: cd q && nft-toolkit generate" in there.output
