"""Certificates drawn from a verified report: the QR code a real decoder reads back to the
verification URL, the same bytes for the same inputs, and hostile names and images kept in bounds."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from nft_toolkit.caip19 import AssetId, format_verification_url, parse_verification_url
from nft_toolkit.certificate import (LANGS, NAME_MAX, SIZE, CertificateFacts, draw, font_gaps,
                                     pdf_bytes, png_bytes)
from nft_toolkit.errors import InputError
from nft_toolkit.verify.mint import Mint
from nft_toolkit.verify.report import Report, Verdict
from tests.support.qr import decode_qr, pdf_page

CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
ASSET = AssetId(1337, CONTRACT, 3)


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _report(verdict: Verdict = Verdict.AUTHENTIC) -> Report:
    return Report(token_id=3, contract=CONTRACT, chain_id=1337, verdict=verdict)


FACTS = CertificateFacts(
    asset=ASSET, issuer=ISSUER, collection="马年生肖 Year of the Horse", item="Horse #3",
    max_supply=12, image=_png((64, 64), (200, 40, 40)),
    mint=Mint("0x" + "ab" * 32, 7, 1_780_000_000, ISSUER),
    url=format_verification_url("https://verify.bank.example", ASSET, ISSUER))


@pytest.mark.parametrize("lang", LANGS)
def test_the_qr_code_reads_back_to_the_verification_url(lang: str) -> None:
    page = draw(_report(), FACTS, lang)  # type: ignore[arg-type]
    assert page.size == SIZE and page.mode == "RGB"
    text = decode_qr(png_bytes(page))
    assert text == FACTS.url
    assert parse_verification_url(text) == (ASSET, ISSUER)


def test_same_inputs_same_bytes_and_languages_differ() -> None:
    first = png_bytes(draw(_report(), FACTS, "both"))
    assert png_bytes(draw(_report(), FACTS, "both")) == first
    assert pdf_bytes(draw(_report(), FACTS), FACTS) == pdf_bytes(draw(_report(), FACTS), FACTS)
    images = {png_bytes(draw(_report(), FACTS, lang)) for lang in LANGS}  # type: ignore[arg-type]
    assert len(images) == 3
    assert png_bytes(draw(_report(), replace(FACTS, item="Horse #4"))) != first


def test_the_pdf_is_one_a4_page_whose_qr_reads_back() -> None:
    pdf = pdf_bytes(draw(_report(), FACTS), FACTS)
    assert pdf.startswith(b"%PDF-")
    page = pdf_page(pdf)
    assert abs(page.width - SIZE[0]) <= 2 and abs(page.height - SIZE[1]) <= 2  # A4 at 150 dpi
    assert decode_qr(page) == FACTS.url


@pytest.mark.parametrize("verdict", [v for v in Verdict if v is not Verdict.AUTHENTIC])
def test_only_an_authentic_token_gets_one(verdict: Verdict) -> None:
    with pytest.raises(InputError, match=f"is {verdict.words}, not authentic"):
        draw(_report(verdict), FACTS)
    assert "_" not in verdict.words  # words, not the JSON's name (not_minted)


def test_facts_of_another_token_are_refused() -> None:
    with pytest.raises(InputError, match="not eip155:1337/erc721:.*/4"):
        draw(_report(), replace(FACTS, asset=replace(ASSET, token_id=4)))


def test_a_qr_code_naming_another_token_or_issuer_is_refused() -> None:
    for url in (format_verification_url("https://x.example", replace(ASSET, token_id=4), ISSUER),
                format_verification_url("https://x.example", ASSET, "bank.example")):
        with pytest.raises(InputError, match="another token or issuer"):
            draw(_report(), replace(FACTS, url=url))


def test_hostile_names_are_bounded_and_lose_control_characters() -> None:
    long = png_bytes(draw(_report(), replace(FACTS, item="A" * 100_000)))
    assert long == png_bytes(draw(_report(), replace(FACTS, item="A" * NAME_MAX)))
    tricked = replace(FACTS, collection="Horse\u202e\u200bCollection\x00\n")
    assert png_bytes(draw(_report(), tricked)) == png_bytes(
        draw(_report(), replace(FACTS, collection="HorseCollection")))


def test_an_image_that_cannot_be_shown_safely_is_not_decoded() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 M pixels in a few kB
    shown = {png_bytes(draw(_report(), replace(FACTS, image=data)))
             for data in (svg, b"not an image", out.getvalue())}
    assert len(shown) == 1  # each: the same "image not shown" panel
    assert shown != {png_bytes(draw(_report(), FACTS))}


def test_a_mint_not_found_is_said_not_guessed() -> None:
    page = draw(_report(), replace(FACTS, mint=None), "en")
    assert decode_qr(png_bytes(page)) == FACTS.url
    assert png_bytes(page) != png_bytes(draw(_report(), FACTS, "en"))


def test_names_the_font_lacks_are_named_before_drawing() -> None:
    assert font_gaps(FACTS) == []
    gaps = font_gaps(replace(FACTS, collection="壬寅虎年 🐯", item="𠀀 #3"))
    assert len(gaps) == 2
    assert gaps[0].startswith("the contract's name()") and "🐯 (U+1F42F)" in gaps[0]
    assert gaps[1].startswith("the token's metadata name") and "𠀀 (U+20000)" in gaps[1]
