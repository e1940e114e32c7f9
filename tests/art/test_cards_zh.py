"""Chinese and bilingual zodiac cards: the sexagenary year, the animals' Chinese names, every
glyph drawn from the pinned font (none falls back to the missing-glyph box), same bytes for any
worker count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image, ImageDraw, ImageFont

from nft_toolkit.art.calendar import ANIMALS, chinese_animal, chinese_year_name, sexagenary_year
from nft_toolkit.art.zodiac.theme import ZodiacArtwork
from nft_toolkit.fonts import cjk_font_path
from tests.support.art import make_project, tree_digest

Invoke = Callable[..., Result]

# Years and their names in the sexagenary cycle (stem, branch), from the Chinese calendar.
YEARS = {1900: "庚子", 1911: "辛亥", 1949: "己丑", 1984: "甲子", 1997: "丁丑", 2000: "庚辰",
         2008: "戊子", 2020: "庚子", 2022: "壬寅", 2023: "癸卯", 2024: "甲辰", 2025: "乙巳",
         2026: "丙午", 2027: "丁未", 2033: "癸丑", 2043: "癸亥", 2044: "甲子"}
ZH = dict(zip(ANIMALS, "鼠牛虎兔龙蛇马羊猴鸡狗猪"))
STEMS, BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"


def test_the_sexagenary_year_for_a_table_of_years() -> None:
    assert {y: sexagenary_year(y) for y in YEARS} == YEARS
    assert chinese_year_name(2022) == "壬寅虎年" and chinese_year_name(2026) == "丙午马年"


def test_the_sixty_year_cycle() -> None:
    cycle = [sexagenary_year(y) for y in range(1984, 2044)]
    assert len(set(cycle)) == 60
    assert all(n[0] == STEMS[i % 10] and n[1] == BRANCHES[i % 12] for i, n in enumerate(cycle))
    assert [sexagenary_year(y + 60) for y in range(1984, 2044, 7)] == cycle[::7]


def test_the_twelve_animals_chinese_names() -> None:
    assert {a: chinese_animal(a) for a in ANIMALS} == ZH
    for year in range(2020, 2032):  # the branch and the animal agree
        assert chinese_year_name(year)[2] == ZH[ANIMALS[(year - 4) % 12]]


def _drawn(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (3 * font.size, 3 * font.size))
    ImageDraw.Draw(image).text((font.size, font.size), char, font=font, fill=255)
    return image.tobytes()


@pytest.mark.parametrize("language", ["zh", "bilingual"])
def test_no_glyph_is_the_missing_glyph_box(language: str) -> None:
    art = ZodiacArtwork(2026, 256, 1000, all_animals=True, language=language,
                        name="丙午马年生肖纪念藏品 · Fire Horse")
    chars = {c for a in ANIMALS for text in art.card_texts(a, 7) for c in text if not c.isspace()}
    assert {"丙", "午", "马", "年", "编" if language == "zh" else "N"} <= chars
    for weight in ("regular", "bold"):
        font = ImageFont.truetype(str(cjk_font_path(weight)), 32,  # type: ignore[arg-type]
                                  layout_engine=ImageFont.Layout.BASIC)
        notdef = _drawn(font, "\ue000")  # a private-use code point: the font's .notdef box
        assert any(notdef)  # the box is visible, so the comparison means something
        missing = sorted(c for c in chars if _drawn(font, c) == notdef)
        assert missing == [], f"{weight}: {missing}"


def test_cards_print_the_sexagenary_year_and_the_name() -> None:
    zh = ZodiacArtwork(2022, 256, 100, language="zh", name="壬寅虎年纪念")
    assert zh.card_texts("Tiger", 7) == ["壬寅虎年", "壬寅虎年纪念", "2022 · 编号 007 / 100"]
    both = ZodiacArtwork(2022, 256, 100, language="bilingual", name="Water Tiger")
    assert both.card_texts("Tiger", 7) == ["壬寅虎年", "YEAR OF THE TIGER", "Water Tiger",
                                           "2022 · No. 007 / 100"]
    en = ZodiacArtwork(2022, 256, 100)
    assert en.card_texts("Tiger", 7) == ["YEAR OF THE TIGER", "2022", "No. 007 / 100"]


def test_a_chinese_collection_is_byte_identical_for_any_worker_count(invoke: Invoke,
                                                                       tmp_path: Path) -> None:
    builds = []
    for workers in (1, 2):
        project = make_project(tmp_path / f"w{workers}", name="壬寅虎年生肖纪念藏品", year=2022,
                               size=6, image_size=128,
                               zodiac={"card_language": "zh", "animals": "all"})
        result = invoke("generate", "--project", project, "--workers", workers)
        assert result.exit_code == 0, result.output
        builds.append(tree_digest(project / "build"))
    assert builds[0] == builds[1]
    en = make_project(tmp_path / "en", name="壬寅虎年生肖纪念藏品", year=2022, size=6,
                      image_size=128, zodiac={"animals": "all"})
    assert invoke("generate", "--project", en, "--workers", 1).exit_code == 0
    assert tree_digest(en / "build")["images/1.png"] != builds[0]["images/1.png"]


@pytest.mark.parametrize(("zodiac", "words"), [
    ({"card_language": "fr"}, ("zodiac.card_language: invalid value 'fr'", "'zh'")),
])
def test_card_language_is_checked(invoke: Invoke, tmp_path: Path, zodiac: dict[str, str],
                                  words: tuple[str, ...]) -> None:
    project = make_project(tmp_path / "p", zodiac=zodiac)
    result = invoke("generate", "--project", project)
    assert result.exit_code == 2
    for word in words:
        assert word in result.stderr


def test_card_language_is_refused_for_layer_art(invoke: Invoke, layers_project: Path) -> None:
    make_project(layers_project, layers={"dir": "layers"}, zodiac={"card_language": "zh"})
    result = invoke("generate", "--project", layers_project)
    assert result.exit_code == 2 and "zodiac.card_language: only applies to the built-in theme" \
        in result.stderr


def test_chinese_names_stay_utf8_and_nfc_in_metadata(invoke: Invoke, tmp_path: Path) -> None:
    import json
    import unicodedata

    name = unicodedata.normalize("NFD", "壬寅虎年 Café")  # as macOS may hand it over
    project = make_project(tmp_path / "p", name=name, description="纪念 Noël", year=2022,
                           size=2, image_size=64, zodiac={"card_language": "zh"})
    assert invoke("generate", "--project", project, "--workers", 1).exit_code == 0
    raw = (project / "build" / "metadata" / "1.json").read_bytes()
    meta = json.loads(raw.decode("utf-8"))
    assert "壬寅虎年".encode() in raw  # UTF-8, not \\u escapes
    assert meta["name"] == unicodedata.normalize("NFC", "壬寅虎年 Café #1")
    assert meta["description"] == unicodedata.normalize("NFC", "纪念 Noël")


@pytest.mark.parametrize("language", ["zh", "bilingual"])
def test_a_name_the_font_lacks_is_refused_before_drawing(invoke: Invoke, tmp_path: Path,
                                                         language: str) -> None:
    project = make_project(tmp_path / "p", name="壬寅虎年 🐯 𠀀", year=2022, size=2,
                           image_size=64, zodiac={"card_language": language})
    result = invoke("generate", "--project", project, "--workers", 1)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert "name:" in lines[0] and "🐯 (U+1F42F), 𠀀 (U+20000)" in lines[0]
    assert not (project / "build" / "images").exists()
    en = make_project(tmp_path / "en", name="壬寅虎年 🐯", year=2022, size=2, image_size=64)
    assert invoke("generate", "--project", en, "--workers", 1).exit_code == 0  # not printed


@pytest.mark.parametrize("language", ["en", "zh", "bilingual"])
def test_the_title_stays_between_the_border_and_the_medallion_ring(language: str) -> None:
    from nft_toolkit.art.zodiac.ornaments import MEDALLION

    ring_top = MEDALLION[1] - MEDALLION[2] - 28  # the ring's outer edge; its beads lie below
    art = ZodiacArtwork(2022, 1000, 100, all_animals=True, language=language, name="x")
    for animal in ANIMALS:
        box = art._title(animal).getchannel("A").getbbox()
        assert box is not None and 52 <= box[1] and box[3] <= ring_top - 3, (animal, box)
