"""Debian's chromium, driven headless by Playwright (its own browser download does not work
here). Missing chromium fails the browser tests with one line; it is never a silent skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("NFT_TOOLKIT_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 390, "height": 844}
LOCALES = {"zh": "zh-CN", "en": "en-US"}


@contextmanager
def chromium() -> Iterator[object]:
    """A headless chromium (Playwright's Browser)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"no chromium at {CHROMIUM}: run `make setup` as root (it installs Debian's "
                    "chromium and fonts-noto-cjk), or set NFT_TOOLKIT_CHROMIUM", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def screenshot_dir(fallback: Path) -> Path:
    """Where the phone-sized screenshots go: $NFT_TOOLKIT_SCREENSHOTS, else `fallback`."""
    folder = Path(os.environ.get("NFT_TOOLKIT_SCREENSHOTS") or fallback)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def phone(browser: Any, lang: str) -> Any:
    """A phone-sized browser context whose language is `lang` ("zh" or "en"), as a phone's
    settings give it: the locale and its Accept-Language header."""
    return browser.new_context(viewport=PHONE, locale=LOCALES[lang], device_scale_factor=1,
                               extra_http_headers={"Accept-Language": LOCALES[lang]})
