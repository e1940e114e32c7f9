"""Which language a page gets (Accept-Language by its weights), and a token ID typed with a
Chinese input method (full-width digits)."""

from __future__ import annotations

import requests

from tests.support.web import AUTHENTIC, LiveServer


def lang_of(site: LiveServer, accept: str) -> str:
    page = requests.get(site.url + "/", headers={"Accept-Language": accept}, timeout=60).text
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_accept_language_weights(site: LiveServer) -> None:
    assert lang_of(site, "zh-CN;q=0.1,en;q=0.9") == "en"
    assert lang_of(site, "en;q=0.2,zh-TW;q=0.8") == "zh-CN"
    assert lang_of(site, "zh-CN,zh;q=0.9,en;q=0.8") == "zh-CN"
    assert lang_of(site, "fr-FR") == "zh-CN"  # neither: the customers' usual language
    assert lang_of(site, "en-GB") == "en"


def test_full_width_digits_are_a_token_id(site: LiveServer) -> None:
    full = chr(0xFF10 + AUTHENTIC)  # １
    form = requests.get(site.url + "/token", params={"id": full}, timeout=60,
                        allow_redirects=False)
    assert form.status_code == 303 and form.headers["location"] == f"/token/{AUTHENTIC}"
    page = requests.get(f"{site.url}/token/{full}", timeout=60)
    assert page.status_code == 200 and 'data-verdict="authentic"' in page.text
    api = requests.get(f"{site.url}/api/v1/tokens/{full}", timeout=60)
    assert api.status_code == 200 and api.json()["token_id"] == AUTHENTIC
