"""HashLips' feature set in collection.yaml: blend modes and opacity, bypass_dna, display names,
a background colour, extra metadata, JPEG and WebP layers, the preview GIF."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image, ImageChops

from nft_toolkit.art.blend import blend_onto
from nft_toolkit.art.layers import background_colour
from tests.support.art import make_project, tree_digest

Invoke = Callable[..., Result]
BACK, TOP = (200, 100, 50), (100, 150, 250)


def _two_layers(root: Path, suffix: str = ".png") -> Path:
    """Layers 1-Back (one opaque colour) and 2-Top (a half-canvas square, two colours)."""
    for folder, traits in (("1-Back", {"Warm": BACK}), ("2-Top", {"Blue": TOP,
                                                                  "Grey": (128, 128, 128)})):
        (root / "layers" / folder).mkdir(parents=True)
        for name, rgb in traits.items():
            image = Image.new("RGBA", (32, 32), (*rgb, 255) if folder == "1-Back" else (0,) * 4)
            if folder == "2-Top":
                image.paste((*rgb, 255), (0, 0, 16, 32))
            path = root / "layers" / folder / f"{name}#1{suffix}"
            if suffix == ".png":
                image.save(path)
            else:  # lossless, so pixels can be compared exactly
                image.save(path, lossless=True) if suffix == ".webp" else \
                    image.convert("RGB").save(path, quality=100)
    return root


def _build(invoke: Invoke, project: Path, *args: object) -> Path:
    result = invoke("generate", "--project", project, "--workers", 1, *args)
    assert result.exit_code == 0, result.output
    return project / "build"


def _pixel(build: Path, token_id: int, xy: tuple[int, int]) -> tuple[int, ...]:
    with Image.open(build / "images" / f"{token_id}.png") as im:
        return tuple(im.convert("RGB").getpixel(xy))


@pytest.mark.parametrize("mode, chops", [
    ("multiply", ImageChops.multiply), ("screen", ImageChops.screen),
    ("overlay", ImageChops.overlay), ("darken", ImageChops.darker),
    ("lighten", ImageChops.lighter), ("difference", ImageChops.difference),
    ("hard-light", ImageChops.hard_light), ("soft-light", ImageChops.soft_light),
])
def test_blend_modes_are_pillows_over_an_opaque_backdrop(invoke: Invoke, tmp_path: Path,
                                                         mode: str, chops: object) -> None:
    root = _two_layers(tmp_path)
    make_project(root, size=2, layers={"dir": "layers", "options": [
        {"layer": "Top", "blend": mode}]})
    build = _build(invoke, root)
    expected = chops(Image.new("RGB", (1, 1), BACK), Image.new("RGB", (1, 1), TOP))  # type: ignore[operator]
    meta = {i: json.loads((build / "metadata" / f"{i}.json").read_text()) for i in (1, 2)}
    blue = next(i for i, m in meta.items() if m["attributes"][1]["value"] == "Blue")
    assert _pixel(build, blue, (4, 4)) == expected.getpixel((0, 0))
    assert _pixel(build, blue, (24, 4)) == BACK  # outside the top layer: the backdrop


def test_opacity_mixes_the_layer_with_the_backdrop(invoke: Invoke, tmp_path: Path) -> None:
    root = _two_layers(tmp_path)
    make_project(root, size=2, layers={"dir": "layers", "options": [
        {"layer": "Top", "opacity": 0.5}]})
    build = _build(invoke, root)
    colours = {_pixel(build, i, (4, 4)) for i in (1, 2)}
    half = tuple(round((b + t) / 2) for b, t in zip(BACK, TOP))
    assert any(max(abs(c - h) for c, h in zip(colour, half)) <= 1 for colour in colours)


def test_blending_onto_transparency_keeps_the_sources_colour() -> None:
    canvas = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    blend_onto(canvas, Image.new("RGBA", (2, 2), (*TOP, 255)), (1, 1), "multiply")
    assert canvas.getpixel((1, 1)) == (*TOP, 255) and canvas.getpixel((0, 0)) == (0, 0, 0, 0)


def test_bypass_dna_counts_items_without_the_layer(invoke: Invoke, tmp_path: Path) -> None:
    root = _two_layers(tmp_path)
    make_project(root, size=2, layers={"dir": "layers", "options": [
        {"layer": "Top", "bypass_dna": True, "display_name": "Overlay"}]})
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2 and "at most 1 distinct" in result.stderr  # 1 Back x (Top)
    make_project(root, size=1, layers={"dir": "layers", "options": [
        {"layer": "Top", "bypass_dna": True, "display_name": "Overlay"}]})
    build = _build(invoke, root)
    meta = json.loads((build / "metadata" / "1.json").read_text())
    assert [a["trait_type"] for a in meta["attributes"]] == ["Back", "Overlay"]
    import hashlib
    assert meta["dna"] == hashlib.sha256(b"Back=Warm").hexdigest()  # without the bypassed layer


def test_options_naming_no_layer_are_refused(invoke: Invoke, tmp_path: Path) -> None:
    root = _two_layers(tmp_path)
    make_project(root, size=1, layers={"dir": "layers", "options": [{"layer": "Hat"}]})
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2
    assert "layers.options names layer 'Hat'" in result.stderr and "Back, Top" in result.stderr
    make_project(root, size=1, layers={"dir": "layers", "options": [
        {"layer": "Top", "blend": "dissolve"}]})
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2 and "layers.options[0].blend: invalid value" in result.stderr


def test_background_colour_fixed_and_generated(invoke: Invoke, tmp_path: Path) -> None:
    root = tmp_path / "p"
    for folder in ("1-Top",):
        (root / "layers" / folder).mkdir(parents=True)
        for n in range(4):
            image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
            image.paste((0, 0, 0, 255), (n, 0, n + 4, 4))
            image.save(root / "layers" / folder / f"Dot{n}#1.png")
    make_project(root, size=4, layers={"dir": "layers", "background": "#336699"})
    build = _build(invoke, root)
    assert {_pixel(build, i, (20, 20)) for i in range(1, 5)} == {(0x33, 0x66, 0x99)}
    make_project(root, size=4, seed=5, layers={"dir": "layers", "background": "generated"})
    build = _build(invoke, root)
    colours = [_pixel(build, i, (20, 20)) for i in range(1, 5)]
    assert colours == [background_colour("generated", 5, i)[:3] for i in range(1, 5)]
    assert len(set(colours)) > 1
    first = tree_digest(build)
    assert tree_digest(_build(invoke, root, "--workers", 2)) == first  # any worker count


def test_extra_metadata_is_in_every_token(invoke: Invoke, tmp_path: Path) -> None:
    root = _two_layers(tmp_path)
    make_project(root, size=2, layers={"dir": "layers"},
                 extra_metadata={"artist": "Ｌｉ Bai", "compiler": "nft-toolkit", "series": 2})
    build = _build(invoke, root)
    for i in (1, 2):
        meta = json.loads((build / "metadata" / f"{i}.json").read_text(encoding="utf-8"))
        assert (meta["artist"], meta["compiler"], meta["series"]) == ("Ｌｉ Bai", "nft-toolkit", 2)
    make_project(root, size=2, layers={"dir": "layers"}, extra_metadata={"dna": "x"})
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2 and "extra_metadata.dna: is a key every token" in result.stderr


@pytest.mark.parametrize("suffix", [".jpg", ".webp"])
def test_jpeg_and_webp_layers(invoke: Invoke, tmp_path: Path, suffix: str) -> None:
    root = _two_layers(tmp_path, suffix)
    make_project(root, size=2, layers={"dir": "layers"})
    build = _build(invoke, root)
    top = {_pixel(build, i, (4, 4)) for i in (1, 2)}
    if suffix == ".webp":  # lossless, with alpha: the square over the backdrop
        assert top == {TOP, (128, 128, 128)} and _pixel(build, 1, (24, 4)) == BACK
    else:  # JPEG has no alpha: the top layer covers the canvas, its colours within JPEG's error
        assert all(max(abs(a - b) for a, b in zip(_pixel(build, i, (24, 4)), (0, 0, 0))) <= 3
                   for i in (1, 2))


def test_a_file_whose_bytes_are_not_its_name_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    root = _two_layers(tmp_path)
    (root / "layers" / "2-Top" / "Blue#1.png").rename(root / "layers" / "2-Top" / "Blue#1.jpg")
    make_project(root, size=2, layers={"dir": "layers"})
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2 and "a PNG image named .jpg" in result.stderr


def test_preview_gif_shows_the_first_items(invoke: Invoke, layers_project: Path) -> None:
    build = _build(invoke, layers_project, "--count", 14)
    with Image.open(build / "preview.gif") as gif:
        assert gif.n_frames == 12 and gif.info["loop"] == 0 and gif.info["duration"] == 500
        gif.seek(3)
        frame = gif.convert("RGB")
    with Image.open(build / "images" / "4.png") as im:
        expected = im.convert("RGB").resize(frame.size, Image.Resampling.LANCZOS)
    # 256 colours: close to the item, not to another
    diff = ImageChops.difference(frame, expected).convert("L")
    assert sum(diff.tobytes()) / (frame.width * frame.height) < 12


def test_layer_configurations_by_edition_range(invoke: Invoke, tmp_path: Path) -> None:
    root = _two_layers(tmp_path)
    (root / "layers" / "3-Hat").mkdir()
    for n, rgb in enumerate([(10, 200, 10), (200, 10, 10), (10, 10, 10)]):
        image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
        image.paste((*rgb, 255), (16, 0, 32, 8))
        image.save(root / "layers" / "3-Hat" / f"Hat{n}#1.png")
    layers = {"dir": "layers", "configurations": [
        {"up_to": 2, "order": ["Back", "Top"]},
        {"up_to": 5, "order": ["Back", "Hat"]}]}
    make_project(root, size=5, layers=layers)
    build = _build(invoke, root)
    meta = {i: json.loads((build / "metadata" / f"{i}.json").read_text()) for i in range(1, 6)}
    assert [[a["trait_type"] for a in meta[i]["attributes"]] for i in range(1, 6)] == \
        [["Back", "Top"]] * 2 + [["Back", "Hat"]] * 3
    assert len({m["dna"] for m in meta.values()}) == 5
    assert _pixel(build, 4, (20, 2)) != BACK and _pixel(build, 1, (20, 2)) == BACK
    first = tree_digest(build)
    assert tree_digest(_build(invoke, root, "--workers", 2)) == first
    # each range within its own capacity, and the ranges cover the size
    make_project(root, size=5, layers={**layers, "configurations": [
        {"up_to": 3, "order": ["Back", "Top"]}, {"up_to": 5, "order": ["Back", "Hat"]}]})
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2 and "editions 1-3 (layers.configurations[0])" in result.stderr
    make_project(root, size=6, layers=layers)
    result = invoke("generate", "--project", root)
    assert result.exit_code == 2 and "up to 5, below size 6" in result.stderr
