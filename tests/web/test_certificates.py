"""Certificates over HTTP: the PNG's and the PDF's QR codes, read by a real decoder, name this
service and verify the same token with the CLI; only an authentic token gets one."""

from __future__ import annotations

import requests

from nft_toolkit.caip19 import AssetId, parse_verification_url
from tests.support.cli import Cli, cli_env
from tests.support.qr import decode_qr, pdf_page
from tests.support.web import AUTHENTIC, HOSTILE, NOT_MINTED, TAMPERED, LiveServer, WebCollection


def get(site: LiveServer, path: str) -> requests.Response:
    return requests.get(site.url + path, timeout=60)


def test_certificate_png_and_pdf_verify_with_the_cli(site: LiveServer,
                                                     web_items: WebCollection) -> None:
    png = get(site, f"/certificate/{AUTHENTIC}.png?lang=zh")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    url = decode_qr(png.content)
    assert url.startswith(site.url + "/v/")
    record = web_items.record
    assert parse_verification_url(url) == (AssetId(1337, record.address, AUTHENTIC),
                                           record.issuer)
    pdf = get(site, f"/certificate/{AUTHENTIC}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert decode_qr(pdf_page(pdf.content)) == url
    opened = requests.get(url, timeout=60)  # what a phone opens: this service's page
    assert opened.status_code == 200 and 'data-verdict="authentic"' in opened.text
    out = Cli(web_items.project.root, cli_env())("verify", url, "--json")
    assert out.returncode == 0, out.stderr
    assert '"verdict": "authentic"' in out.stdout
    assert get(site, f"/certificate/{AUTHENTIC}.png?lang=zh").content == png.content
    page = get(site, f"/token/{AUTHENTIC}?lang=en")
    assert f'href="/certificate/{AUTHENTIC}.png?lang=en"' in page.text


def test_a_hostile_name_is_drawn_as_text(site: LiveServer) -> None:
    """Item 3's name is HTML with script: on a certificate it is only pixels."""
    png = get(site, f"/certificate/{HOSTILE}.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert parse_verification_url(decode_qr(png.content))[0].token_id == HOSTILE


def test_no_certificate_unless_authentic(site: LiveServer, lookalike_site: LiveServer) -> None:
    for where, path, status, words in [
            (site, f"/certificate/{TAMPERED}.png", 409, "is tampered"),
            (site, f"/certificate/{NOT_MINTED}.pdf", 404, "is not minted, not authentic"),
            (lookalike_site, f"/certificate/{AUTHENTIC}.png", 409, "is counterfeit"),
            (site, "/certificate/x.png", 400, "not a token ID"),
            (site, f"/certificate/{AUTHENTIC}.png?lang=fr", 400, "lang 'fr'")]:
        answer = get(where, path)
        assert answer.status_code == status, (path, answer.text)
        assert words in answer.json()["error"], answer.text
    page = get(site, f"/token/{TAMPERED}")
    assert "/certificate/" not in page.text
