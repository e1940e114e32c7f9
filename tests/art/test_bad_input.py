"""Every bad input: one line on stderr naming the file and the fix, exit code 2, and the
previous build left exactly as it was (output is staged, then renamed)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from tests.support.art import PIXELS, make_project, tree_digest

Invoke = Callable[..., Result]


@pytest.fixture
def built(invoke: Invoke, layers_project: Path) -> tuple[Path, dict[str, str]]:
    """A project with a good build, and the digest of that build."""
    result = invoke("generate", "--project", layers_project, "--count", 5)
    assert result.exit_code == 0, result.output
    return layers_project, tree_digest(layers_project / "build")


def fails_cleanly(invoke: Invoke, project: Path, before: dict[str, str], *words: str,
                  args: tuple[object, ...] = ()) -> str:
    result = invoke("generate", "--project", project, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert tree_digest(project / "build") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".build")] == []
    return lines[0]


def test_missing_layer_folder(invoke: Invoke, built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    shutil.rmtree(project / "layers")
    fails_cleanly(invoke, project, before, str(project / "layers"), "not found", "layers.dir")


def test_empty_layer_folder(invoke: Invoke, built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    folder = project / "layers" / "4-Mouth"
    shutil.rmtree(folder)
    folder.mkdir()
    fails_cleanly(invoke, project, before, str(folder), "empty layer folder", "add")


@pytest.mark.parametrize(("name", "content"), [
    ("notes.txt", b"remember the gold variant"),
    ("Fake#5.png", b"GIF89a this is not a png"),
    ("Truncated#5.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
])
def test_file_that_is_not_a_png(invoke: Invoke, built: tuple[Path, dict[str, str]], name: str,
                                content: bytes) -> None:
    project, before = built
    path = project / "layers" / "3-Eyes" / name
    path.write_bytes(content)
    fails_cleanly(invoke, project, before, str(path), "PNG")


def test_a_jpeg_named_png(invoke: Invoke, built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    path = project / "layers" / "3-Eyes" / "Photo#5.png"
    Image.new("RGB", (PIXELS, PIXELS)).save(path, "JPEG")
    fails_cleanly(invoke, project, before, str(path), "not a PNG")


def test_layers_of_different_sizes(invoke: Invoke, built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    path = project / "layers" / "5-Headwear" / "Crown#3.png"
    Image.new("RGBA", (PIXELS + 1, PIXELS)).save(path)
    fails_cleanly(invoke, project, before, str(path), f"{PIXELS + 1}x{PIXELS}",
                  f"{PIXELS}x{PIXELS}", "one size")


@pytest.mark.parametrize("weight", [
    "0", "-3", "0.0", "abc", "nan",
    # read as inf, 0.0 or nan by the generator, or not a form HashLips writes
    "1e400", "1e-400", "1E3", "inf", "Infinity", "NaN", "+5", "1_000", "0x10",
    "\u0661\u0660", "\uff11\uff10", "",
])
def test_zero_negative_or_bad_weight(invoke: Invoke, built: tuple[Path, dict[str, str]],
                                     weight: str) -> None:
    """A weight is a whole or decimal number that stays finite and above zero as a float."""
    project, before = built
    path = project / "layers" / "2-Body" / f"Red#{weight}.png"
    (project / "layers" / "2-Body" / "Red#10.png").rename(path)
    fails_cleanly(invoke, project, before, str(path), "weight", "Red#10.png")


@pytest.mark.parametrize(("existing", "added", "how"), [
    ("Red#10.png", "Red #10.png", "spaces"),
    ("Red#10.png", "Red  #10.png", "spaces"),
    ("Red#10.png", "\u00a0Red#10.png", "spaces"),
    ("Red#10.png", "red#5.png", "letter case"),
    ("Red#10.png", "RED.png", "letter case"),
    ("Red#10.png", "\uff32ed#10.png", "look-alike characters"),
    ("Red#10.png", "Red#5.png", "the same name"),
    ("Caf\u00e9#10.png", "Cafe\u0301#10.png", "Unicode composition"),
])
def test_look_alike_trait_files_are_refused_naming_both(
        invoke: Invoke, built: tuple[Path, dict[str, str]], existing: str, added: str,
        how: str) -> None:
    """Two files that would give traits looking the same in metadata and the rarity report."""
    project, before = built
    body = project / "layers" / "2-Body"
    if not (body / existing).exists():
        shutil.copyfile(body / "Blue#10.png", body / existing)
    shutil.copyfile(body / "Green#8.png", body / added)
    line = fails_cleanly(invoke, project, before, how, "rename or delete")
    assert (added in line and repr(existing) in line) or (existing in line and repr(added) in line)


@pytest.mark.parametrize(("folder", "how"), [
    ("7-Body ", "spaces"), ("7- Body", "the same name"), (" 7-Body", "the same name"), ("7-body", "letter case"),
    ("7-Bod\u0443", None),  # Cyrillic u: a different letter, fine as a name
])
def test_look_alike_layer_folders_are_refused_naming_both(
        invoke: Invoke, built: tuple[Path, dict[str, str]], folder: str, how: str | None) -> None:
    project, before = built
    shutil.copytree(project / "layers" / "2-Body", project / "layers" / folder)
    if how is None:
        assert invoke("generate", "--project", project, "--count", 5).exit_code == 0
        return
    line = fails_cleanly(invoke, project, before, "layer '", how, "rename or delete")
    assert (f"layers/{folder}:" in line and "'2-Body'" in line) or (
        "layers/2-Body:" in line and repr(folder) in line)


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u00ad", "\u202e", "\x07", "\u2060"])
@pytest.mark.parametrize("where", ["trait", "layer"])
def test_invisible_characters_in_names_are_refused(
        invoke: Invoke, built: tuple[Path, dict[str, str]], char: str, where: str) -> None:
    project, before = built
    if where == "trait":
        path = project / "layers" / "2-Body" / f"Re{char}d#10.png"
        (project / "layers" / "2-Body" / "Red#10.png").rename(path)
        fix = "rename the file"
    else:
        path = project / "layers" / f"3-{char}Eyes"
        (project / "layers" / "3-Eyes").rename(path)
        fix = "rename the folder"
    fails_cleanly(invoke, project, before, "invisible character", f"U+{ord(char):04X}", fix)


@pytest.mark.parametrize(("folder", "words"), [
    ("7-Edition", ("layer 'Edition'", "edition number", "rename")),
    ("7-year", ("'year'", "standard trait 'Year'", "rename it 'Year'")),
    ("7-\uff3aodiac", ("'\uff3aodiac'", "standard trait 'Zodiac'", "rename it 'Zodiac'")),
])
def test_a_layer_that_repeats_a_standard_trait_is_refused(
        invoke: Invoke, built: tuple[Path, dict[str, str]], folder: str,
        words: tuple[str, ...]) -> None:
    project, before = built
    shutil.copytree(project / "layers" / "2-Body", project / "layers" / folder)
    fails_cleanly(invoke, project, before, str(project / "layers" / folder), *words)


@pytest.mark.parametrize(("change", "words"), [
    ({"colour": "red"}, ("colour: unknown key", "remove it")),
    ({"size": "thirty"}, ("size: must be a whole number", "got text")),
    ({"royalty": {"bps": "5%"}}, ("royalty.bps: must be a whole number",)),
    ({"layers": {"dir": "layers", "exclusions": [["Body/Plaid", "Eyes/Round"]]}},
     ("'Body/Plaid'", "no trait 'Plaid'", "Red")),
    ({"layers": {"dir": "layers", "exclusions": [["Body/Re\u200bd", "Eyes/Round"]]}},
     ("layers.exclusions[0]", "invisible character", "U+200B")),
    ({"layers": {"dir": "layers", "order": ["Background", "Body", "Eyes", "Mouth", "Headwear",
                                            "Accessory", "Eyes "]}},
     ("layers.order: names a layer twice",)),
    ({"layers": {"dir": "layers", "one_of_ones": [
        {"image": "layers/2-Body/Red#10.png", "name": "Gold", "attributes": {"body": "Gold"}}]}},
     ("one_of_ones[0].attributes", "'body'", "write 'Body'")),
    ({"layers": {"dir": "layers", "one_of_ones": [
        {"image": "layers/2-Body/Red#10.png", "name": "Gold", "attributes": {"Body": "red"}}]}},
     ("one_of_ones[0].attributes", "'red'", "write 'Red'")),
    ({"layers": {"dir": "layers", "one_of_ones": [
        {"image": "layers/2-Body/Red#10.png", "name": "Gold", "attributes": {"zodiac": "Horse"}}]}},
     ("one_of_ones[0].attributes", "'zodiac'", "write 'Zodiac'")),
    ({"layers": {"dir": "layers", "one_of_ones": [
        {"image": "layers/2-Body/Red#10.png", "name": "Gold", "attributes": {"Edition": 1}}]}},
     ("one_of_ones[0].attributes", "'Edition' is every token's number", "remove it")),
    ({"layers": {"dir": "layers", "one_of_ones": [
        {"image": "layers/2-Body/Red#10.png", "name": "Gold",
         "attributes": {"Body": "Gold", "Body ": "Red"}}]}},
     ("one_of_ones[0].attributes.Body :", "given above it")),
    ({"layers": {"dir": "layers", "one_of_ones": [
        {"image": "layers/2-Body/Red#10.png", "name": "Gold"},
        {"image": "layers/2-Body/Blue#10.png", "name": "gold "}]}},
     ("one_of_ones[1].name", "earlier 1-of-1")),
])
def test_bad_collection_yaml(invoke: Invoke, built: tuple[Path, dict[str, str]],
                             change: dict[str, object], words: tuple[str, ...]) -> None:
    project, before = built
    make_project(project, **{"layers": {"dir": "layers"}, **change})
    fails_cleanly(invoke, project, before, str(project / "collection.yaml"), *words)


def test_impossible_count_states_the_maximum(invoke: Invoke, built: tuple[Path, dict[str, str]]
                                             ) -> None:
    project, before = built
    for layer in ("3-Eyes", "4-Mouth", "5-Headwear", "6-Accessory"):
        shutil.rmtree(project / "layers" / layer)
    # 6 backgrounds x 5 bodies = 30 combinations: 31 is impossible
    make_project(project, size=31, layers={"dir": "layers"})
    fails_cleanly(invoke, project, before, "31 items asked for", "at most 30 distinct",
                  "lower size/--count to 30")


def test_zero_count_and_zero_workers(invoke: Invoke, built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    fails_cleanly(invoke, project, before, "--count 0", args=("--count", 0))
    fails_cleanly(invoke, project, before, "--workers 0", args=("--workers", 0))


def test_no_project_here(invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("generate")
    assert result.exit_code == 2 and "nft-toolkit init" in result.stderr


def test_png_with_corrupt_pixel_data(invoke: Invoke, built: tuple[Path, dict[str, str]]) -> None:
    """Valid signature and chunk CRCs, but IDAT that does not inflate: caught up front."""
    import struct
    import zlib

    project, before = built
    path = project / "layers" / "3-Eyes" / "Broken#5.png"
    ihdr = struct.pack(">IIBBBBB", PIXELS, PIXELS, 8, 6, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", b"x\x9c" + b"\xff" * 40) + chunk(b"IEND", b""))
    fails_cleanly(invoke, project, before, str(path), "not a readable PNG")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_render_failure_is_reported_as_one_error(tmp_path: Path, sample_layers: Path,
                                                   workers: int) -> None:
    """A layer file that vanishes after validation: in-process or in a worker, one error."""
    from nft_toolkit.art.generate import plan_items, render_items
    from nft_toolkit.art.layers import LayerArtwork, load_layer_set
    from nft_toolkit.config import load_config
    from nft_toolkit.errors import GenerationError

    layers = tmp_path / "p" / "layers"
    shutil.copytree(sample_layers, layers)
    config = load_config(make_project(tmp_path / "p", layers={"dir": "layers"}) /
                         "collection.yaml")
    assert config.layers is not None
    artwork = LayerArtwork(load_layer_set(config.layers, config.path))
    items = plan_items(config, artwork, 30, config.seed)
    for path in (layers / "1-Background").iterdir():
        path.unlink()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(GenerationError, match="rendering failed at .*token"):
        render_items(artwork, items, out, workers)
