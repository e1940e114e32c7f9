"""What every error page of the service is: the site's own frame, not a server's bare text."""

from __future__ import annotations

import requests


def assert_framed(page: requests.Response, lang: str) -> None:
    """`page` is the site's HTML page in `lang` ("zh" or "en"): the phone viewport, the header
    with its language switch, a way back home, the security headers."""
    assert page.headers["content-type"].startswith("text/html"), page.text[:200]
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page.text, page.text[:200]
    assert '<meta name="viewport" content="width=device-width' in page.text
    assert '<header class="bar">' in page.text and 'class="lang"' in page.text
    assert '<a href="/">' in page.text  # the way back
    assert "content-security-policy" in page.headers
