"""The pages in a real browser (Debian's chromium, headless, phone-sized): each verdict in Chinese
and English, the picture upload, and a hostile metadata name that must not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from nft_toolkit.web.app import CSP
from nft_toolkit.web.i18n import MESSAGES
from tests.support.browser import PHONE, phone
from tests.support.collection import tiny_png
from tests.support.web import (AUTHENTIC, HOSTILE, HOSTILE_NAME, NOT_MINTED, TAMPERED,
                               LiveServer, WebCollection)



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_verdict_pages(browser, site: LiveServer, lookalike_site: LiveServer, shots: Path,
                       lang: str) -> None:
    """Authentic, tampered, counterfeit and not-minted, in the language the phone asks for."""
    words = MESSAGES[lang]
    cases = [(site, AUTHENTIC, "authentic", 200), (site, TAMPERED, "tampered", 200),
             (lookalike_site, AUTHENTIC, "counterfeit", 200),
             (site, NOT_MINTED, "not_minted", 404)]
    context = phone(browser, lang)
    page = context.new_page()
    for server, token, verdict, status in cases:
        response = page.goto(f"{server.url}/token/{token}")
        assert response.status == status
        assert page.locator(".verdict").get_attribute("data-verdict") == verdict
        assert page.locator(".verdict .big").inner_text() == words[f"verdict.{verdict}"]
        assert page.locator("html").get_attribute("lang") == {"zh": "zh-CN", "en": "en"}[lang]
        if verdict == "authentic":
            assert page.locator("img.picture").evaluate("img => img.naturalWidth") == 8
            assert page.locator(".checks li.c-failed").count() == 0
            assert "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" in page.locator(".facts").inner_text()
            asset = page.locator("#asset-id").inner_text()
            assert asset.startswith("eip155:1337/erc721:0x") and asset.endswith(f"/{token}")
            assert page.locator("#command").inner_text().startswith(f"nft-toolkit verify {asset} --issuer")
        else:
            assert page.locator("img.picture").count() == 0
            assert page.locator(".checks li.c-failed").count() == 1
        # nothing wider than the phone: the long hex strings wrap
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(shots / f"{verdict}-{lang}.png"), full_page=True)
    context.close()


def test_language_switch_sticks(browser, site: LiveServer) -> None:
    context = phone(browser, "zh")
    page = context.new_page()
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    assert page.locator(".verdict .big").inner_text() == MESSAGES["zh"]["verdict.authentic"]
    page.locator("a.lang").click()
    assert page.locator(".verdict .big").inner_text() == MESSAGES["en"]["verdict.authentic"]
    page.goto(f"{site.url}/token/{TAMPERED}")  # the cookie keeps English
    assert page.locator(".verdict .big").inner_text() == MESSAGES["en"]["verdict.tampered"]
    context.close()


def test_picture_upload(browser, site: LiveServer, web_items: WebCollection, shots: Path,
                        tmp_path: Path) -> None:
    context = phone(browser, "en")
    page = context.new_page()
    for picture, verdict, token in ((web_items.project.images_dir / f"{AUTHENTIC}.png",
                                     "authentic", AUTHENTIC), (tmp_path / "other.png",
                                                               "not_an_item", None)):
        if not picture.exists():
            picture.write_bytes(tiny_png(77))
        page.goto(site.url + "/")
        page.set_input_files("#file", str(picture))
        with page.expect_navigation():
            page.locator("form[action='/verify-file'] button").click()
        assert page.locator(".verdict").get_attribute("data-verdict") == verdict
        if token is None:  # 8 px: too small to tell what it shows, which the title says
            assert page.locator(".verdict .big").inner_text() == MESSAGES["en"]["verdict.too_small"]
            assert page.title().startswith(MESSAGES["en"]["verdict.too_small"])
        if token is not None:
            assert page.locator("img.picture").evaluate("img => img.naturalWidth") == 8
            assert page.locator(".checks li[data-check='image']").count() == 1
            assert page.locator("h1.name").inner_text() == f"Test Horse #{token}"
            assert page.locator("#asset-id").inner_text().endswith(f"/{token}")
        page.screenshot(path=str(shots / f"upload-{verdict}.png"), full_page=True)
    context.close()


def test_hostile_name_does_not_run(browser, site: LiveServer, shots: Path) -> None:
    context = phone(browser, "en")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(f"{site.url}/token/{HOSTILE}")
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    page.wait_for_load_state("networkidle")
    assert page.locator("h1.name").inner_text() == HOSTILE_NAME  # shown as text, whole
    assert page.evaluate("window.pwned") is None and dialogs == []
    assert page.locator("h1.name script, h1.name img, .desc script").count() == 0
    page.screenshot(path=str(shots / "hostile-en.png"), full_page=True)
    context.close()
