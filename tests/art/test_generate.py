"""Generation through the CLI: byte-identical output for any worker count, unique DNA,
schema-valid metadata, a correct rarity report, 1-of-1s, exclusions and layer order."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import Result
from PIL import Image

from tests.art import schemas
from tests.support.art import PIXELS, make_project, tree_digest

Invoke = Callable[..., Result]


def generate(invoke: Invoke, project: Path, *args: object) -> dict[str, object]:
    result = invoke("generate", "--project", project, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def metadata(project: Path) -> dict[int, dict[str, object]]:
    folder = project / "build" / "metadata"
    return {int(p.stem): json.loads(p.read_text()) for p in folder.glob("*.json")}


def test_layer_set_output_is_byte_identical_for_any_worker_count(invoke: Invoke, layers_project: Path,
                                                                 tmp_path: Path) -> None:
    generate(invoke, layers_project, "--workers", 1)
    first = tree_digest(layers_project / "build")
    shutil.copytree(layers_project, tmp_path / "copy")
    generate(invoke, tmp_path / "copy", "--workers", 2)
    generate(invoke, layers_project, "--workers", 3)
    assert tree_digest(layers_project / "build") == first
    assert tree_digest(tmp_path / "copy" / "build") == first
    names = set(first)
    assert {f"images/{i}.png" for i in range(1, 31)} <= names
    assert {f"metadata/{i}.json" for i in range(1, 31)} <= names
    assert {"rarity.json", "rarity.txt", "preview.png", "preview.gif", "collection.json",
            "_metadata.json"} <= names
    assert "copies-details.bin" in names  # the details, for pin's copies index
    assert len(names) == 67  # nothing else: no temporary files left behind


def test_another_seed_gives_other_items(invoke: Invoke, layers_project: Path) -> None:
    generate(invoke, layers_project, "--workers", 1)
    before = {i: m["dna"] for i, m in metadata(layers_project).items()}
    generate(invoke, layers_project, "--workers", 1, "--seed", 8)
    after = {i: m["dna"] for i, m in metadata(layers_project).items()}
    assert sum(before[i] != after[i] for i in before) > 20


def test_zodiac_theme_is_deterministic_and_draws_all_twelve_animals(invoke: Invoke, tmp_path: Path
                                                                    ) -> None:
    project = make_project(tmp_path / "z", size=24, image_size=96, zodiac={"animals": "all"})
    generate(invoke, project, "--workers", 2)
    first = tree_digest(project / "build")
    generate(invoke, project, "--workers", 1)
    assert tree_digest(project / "build") == first
    meta = metadata(project)
    animals = Counter(next(a["value"] for a in m["attributes"] if a["trait_type"] == "Zodiac")
                      for m in meta.values())
    assert len(animals) >= 6  # 24 draws over 12 equally likely animals (9 with this seed)
    with Image.open(project / "build" / "images" / "1.png") as im:
        assert im.size == (96, 96)


def test_zodiac_year_mode_uses_the_years_animal_and_element(invoke: Invoke, tmp_path: Path) -> None:
    project = make_project(tmp_path / "z", size=6, image_size=PIXELS, year=2024)
    generate(invoke, project)
    for m in metadata(project).values():
        attrs = {a["trait_type"]: a["value"] for a in m["attributes"]}
        assert attrs["Zodiac"] == "Dragon" and attrs["Element"] == "Wood"
        assert attrs["Year"] == 2024


def test_dna_is_unique_and_matches_the_traits(invoke: Invoke, layers_project: Path) -> None:
    generate(invoke, layers_project)
    meta = metadata(layers_project)
    assert sorted(meta) == list(range(1, 31))
    assert len({m["dna"] for m in meta.values()}) == 30
    traits = {tuple((a["trait_type"], a["value"]) for a in m["attributes"][:6])
              for m in meta.values()}
    assert len(traits) == 30


def test_every_metadata_file_follows_the_erc721_schema(invoke: Invoke, layers_project: Path) -> None:
    generate(invoke, layers_project)
    token = jsonschema.Draft202012Validator(schemas.TOKEN)
    for token_id, m in metadata(layers_project).items():
        token.validate(m)
        attrs = {a["trait_type"]: a for a in m["attributes"]}
        assert not {"Year", "Zodiac", "Element", "Edition"} & set(attrs)  # not asked for
        assert m["edition"] == token_id
        assert m["image"] == ""
        assert m["external_url"] == f"https://bank.example/horse/{token_id}"
        assert m["name"] == f"Year of the Horse 2026 #{token_id}"
    contract = json.loads((layers_project / "build" / "collection.json").read_text())
    jsonschema.Draft202012Validator(schemas.CONTRACT).validate(contract)
    assert contract["seller_fee_basis_points"] == 500 and contract["symbol"] == "HORSE26"


def test_schema_rejects_what_it_should(invoke: Invoke, layers_project: Path) -> None:
    """The schema is not vacuous: a broken copy of a real file fails it."""
    generate(invoke, layers_project, "--count", 2)
    m = metadata(layers_project)[1]
    validator = jsonschema.Draft202012Validator(schemas.TOKEN)
    for broken in ({**m, "image": "http://x"}, {**m, "attributes": [{"value": 1}] * 4},
                   {k: v for k, v in m.items() if k != "name"}, {**m, "dna": "xyz"}):
        assert not validator.is_valid(broken)


def test_rarity_report_matches_the_metadata(invoke: Invoke, layers_project: Path) -> None:
    generate(invoke, layers_project)
    meta = metadata(layers_project)
    report = json.loads((layers_project / "build" / "rarity.json").read_text())
    n = len(meta)
    counts: dict[str, Counter[str]] = {}
    for m in meta.values():
        for a in m["attributes"]:
            if a["trait_type"] != "Edition":
                counts.setdefault(a["trait_type"], Counter())[str(a["value"])] += 1
    assert report["items"] == n
    assert {t: {v: e["count"] for v, e in vs.items()} for t, vs in report["traits"].items()} == \
        {t: dict(c) for t, c in counts.items()}
    for t, vs in report["traits"].items():
        for v, e in vs.items():
            assert e["percent"] == round(100 * counts[t][v] / n, 2)
    for token_id, m in meta.items():
        expected = sum(n / counts[a["trait_type"]][str(a["value"])] for a in m["attributes"]
                       if a["trait_type"] != "Edition")
        assert report["tokens"][str(token_id)]["score"] == pytest.approx(expected)
    ranked = sorted(report["tokens"].items(), key=lambda kv: kv[1]["rank"])
    assert ranked[0][1]["rank"] == 1
    scores = [e["score"] for _, e in ranked]
    assert scores == sorted(scores, reverse=True)
    for (_, a), (_, b) in zip(ranked, ranked[1:]):
        assert (a["rank"] == b["rank"]) == (a["score"] == b["score"])
    text = (layers_project / "build" / "rarity.txt").read_text()
    assert "Rarity report: 30 items" in text
    assert f"{counts['Body']['Blue']:>7}" in text and "%" in text


def test_exclusions_are_never_drawn_and_shrink_the_space(invoke: Invoke, tmp_path: Path,
                                                         sample_layers: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(sample_layers, root / "layers")
    # Body Red never with Background Sky nor Dawn; Gold never with Headwear None.
    make_project(root, size=60, layers={"dir": "layers", "exclusions": [
        ["Body/Red", "Background/Sky"], ["Body/Red", "Background/Dawn"],
        ["Body/Gold", "Headwear/None"]]})
    generate(invoke, root)
    for m in metadata(root).values():
        t = {a["trait_type"]: a["value"] for a in m["attributes"]}
        assert not (t["Body"] == "Red" and t["Background"] in ("Sky", "Dawn"))
        assert not (t["Body"] == "Gold" and t["Headwear"] == "None")


def test_layer_order_from_config_overrides_prefixes(invoke: Invoke, tmp_path: Path,
                                                    sample_layers: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(sample_layers, root / "layers")
    order = ["Background", "Body", "Eyes", "Mouth", "Accessory", "Headwear"]
    make_project(root, size=3, layers={"dir": "layers", "order": order})
    generate(invoke, root)
    assert [a["trait_type"] for a in metadata(root)[1]["attributes"][:6]] == order


def test_one_of_ones_take_the_last_ids_with_their_own_image(invoke: Invoke, tmp_path: Path,
                                                            sample_layers: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(sample_layers, root / "layers")
    (root / "special").mkdir()
    Image.new("RGBA", (PIXELS, PIXELS), (250, 200, 0, 255)).save(root / "special" / "gold.png")
    make_project(root, size=10, layers={"dir": "layers", "one_of_ones": [
        {"image": "special/gold.png", "name": "The Golden Horse",
         "attributes": {"Background": "Gold Leaf", "Body": "Solid Gold"}}]})
    generate(invoke, root)
    build = root / "build"
    assert (build / "images" / "10.png").read_bytes() == (root / "special/gold.png").read_bytes()
    m = metadata(root)
    assert m[10]["name"] == "The Golden Horse"
    assert {"trait_type": "Body", "value": "Solid Gold"} in m[10]["attributes"]
    assert len({x["dna"] for x in m.values()}) == 10
    report = json.loads((build / "rarity.json").read_text())
    assert report["tokens"]["10"]["rank"] == 1  # its values appear once


def test_a_nearly_full_trait_space_is_filled_exactly(invoke: Invoke, tmp_path: Path,
                                                     sample_layers: Path) -> None:
    root = tmp_path / "p"
    for layer in ("1-Background", "4-Mouth"):
        shutil.copytree(sample_layers / layer, root / "layers" / layer)
    make_project(root, size=24, layers={"dir": "layers"})  # 6 x 4 = 24 combinations
    generate(invoke, root)
    combos = {tuple(a["value"] for a in m["attributes"][:2]) for m in metadata(root).values()}
    assert len(combos) == 24


@pytest.mark.parametrize("record", ["deployments/development.json",
                                    ".nft-toolkit/journal/deploy-development.json"])
def test_generate_refuses_to_replace_a_deployed_build(invoke: Invoke, layers_project: Path,
                                                      record: str) -> None:
    """Found by a new user: `generate` after `deploy` silently replaced the build a frozen
    contract committed to, and the manifest with it."""
    assert invoke("generate", "--project", layers_project, "--count", "3").exit_code == 0
    (layers_project / record).parent.mkdir(parents=True, exist_ok=True)
    (layers_project / record).write_text("{}")  # any record of a deployment
    before = tree_digest(layers_project / "build")
    result = invoke("generate", "--project", layers_project, "--count", "3", "--seed", "9")
    assert result.exit_code == 2 and "records a deployment of this build" in result.output
    assert tree_digest(layers_project / "build") == before
    forced = invoke("generate", "--project", layers_project, "--count", "3", "--seed", "9", "--force")
    assert forced.exit_code == 0 and tree_digest(layers_project / "build") != before
