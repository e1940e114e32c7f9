"""The answer to an uploaded picture as a customer reads it on a phone (a customer's trial,
zh-CN at 390 x 844): the banner names the token the picture shows and whether it is that
token's file or a copy, then what the customer needs of the token (authentic and held by whom,
or never minted); the picture shown below is captioned as the token's original (verified by its
CID), not taken for the upload; a refusal with a value not known says no "?"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from PIL import Image

from nft_toolkit.copies.picture import PIXELS_MAX
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.web.i18n import MESSAGES, translator
from nft_toolkit.web.render import upload_status
from nft_toolkit.web.upload import headline, upload_lines
from nft_toolkit.web.service import Options
from tests.support.browser import PHONE, phone
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.copies import png, resized, screenshot
from tests.support.copy_collection import TWIN, TWIN_OF, charm_cut
from tests.support.copy_site import UNMINTED, CopySite, copy_site
from tests.support.pictures import png_header
from tests.support.web import LiveServer

SHOWN = 3  # a minted token the copies are made of
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


@pytest.fixture(scope="module")
def copies_site(tmp_path_factory: pytest.TempPathFactory):
    found: CopySite = copy_site(tmp_path_factory.mktemp("copysite") / "horse")
    try:
        with LiveServer(Options(project_dir=str(found.project.root))) as server:
            yield found, server
    finally:
        found.stop()


def upload(page, url: str, name: str, data: bytes) -> None:
    page.goto(url + "/")
    page.set_input_files("#file", files=[{"name": name, "mimeType": "image/png", "buffer": data}])
    with page.expect_navigation():
        page.locator("form[action='/verify-file'] button").click()


def item(site: CopySite, token: int) -> Image.Image:
    return Image.open(site.project.images_dir / f"{token}.png").convert("RGB")


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_copy_names_its_token_and_its_holder_in_the_banner(browser, copies_site, shots: Path,
                                                             lang: str) -> None:
    site, server = copies_site
    words = MESSAGES[lang]
    context = phone(browser, lang)
    page = context.new_page()
    upload(page, server.url, "h3_wechat.png", screenshot(0.8, False, False)(item(site, SHOWN)))
    banner = page.locator(".verdict")
    assert banner.get_attribute("data-verdict") == "copy"
    said = banner.inner_text()
    token_words = {"zh": f"第 {SHOWN} 号藏品的复制品", "en": f"a copy of token {SHOWN}"}[lang]
    assert token_words in said, said
    assert CUSTOMER in said, said  # the holder, in the banner, not 4,500 px down
    assert {"zh": "原藏品为真品", "en": "The original is authentic"}[lang] in said
    assert "h3_wechat.png" in said  # the upload's name is in the banner, not above the picture
    assert words["say.copy"] not in said  # "some item" gives way to the token named
    caption = page.locator("figure.original figcaption").inner_text()
    assert caption == words["upload.original"].replace("{token}", str(SHOWN))
    # the banner ends above the fold, and the phone scrolls no sideways
    assert banner.bounding_box()["y"] + banner.bounding_box()["height"] <= PHONE["height"]
    fits_the_phone(page)
    page.screenshot(path=str(shots / f"upload-copy-{lang}.png"))
    page.screenshot(path=str(shots / f"upload-copy-{lang}-full.png"), full_page=True)
    # a quarter turn: the copies code says "flipped" for a mirror or a turn; the page says both
    turned = item(site, SHOWN).transpose(Image.Transpose.ROTATE_90)
    upload(page, server.url, "h3_rot90.png", png(turned))
    assert page.locator(".verdict").get_attribute("data-verdict") == "copy"
    assert words["transform.flipped"] in page.locator(".verdict").inner_text()
    assert {"zh": "旋转", "en": "rotated"}[lang] in words["transform.flipped"]
    if lang == "en":  # the check's own detail (the CLI's, the JSON's) says both too
        assert "flipped or rotated" in page.locator("[data-check='image_match'] .detail").inner_text()
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_picture_of_a_token_never_minted_says_which_and_that_it_was_never_minted(
        browser, copies_site, shots: Path, lang: str) -> None:
    site, server = copies_site
    context = phone(browser, lang)
    page = context.new_page()
    never = {"zh": f"藏品 {UNMINTED} 从未铸造", "en": f"token {UNMINTED} was never minted"}[lang]
    cases = (("copy", resized(0.6)(item(site, UNMINTED)),
              {"zh": f"第 {UNMINTED} 号藏品的复制品", "en": f"a copy of token {UNMINTED}"}),
             ("file", (site.project.images_dir / f"{UNMINTED}.png").read_bytes(),
              {"zh": f"就是第 {UNMINTED} 号藏品的原文件", "en": f"the image file of token {UNMINTED} itself"}))
    for kind, data, shows in cases:
        upload(page, server.url, f"h{UNMINTED}_{kind}.png", data)
        banner = page.locator(".verdict")
        assert banner.get_attribute("data-verdict") == "not_minted"
        said = banner.inner_text()
        assert shows[lang] in said and never in said, said
        fits_the_phone(page)
        page.screenshot(path=str(shots / f"upload-unminted-{kind}-{lang}.png"), full_page=True)
    context.close()


def test_a_bomb_whose_size_is_not_known_says_no_question_mark(browser, site: LiveServer,
                                                              shots: Path) -> None:
    """A decompression bomb too large for its size to be read: the limit, without a "?"."""
    context = phone(browser, "zh")
    page = context.new_page()
    upload(page, site.url, "bomb.png", png_header(40000, 40000))
    said = page.locator("#error-message").inner_text()
    assert f"超过每张最多 {PIXELS_MAX // 1_000_000} 百万像素的上限" in said, said
    assert "?" not in said and "？" not in said and "{" not in said, said
    page.screenshot(path=str(shots / "upload-bomb-zh.png"))
    context.close()


def _charm_hidden(site: CopySite) -> bytes:
    """Token 3 cut off above the corner where it differs from its near twin, token 9."""
    return png(charm_cut(item(site, TWIN_OF)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_copy_of_either_twin_names_both_and_each_ones_state(browser, copies_site, shots: Path,
                                                              lang: str) -> None:
    """What tells token 3 from its twin 9 is hidden: the banner says a copy of token 3 or token 9
    (not "no item", a customer trial's contradiction), then each one's own verification: 3
    authentic and held by the customer, 9 never minted."""
    site, server = copies_site
    context = phone(browser, lang)
    page = context.new_page()
    upload(page, server.url, "h3_sticker.png", _charm_hidden(site))
    banner = page.locator(".verdict")
    assert banner.get_attribute("data-verdict") == "copy"
    said = banner.inner_text()
    pair = [f"第 {TWIN_OF} 号或第 {TWIN} 号藏品的复制品", f"第 {TWIN} 号或第 {TWIN_OF} 号藏品的复制品"] \
        if lang == "zh" else [f"a copy of token {TWIN_OF} or token {TWIN}",
                              f"a copy of token {TWIN} or token {TWIN_OF}"]
    assert any(words in said for words in pair), said
    held = {"zh": f"第 {TWIN_OF} 号藏品为真品，现由 {CUSTOMER} 持有", "en":
            f"Token {TWIN_OF} is authentic and held by {CUSTOMER}"}[lang]
    assert held in said, said
    not_minted = MESSAGES[lang]["verdict.not_minted"]
    unminted = {"zh": f"第 {TWIN} 号藏品的验证结果为“{not_minted}”",
                "en": f"Token {TWIN} is “{not_minted}”"}[lang]
    assert unminted in said, said
    assert MESSAGES[lang]["say.not_an_item"] not in said and MESSAGES[lang]["say.copy"] not in said
    fits_the_phone(page)
    page.screenshot(path=str(shots / f"upload-either-{lang}.png"), full_page=True)
    context.close()


def test_a_copy_of_either_twin_in_json_is_the_same_for_the_api_and_the_cli(copies_site,
                                                                           tmp_path: Path) -> None:
    site, server = copies_site
    picture = tmp_path / "h3_sticker.png"
    picture.write_bytes(_charm_hidden(site))
    answer = requests.post(server.url + "/api/v1/verify-file", timeout=60,
                           files={"file": (str(picture), picture.read_bytes(), "image/png")})
    out = Cli(site.project.root, cli_env())("verify-file", str(picture), "--json")
    assert out.returncode == 1, out.stderr
    said = json.loads(out.stdout)
    assert answer.status_code == 200 and answer.json() == said
    assert (said["verdict"], said["token_id"], said["too_small"]) == ("copy", None, None)
    states = {c["token_id"]: (c["verdict"], c["owner"]) for c in said["candidates"]}
    assert states == {TWIN_OF: ("authentic", CUSTOMER), TWIN: ("not_minted", None)}, states
    assert [c["name"] for c in said["checks"]][-1] == "image_match"
    detail = said["checks"][-1]["detail"]
    first, second = (c["token_id"] for c in said["candidates"])
    assert f"a copy of token {first} or token {second}, not the file of either" in detail


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_picture_too_small_to_tell_says_its_size_and_what_would_do(lang: str) -> None:
    """The banner's words (pure: nft_toolkit.web.upload) for a picture too small to tell what it
    shows, and for a thumbnail too small to tell two near twins apart: the size in pixels and
    the size that would do, never a bare "no item" or a vague pair."""
    words = translator(lang)
    tiny = Report(None, CONTRACT, verdict=Verdict.NOT_AN_ITEM, too_small=(20, 32))
    said = " ".join(upload_lines(tiny, words))
    assert "20" in said and "32" in said and "{" not in said, said
    thumb = Report(None, CONTRACT, verdict=Verdict.COPY, too_small=(64, 256))
    thumb.candidates = [Report(3, CONTRACT, owner=CUSTOMER),
                        Report(2, CONTRACT, verdict=Verdict.NOT_MINTED)]
    lines = upload_lines(thumb, words)
    assert {"zh": "第 3 号或第 2 号藏品的复制品", "en": "a copy of token 3 or token 2"}[lang] in lines[0]
    assert "64" in lines[1] and "256" in lines[1], lines
    assert CUSTOMER in lines[2] and words["verdict.not_minted"] in lines[3], lines
    assert "{" not in " ".join(lines), lines


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_picture_too_small_to_tell_is_headed_so_and_promises_only_what_is_true(
        lang: str) -> None:
    """A customer trial: a 64 px copy was headed "非本系列藏品" (not an item) while its line said
    it was too small to tell, and asked for 256 px while 96 px copies are named. The banner's
    title says too small to tell; 256 is a size that certainly does; 32 (a picture under it
    on a side) is a floor, not a promise."""
    words = translator(lang)
    thumb = Report(None, CONTRACT, verdict=Verdict.NOT_AN_ITEM, too_small=(64, 256))
    assert headline(thumb, words) == words["verdict.too_small"] != words["verdict.not_an_item"]
    said = " ".join(upload_lines(thumb, words))
    assert "64" in said and "256" in said and {"zh": "一定", "en": "certainly"}[lang] in said
    tiny = Report(None, CONTRACT, verdict=Verdict.NOT_AN_ITEM, too_small=(20, 32),
                  too_small_picture=True)
    assert headline(tiny, words) == words["verdict.too_small"]
    said = " ".join(upload_lines(tiny, words))
    assert {"zh": "每边至少需要 32 像素", "en": "at least 32 pixels on each side"}[lang] in said
    assert {"zh": "一定", "en": "certainly"}[lang] not in said
    # a pair too small to tell apart, and a picture of no item, keep their own titles
    nothing = Report(None, CONTRACT, verdict=Verdict.NOT_AN_ITEM)
    assert headline(nothing, words) == words["verdict.not_an_item"]


def test_a_picture_of_a_token_never_minted_is_answered_as_a_copy_of_a_minted_one_is(
        copies_site, tmp_path: Path) -> None:
    """A customer trial: a copy of token 8 (pinned, never minted) was answered 404, as a picture
    of no item is. It shows token 8, whose verdict is ``not_minted``: the upload's answer is that
    verdict with 200, as a copy of minted token 3 is answered, by the API and the page alike,
    and ``verify-file`` says the same (the same JSON, exit 1; in words, which token and that it
    was never minted)."""
    site, server = copies_site
    minted = tmp_path / "h3_small.png"
    minted.write_bytes(resized(0.6)(item(site, SHOWN)))
    copy = tmp_path / f"h{UNMINTED}_small.png"
    copy.write_bytes(resized(0.6)(item(site, UNMINTED)))
    own = tmp_path / f"h{UNMINTED}_file.png"
    own.write_bytes((site.project.images_dir / f"{UNMINTED}.png").read_bytes())
    cli = Cli(site.project.root, cli_env())
    for picture, verdict, token in ((minted, "copy", SHOWN), (copy, "not_minted", UNMINTED),
                                    (own, "not_minted", UNMINTED)):
        sent = {"file": (str(picture), picture.read_bytes(), "image/png")}
        answer = requests.post(server.url + "/api/v1/verify-file", files=sent, timeout=60)
        assert answer.status_code == 200, (picture.name, answer.status_code, answer.text[:300])
        said = answer.json()
        assert (said["verdict"], said["token_id"]) == (verdict, token), said
        out = cli("verify-file", str(picture), "--json")
        assert out.returncode == 1, out.stderr
        assert json.loads(out.stdout) == said
        for lang in ("zh", "en"):
            shown = requests.post(server.url + "/verify-file", files=sent, timeout=60,
                                  headers={"Accept-Language": lang})
            assert shown.status_code == 200, (picture.name, lang, shown.status_code)
            assert f'data-verdict="{verdict}"' in shown.text
    out = cli("verify-file", str(copy))
    assert out.returncode == 1, out.stderr
    assert (f"is a copy of token {UNMINTED} (resized), not its file, but token {UNMINTED} is "
            "not minted") in " ".join(out.stdout.split()), out.stdout
    out = cli("verify-file", str(copy), "--lang", "zh")
    assert out.returncode == 1, out.stderr
    said = "".join(out.stdout.split())
    assert f"第{UNMINTED}号藏品的复制品" in said and f"藏品{UNMINTED}从未铸造" in said, out.stdout
    assert MESSAGES["zh"]["verdict.not_minted"] in said, out.stdout


@pytest.mark.parametrize(("report", "status"), [
    (Report(UNMINTED, CONTRACT, verdict=Verdict.NOT_MINTED, similarity=0.99), 200),
    (Report(None, CONTRACT, verdict=Verdict.NOT_MINTED,
            candidates=[Report(UNMINTED, CONTRACT, verdict=Verdict.NOT_MINTED),
                        Report(9, CONTRACT, verdict=Verdict.NOT_MINTED)]), 200),
    (Report(SHOWN, CONTRACT, verdict=Verdict.COPY, similarity=0.99), 200),
    (Report(SHOWN, CONTRACT, verdict=Verdict.TAMPERED, similarity=1.0), 200),
    (Report(None, CONTRACT, verdict=Verdict.NOT_AN_ITEM), 404),
    (Report(SHOWN, CONTRACT, verdict=Verdict.UNVERIFIABLE), 502),
    (Report(None, CONTRACT, verdict=Verdict.UNVERIFIABLE), 502)])
def test_an_upload_is_answered_404_only_when_it_shows_no_token(report: Report,
                                                                 status: int) -> None:
    """The one rule both upload routes answer by: a picture that shows a token (or one of two
    near twins, none of them minted) is a verdict on a picture of the collection, 200; one that
    shows none is 404, and one that could not be checked 502."""
    assert upload_status(report) == status


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_twin_is_shown_as_a_named_copy_shows_its_token(browser, copies_site, shots: Path,
                                                           lang: str) -> None:
    """A customer trial: a copy of either of two near twins named both in the banner, but showed
    neither's picture nor a way to either's own page. Each twin is shown as a named copy shows
    its token: its original image served from the CID the engine verified (none for token 9,
    never minted: what is shown says why), its verdict, its holder, a link to its own page;
    side by side on a 390 px phone. A named copy links its token's page too."""
    site, server = copies_site
    words = MESSAGES[lang]
    images = Manifest.load(site.project.manifest_path)
    context = phone(browser, lang)
    page = context.new_page()
    upload(page, server.url, "h3_sticker.png", _charm_hidden(site))
    twins = page.locator("#candidates figure.candidate")
    assert twins.count() == 2
    assert {twins.nth(i).get_attribute("data-token") for i in range(2)} == {str(TWIN_OF),
                                                                             str(TWIN)}
    assert page.locator("#candidates h2").inner_text() == words["upload.candidates"]
    held = page.locator(f"figure.candidate[data-token='{TWIN_OF}']")
    assert held.get_attribute("data-verdict") == "authentic"
    picture = held.locator("img.picture")
    assert picture.get_attribute("src") == f"/image/{images.tokens[TWIN_OF].image_cid}"
    assert picture.evaluate("img => img.complete && img.naturalWidth") > 0  # served: verified
    said = held.inner_text()
    assert CUSTOMER in said and words["verdict.authentic"] in said, said
    assert words["upload.candidate_original"].replace("{token}", str(TWIN_OF)) in said, said
    never = page.locator(f"figure.candidate[data-token='{TWIN}']")
    assert never.get_attribute("data-verdict") == "not_minted"
    assert never.locator("img").count() == 0  # no image the chain vouches for
    assert words["verdict.not_minted"] in never.locator(".no-picture").inner_text()
    for token, shown in ((TWIN_OF, held), (TWIN, never)):
        link = shown.locator("a.token-link")
        assert link.get_attribute("href") == f"/token/{token}"
        assert link.inner_text() == words["upload.token_page"].replace("{token}", str(token))
    # side by side, on the phone's width
    left, right = held.bounding_box(), never.bounding_box()
    first, second = sorted((left, right), key=lambda box: box["x"])
    assert abs(left["y"] - right["y"]) < 1 and first["x"] + first["width"] <= second["x"]
    fits_the_phone(page)
    page.locator("#candidates").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"upload-either-twins-{lang}.png"))
    page.screenshot(path=str(shots / f"upload-either-twins-{lang}-full.png"), full_page=True)
    with page.expect_navigation():
        held.locator("a.token-link").click()
    assert page.url.endswith(f"/token/{TWIN_OF}")
    assert page.locator(".verdict").get_attribute("data-verdict") == "authentic"
    upload(page, server.url, "h3_small.png", resized(0.6)(item(site, SHOWN)))
    link = page.locator(".facts .token-link a")
    assert link.get_attribute("href") == f"/token/{SHOWN}"
    assert link.inner_text() == words["upload.token_page"].replace("{token}", str(SHOWN))
    context.close()


