"""Errors answer in the form the client reads: a page's form post and an unknown page get the
styled page in its language, the API gets JSON; a page's language switch keeps what it shows."""

from __future__ import annotations

import html

import pytest
import requests

from nft_toolkit.errors import ChainError, ConfigError
from nft_toolkit.web.app import BODY_MAX
from nft_toolkit.web.failures import INTERNAL, UNREACHABLE
from tests.support.error_pages import assert_framed
from tests.support.web import LiveServer


def test_an_oversized_form_post_gets_the_page_and_the_api_json(site: LiveServer) -> None:
    big = b"\x89PNG" + b"\0" * (BODY_MAX + 1)
    page = requests.post(site.url + "/verify-file?lang=zh", timeout=60,
                         files={"file": ("big.png", big, "image/png")})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "文件过大" in page.text and "上传内容超过 16 MiB" in page.text
    assert "content-security-policy" in page.headers
    api = requests.post(site.url + "/api/v1/verify-file", timeout=60,
                        files={"file": ("big.png", big, "image/png")})
    assert api.status_code == 413 and "16 MiB" in api.json()["error"]


def test_unknown_routes(site: LiveServer) -> None:
    page = requests.get(site.url + "/nope?lang=en", timeout=60)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text and "no such page: /nope" in page.text
    assert "没有这个页面" in requests.get(site.url + "/nope?lang=zh", timeout=60).text
    api = requests.get(site.url + "/api/v1/nope", timeout=60)
    assert api.status_code == 404 and "/api/v1/nope" in api.json()["error"]


def test_the_language_switch_keeps_the_query(site: LiveServer) -> None:
    page = requests.get(site.url + "/token?id=abc&lang=zh", timeout=60)
    switch = html.unescape(page.text.split('class="lang" href="', 1)[1].split('"', 1)[0])
    assert switch == "/token?id=abc&lang=en"
    again = requests.get(site.url + switch, timeout=60)
    assert "&#39;abc&#39; is not a token ID" in again.text


@pytest.mark.parametrize("raised, status, zh, en", [
    (RuntimeError("a bug: secret detail"), 500, "服务出错", INTERNAL),
    (ConfigError("secret detail: /srv/collection.yaml is broken"), 503, "服务暂不可用", INTERNAL),
    (ChainError("the chain at http://key:secret detail@rpc does not answer"), 502, "暂时无法连接",
     UNREACHABLE),
])
def test_any_exception_in_a_handler_is_answered_in_the_sites_frame(
        site: LiveServer, monkeypatch: pytest.MonkeyPatch, raised: Exception, status: int,
        zh: str, en: str) -> None:
    def broken(*args: object) -> None:
        raise raised
    monkeypatch.setattr(site.service, "verify", broken)
    page = requests.get(site.url + "/token/1?lang=zh", timeout=60)
    assert page.status_code == status
    assert_framed(page, "zh")
    assert zh in page.text and "secret detail" not in page.text
    english = requests.get(site.url + "/token/1?lang=en", timeout=60)
    assert english.status_code == status and en in english.text
    assert "secret detail" not in english.text
    assert_framed(english, "en")
    api = requests.get(site.url + "/api/v1/tokens/1", timeout=60)
    assert api.status_code == status and en in api.json()["error"]
    assert "secret detail" not in api.text


def test_a_wrong_method_is_a_framed_page(site: LiveServer) -> None:
    page = requests.post(site.url + "/token/1?lang=zh", timeout=60)
    assert page.status_code == 405
    assert_framed(page, "zh")
    assert requests.post(site.url + "/api/v1/tokens/1", timeout=60).json()["error"]
