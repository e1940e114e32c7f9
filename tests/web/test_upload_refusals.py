"""An upload the decoder refuses (truncated, too many pixels, animated, no picture) is the
CLI's usage error on the web too: 400 with the site's framed page in the customer's language, or
the API's JSON line; never a bare 500. The page, the README and the decoder state one pixel
limit and one list of formats."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import requests
from PIL import Image

from nft_toolkit.copies.picture import FORMATS, PIXELS_MAX
from nft_toolkit.web import i18n
from tests.support.copies import png
from tests.support.error_pages import assert_framed
from tests.support.pictures import png_header
from tests.support.web import LiveServer

ROOT = Path(__file__).resolve().parents[2]


def animated() -> bytes:
    out = io.BytesIO()
    frames = [Image.new("RGB", (64, 64), c) for c in ("red", "blue")]
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


OVER = 9000  # x 8000: 72 megapixels, over the limit
REFUSED = {  # name: (bytes, the zh page's words, the English line's words)
    "truncated PNG": (png(Image.effect_noise((400, 400), 60).convert("RGB"))[:3000],
                      "已损坏或不完整", "damaged or truncated"),
    "too many pixels": (png_header(OVER, 8000), f"{OVER}×8000 像素",
                        f"{OVER}x8000 pixels, over the {PIXELS_MAX // 1_000_000} megapixels"),
    "animated": (animated(), "动图", "animated"),
    "no picture": (b"%PDF-1.4 not a picture", "不是图片", "is not a picture"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_upload_is_a_framed_page_and_a_json_line(site: LiveServer, name: str) -> None:
    data, zh_words, en_words = REFUSED[name]
    for lang, words in (("zh", zh_words), ("en", en_words)):
        page = requests.post(f"{site.url}/verify-file?lang={lang}", timeout=60,
                             files={"file": ("photo.png", data, "image/png")})
        assert page.status_code == 400, (name, page.status_code, page.text[:300])
        assert_framed(page, lang)
        assert words in page.text, page.text
        assert ("输入有误" if lang == "zh" else "Not understood") in page.text
    api = requests.post(f"{site.url}/api/v1/verify-file", timeout=60,
                        files={"file": ("photo.png", data, "image/png")})
    assert api.status_code == 400 and en_words in api.json()["error"], api.text


def test_one_pixel_limit_and_one_list_of_formats_everywhere() -> None:
    readme = (ROOT / "README.md").read_text()
    said = set(re.findall(r"(\d+) megapixels|pixels \((\d+) M", readme))
    assert said == {(str(PIXELS_MAX // 1_000_000), "")}, said
    names = {"WEBP": "WebP"}
    zh = i18n.MESSAGES["zh"]["message.not_a_picture"]
    home = (ROOT / "nft_toolkit/web/templates/home.html").read_text()
    accept = re.search(r'accept="([^"]+)"', home)
    assert accept is not None
    assert {t.split("/")[1].upper() for t in accept.group(1).split(",")} == set(FORMATS)
    for fmt in FORMATS:
        assert names.get(fmt, fmt) in zh, (fmt, zh)


def test_a_48_megapixel_phone_photo_is_checked(site: LiveServer) -> None:
    photo = io.BytesIO()
    Image.linear_gradient("L").resize((8000, 6000)).convert("RGB").save(photo, format="JPEG")
    answer = requests.post(f"{site.url}/api/v1/verify-file", timeout=60,
                           files={"file": ("IMG_0001.jpg", photo.getvalue(), "image/jpeg")})
    # a verdict (this collection's tampered item 2 makes it `tampered`), not a refusal
    assert "error" not in answer.json() and answer.json()["checks"], answer.text
    assert answer.json()["file"] == "IMG_0001.jpg"