def test_each_twin_on_the_command_line_names_its_verified_original(copies_site,
                                                                   tmp_path: Path) -> None:
    """verify-file says for each twin what the page shows: its state, its holder and its
    original image's verified CID (none for token 9, never minted), in English and Chinese."""
    site, _server = copies_site
    picture = tmp_path / "h3_sticker.png"
    picture.write_bytes(_charm_hidden(site))
    cid = Manifest.load(site.project.manifest_path).tokens[TWIN_OF].image_cid
    cli = Cli(site.project.root, cli_env())
    out = cli("verify-file", str(picture))
    assert out.returncode == 1, out.stderr
    said = " ".join(out.stdout.split())
    assert (f"token {TWIN_OF}: authentic, held by {CUSTOMER}; its original image ipfs://{cid}, "
            "verified by its CID") in said, out.stdout
    assert f"token {TWIN}: not minted" in said and said.count("ipfs://") == 1, out.stdout
    out = cli("verify-file", str(picture), "--lang", "zh")
    assert out.returncode == 1, out.stderr
    said = "".join(out.stdout.split())
    image = MESSAGES["zh"]["upload.candidate_image"].replace("{token}", str(TWIN_OF))
    assert "".join(image.replace("{uri}", f"ipfs://{cid}").split()) in said, out.stdout
    assert said.count("ipfs://") == 1, out.stdout
