"""``nft-toolkit import-hashlips CONFIG_JS LAYERS``: HashLips' own config.js (tests/data/hashlips)
and edited copies of it, read by Node, written as a collection.yaml that generates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from nft_toolkit.art.hashlips import read_config_js

from nft_toolkit.config import load_config

Invoke = Callable[..., Result]
DATA = Path(__file__).resolve().parents[1] / "data" / "hashlips"
ORDER = ["Background", "Eyeball", "Eye color", "Iris", "Shine", "Bottom lid", "Top lid"]


def test_hashlips_sample_config_imports_and_generates(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("import-hashlips", DATA / "config.js", DATA / "layers", "--project",
                    tmp_path / "p", "--seed", 4)
    assert result.exit_code == 0, result.output
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert (cfg.name, cfg.symbol, cfg.size, cfg.seed) == ("Your Collection", "YC", 5, 4)
    assert cfg.description == "Remember to replace this description"
    assert cfg.layers is not None and list(cfg.layers.order or ()) == ORDER
    assert cfg.image_size == (512, 512) and cfg.layers.background == "generated"
    assert "not used: Goo" in result.stderr
    generated = invoke("generate", "--project", tmp_path / "p", "--workers", 1)
    assert generated.exit_code == 0, generated.output
    meta = json.loads((tmp_path / "p" / "build" / "metadata" / "5.json").read_text())
    assert [a["trait_type"] for a in meta["attributes"]] == ORDER
    assert meta["name"] == "Your Collection #5" and meta["edition"] == 5


def test_layer_options_format_background_and_extra_metadata(invoke: Invoke, tmp_path: Path
                                                             ) -> None:
    text = (DATA / "config.js").read_text()
    text = text.replace('{ name: "Shine" }', '{ name: "Shine", options: { blend: MODE.screen, '
                        'opacity: 0.7, bypassDNA: true, displayName: "Glint" } }')
    text = text.replace("growEditionSizeTo: 5", "growEditionSizeTo: 12")
    text = text.replace("width: 512,\n  height: 512", "width: 256,\n  height: 256")
    text = text.replace("static: false", "static: true").replace('default: "#000000"',
                                                                  'default: "#1A2B3C"')
    text = text.replace("const extraMetadata = {};",
                        'const extraMetadata = { creator: "Bank of Example", series: 1 };')
    config = tmp_path / "config.js"
    config.write_text(text)
    result = invoke("import-hashlips", config, DATA / "layers", "--project", tmp_path / "p")
    assert result.exit_code == 0, result.output
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert cfg.layers is not None and cfg.size == 12 and cfg.image_size == (256, 256)
    (shine,) = cfg.layers.options
    assert (shine.layer, shine.blend, shine.opacity, shine.bypass_dna, shine.display_name) == (
        "Shine", "screen", 0.7, True, "Glint")
    assert cfg.layers.background == "#1a2b3c"
    assert dict(cfg.extra_metadata) == {"creator": "Bank of Example", "series": 1}
    generated = invoke("generate", "--project", tmp_path / "p", "--workers", 1)
    assert generated.exit_code == 0, generated.output
    meta = json.loads((tmp_path / "p" / "build" / "metadata" / "1.json").read_text())
    assert "Glint" in [a["trait_type"] for a in meta["attributes"]]
    assert meta["creator"] == "Bank of Example"


@pytest.mark.parametrize(("config", "size"), [
    ("config-v1.0.6.js", 10),  # require(path.join(basePath, "src/blendMode.js"))
    ("config-v1.0.9.js", 5),   # require("path"), process.pkg, constants/ via path.join
    ("config.js", 5),          # v1.1.2: require(`${basePath}/constants/blend_mode.js`)
    ("config-head.js", 20),    # the same, network sol
])
def test_every_hashlips_config_shape_imports(invoke: Invoke, tmp_path: Path, config: str,
                                             size: int) -> None:
    result = invoke("import-hashlips", DATA / config, DATA / "layers", "--project",
                    tmp_path / "p", "--seed", 1)
    assert result.exit_code == 0, result.output
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert cfg.layers is not None and list(cfg.layers.order or ()) == ORDER
    assert cfg.size == size and cfg.image_size == (512, 512)


@pytest.mark.parametrize("required", [
    "./constants/blend_mode", "../constants/blend_mode.js",
    "C:\\hl\\constants\\blend_mode.js", "/snapshot/hashlips/src/blendMode.js"])
def test_hashlips_constants_resolve_whatever_the_path(tmp_path: Path, required: str) -> None:
    config = tmp_path / "config.js"
    config.write_text(f'const path = require("node:path");\n'
                      f'const {{ MODE }} = require({json.dumps(required)});\n'
                      f'const {{ NETWORK }} = require(path.join(process.cwd(), "network"));\n'
                      'module.exports = { layerConfigurations: [], m: MODE.multiply, '
                      'n: NETWORK.sol, base: path.dirname(process.execPath) };\n')
    data = read_config_js(config)
    assert (data["m"], data["n"]) == ("multiply", "sol") and data["base"]


def test_a_config_that_is_not_hashlips_fails_in_one_line(invoke: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "config.js"
    bad.write_text('const fs = require("fs");\nmodule.exports = {};\n')
    result = invoke("import-hashlips", bad, DATA / "layers", "--project", tmp_path / "p")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "requires fs" in lines[0]
    bad.write_text('const path = require("path");\nrequire(path.join(process.cwd(), "lib/x.js"));\n')
    result = invoke("import-hashlips", bad, DATA / "layers", "--project", tmp_path / "p")
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and "requires /hashlips/lib/x.js" in lines[0]
    assert not (tmp_path / "p" / "collection.yaml").exists()
    loop = tmp_path / "loop.js"
    loop.write_text("while (true) {}\n")
    result = invoke("import-hashlips", loop, DATA / "layers", "--project", tmp_path / "q")
    assert result.exit_code == 2 and "timed out" in result.stderr
    assert not (tmp_path / "q" / "collection.yaml").exists()


def test_import_does_not_overwrite_a_project(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "collection.yaml").write_text("name: mine\n")
    result = invoke("import-hashlips", DATA / "config.js", DATA / "layers", "--project", tmp_path)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (tmp_path / "collection.yaml").read_text() == "name: mine\n"


def test_several_layer_configurations_import_by_edition_range(invoke: Invoke, tmp_path: Path
                                                              ) -> None:
    text = (DATA / "config.js").read_text().replace(
        "  },\n];", '  },\n  {\n    growEditionSizeTo: 8,\n    layersOrder: [{ name: "Background" '
        '}, { name: "Eyeball" }, { name: "Iris" }, { name: "Top lid" }],\n  },\n];')
    config = tmp_path / "config.js"
    config.write_text(text)
    result = invoke("import-hashlips", config, DATA / "layers", "--project", tmp_path / "p",
                    "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["orders"] == [
        ORDER, ["Background", "Eyeball", "Iris", "Top lid"]]
    cfg = load_config(tmp_path / "p" / "collection.yaml")
    assert cfg.size == 8 and cfg.layers is not None
    assert [c.up_to for c in cfg.layers.configurations] == [5, 8]
    assert invoke("generate", "--project", tmp_path / "p", "--workers", 1).exit_code == 0
    meta = json.loads((tmp_path / "p" / "build" / "metadata" / "6.json").read_text())
    assert [a["trait_type"] for a in meta["attributes"]] == ["Background", "Eyeball", "Iris",
                                                             "Top lid"]
