"""The pages on narrow phones (Debian's chromium, headless): no page kind is wider than the screen
at 320, 360 or 390 px in Chinese or English; the home form sends whatever the customer typed to
the server, which reads it or explains (no browser popup); a long wrong input is shown
shortened, visibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import LOCALES
from tests.support.collection import tiny_png
from tests.support.web import AUTHENTIC, HOSTILE, NOT_MINTED, TAMPERED, LiveServer

WIDTHS = (320, 360, 390)
PAGES = {  # page kind: path (GET)
    "home": "/",
    "authentic": f"/token/{AUTHENTIC}",
    "tampered": f"/token/{TAMPERED}",
    "hostile name": f"/token/{HOSTILE}",
    "not minted": f"/token/{NOT_MINTED}",
    "beyond the cap": "/token/9999",
    "bad input": "/token?id=" + "1" * 300,
    "no such page": "/no/such/page",
}


def narrow(browser, lang: str, width: int):
    return browser.new_context(viewport={"width": width, "height": 640}, locale=LOCALES[lang],
                               device_scale_factor=1, is_mobile=True, has_touch=True,
                               extra_http_headers={"Accept-Language": LOCALES[lang]})


def widest(page) -> int:
    """How wide the page is laid out: its scroll width, or the right edge of its widest element
    (a phone's browser widens its layout viewport, innerWidth, to fit what sticks out, so the
    screen's own width is the bound)."""
    return page.evaluate("Math.max(document.documentElement.scrollWidth, ...Array.from("
                         "document.querySelectorAll('body *'), e => "
                         "Math.ceil(e.getBoundingClientRect().right + window.scrollX)))")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_is_wider_than_a_narrow_phone(browser, site: LiveServer, shots: Path,
                                              lang: str) -> None:
    for width in WIDTHS:
        context = narrow(browser, lang, width)
        page = context.new_page()
        wide = []
        for kind, path in PAGES.items():
            page.goto(site.url + path)
            if widest(page) > width:
                wide.append((kind, widest(page)))
            page.screenshot(path=str(shots / f"narrow-{width}-{lang}-{kind.replace(' ', '_')}.png"))
        for kind, data in (("upload answer", tiny_png(AUTHENTIC)), ("refused upload", b"%PDF-1.4")):
            page.goto(site.url + "/")
            page.set_input_files("#file", files=[{"name": "p.png", "mimeType": "image/png",
                                                  "buffer": data}])
            page.locator("form[action='/verify-file'] button").click()
            page.wait_for_load_state()
            if widest(page) > width:
                wide.append((kind, widest(page)))
        context.close()
        assert not wide, f"wider than {width} px in {lang}: {wide}"


@pytest.mark.parametrize("typed, lands", [("７", "/token/7"), (" 7 ", "/token/7"),
                                          ("#7", None), ("1" * 300, None)])
def test_the_home_form_lets_the_server_read_or_explain(browser, site: LiveServer, typed: str,
                                                       lands: str | None) -> None:
    context = narrow(browser, "zh", 360)
    page = context.new_page()
    page.goto(site.url + "/")
    page.fill("#id", typed)
    page.locator("form[action='/token'] button").click()
    page.wait_for_load_state()
    if lands is not None:
        assert page.url == site.url + lands
        assert page.locator(".verdict").count() == 1
    else:  # the server's own page says why, in Chinese
        assert "/token?id=" in page.url
        message = page.locator("#error-message").inner_text()
        assert "不是藏品编号" in message
        if len(typed) > 40:  # shortened, and visibly so
            assert "1" * 39 + "…" in message and "1" * 41 not in message
    context.close()
