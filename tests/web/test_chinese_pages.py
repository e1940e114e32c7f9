"""A Chinese customer reads why: every check detail, check name and error message on a Chinese
page is in Chinese (the evidence itself, addresses and CIDs, as it is); the English page and the
JSON keep the engine's English."""

from __future__ import annotations

import re

import requests

from tests.support.web import AUTHENTIC, NOT_MINTED, TAMPERED, LiveServer

ENGLISH_WORDS = re.compile(r"\b(owned|the|is|not|does|exist|bytes|hash|frozen|token|picture|"
                           r"file|issuer|under|item)\b")


def details(html: str) -> list[str]:
    return re.findall(r'<span class="detail">(.*?)</span>', html, re.S)


def zh(site: LiveServer, path: str) -> requests.Response:
    return requests.get(site.url + path, params={"lang": "zh"}, timeout=60)


def test_check_details_are_chinese(site: LiveServer) -> None:
    for token in (AUTHENTIC, TAMPERED, NOT_MINTED, 9999):
        page = zh(site, f"/token/{token}")
        found = details(page.text)
        assert found, page.text
        for text in found:
            assert not ENGLISH_WORDS.search(re.sub(r"0x[0-9a-fA-F]+|\w*[0-9]\w*", "", text)), text
        assert "Token URI" not in page.text
    assert "持有人为" in zh(site, f"/token/{AUTHENTIC}").text
    assert "超出上限" in zh(site, "/token/9999").text
    english = requests.get(f"{site.url}/token/{AUTHENTIC}?lang=en", timeout=60).text
    assert any(d.startswith("owned by ") for d in details(english))
    answer = requests.get(f"{site.url}/api/v1/tokens/9999", timeout=60).json()
    assert "beyond the cap" in answer["checks"][-1]["detail"] and "code" not in answer["checks"][-1]


def test_error_pages_are_titled_and_said_in_chinese(site: LiveServer) -> None:
    page = zh(site, "/token/abc")
    assert page.status_code == 400
    assert "错误 400" not in page.text and "输入有误" in page.text
    assert "不是藏品编号" in page.text and "is not a token ID" not in page.text
    upload = requests.post(site.url + "/verify-file?lang=zh", timeout=60,
                           files={"file": ("x.txt", b"not a picture", "text/plain")})
    assert upload.status_code == 400 and "不是图片" in upload.text, upload.text
    empty = requests.post(site.url + "/verify-file?lang=zh", timeout=60,
                          files={"file": ("x.png", b"", "image/png")})
    assert "图片是空的" in empty.text
    assert "is not a token ID" in requests.get(site.url + "/token/abc?lang=en", timeout=60).text
