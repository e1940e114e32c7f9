"""The chain stopped under a running service: customers get one coded answer in their words,
the same for every token (whatever the process kept from earlier requests) and for an upload,
never the service's RPC URL or an operator's command (those go to the service's log); the page
still names the collection's chain, in the asset ID, the contract line and the command."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests

from nft_toolkit.web.i18n import MESSAGES
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.verify.trust import CHAIN_UNREADABLE, CONTENT_UNREADABLE
from nft_toolkit.web.outage import CHAIN_DOWN, CONTENT_DOWN, for_customers
from nft_toolkit.web.service import Options
from tests.support.browser import PHONE, phone
from tests.support.collection import tiny_png
from tests.support.endpoint import Endpoint
from tests.support.web import AUTHENTIC, LiveServer, WebCollection

OTHER = 4  # never asked for before the chain stops: nothing about it kept


@pytest.fixture(scope="module")
def stopped(web_items: WebCollection):
    """A service whose chain answered one page, then stopped (the endpoint in front of it
    dies at the next request)."""
    state = web_items.local.status()
    assert state is not None
    with Endpoint(state.url) as endpoint, LiveServer(Options(
            project_dir=str(web_items.project.root), network="development",
            rpc_url=endpoint.url, chain_id=state.chain_id)) as server:
        warm = requests.get(f"{server.url}/api/v1/tokens/{AUTHENTIC}", timeout=60)
        assert warm.json()["verdict"] == "authentic", warm.text
        endpoint.die_after("*", 1)
        yield server, endpoint


def leaks(text: str, endpoint: Endpoint) -> list[str]:
    said = [w for w in (endpoint.url, endpoint.url.rsplit(":", 1)[1], "chain start",
                        "eth_blockNumber", "127.0.0.1") if w in text]
    return said


def test_the_api_answers_alike_without_the_cause(stopped, caplog) -> None:
    server, endpoint = stopped
    caplog.set_level(logging.WARNING, logger="nft_toolkit.web")
    for token in (AUTHENTIC, OTHER):
        answer = requests.get(f"{server.url}/api/v1/tokens/{token}", timeout=60)
        assert answer.status_code == 502 and answer.json()["verdict"] == "unverifiable"
        assert answer.json()["checks"] == [{"name": "contract", "ok": False,
                                            "detail": CHAIN_DOWN}], answer.text
        assert not leaks(answer.text, endpoint)
    upload = requests.post(f"{server.url}/api/v1/verify-file", timeout=60,
                           files={"file": ("item.png", tiny_png(99), "image/png")})
    assert upload.status_code == 502 and upload.json()["checks"] == [
        {"name": "contract", "ok": False, "detail": CHAIN_DOWN}], upload.text
    challenge = requests.get(f"{server.url}/api/v1/tokens/{AUTHENTIC}/challenge", timeout=60)
    assert challenge.status_code == 502 and challenge.json() == {
        "held": False, "reason": "unreachable", "error": CHAIN_DOWN}  # coded, for the page's words
    # the operator's log keeps the cause
    assert endpoint.url.rsplit(":", 1)[1] in caplog.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_says_it_in_the_customers_words(browser, stopped, shots: Path,
                                                 lang: str) -> None:
    server, endpoint = stopped
    words = {**MESSAGES["en"], **MESSAGES[lang]}
    said = words.get("detail.cannot_read_chain", CHAIN_DOWN)
    context = phone(browser, lang)
    page = context.new_page()
    for token in (AUTHENTIC, OTHER):
        response = page.goto(f"{server.url}/token/{token}")
        assert response.status == 502
        assert page.locator(".verdict").get_attribute("data-verdict") == "unverifiable"
        checks = page.locator(".checks li")
        assert checks.count() == 1 and checks.first.get_attribute("data-check") == "contract"
        assert checks.first.locator(".detail").inner_text() == said
        body = page.locator("body").inner_text()
        assert not leaks(body, endpoint), body
        chain = f"{words['chain']} 1337"
        assert chain in page.locator(".facts").inner_text()
        assert page.locator("#asset-id").inner_text().startswith("eip155:1337/erc721:0x")
        assert words["cli.rpc_url"].replace("{chain}", "1337") in page.locator("#command").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(shots / f"chain-down-{token}-{lang}.png"), full_page=True)
    page.goto(f"{server.url}/")
    page.set_input_files("input[type=file]", files=[{"name": "item.png", "mimeType": "image/png",
                                                     "buffer": tiny_png(99)}])
    with page.expect_navigation():
        page.locator("form[action='/verify-file'] button").click()
    assert page.locator(".verdict").get_attribute("data-verdict") == "unverifiable"
    assert page.locator(".checks li .detail").all_inner_texts() == [said]
    assert not leaks(page.locator("body").inner_text(), endpoint)
    page.screenshot(path=str(shots / f"chain-down-upload-{lang}.png"), full_page=True)
    context.close()


def test_what_a_customer_sees_of_an_outage(caplog) -> None:
    """Pure: the chain down is one check whatever came before; the content down keeps the
    checks the chain answered and words the failed one without its cause."""
    caplog.set_level(logging.WARNING, logger="nft_toolkit.web")
    cause = "block Qm… is not in the local store /srv/bank/.nft-toolkit/blocks"
    report = Report(7, "0xC0ffee")
    report.passed("contract", "0xC0ffee on chain 1337", "contract.ok")
    report.failed("image", f"cannot check: {cause}", Verdict.UNVERIFIABLE, CONTENT_UNREADABLE,
                  reason=cause)
    shown = for_customers(report)
    assert [(c.name, c.ok, c.detail) for c in shown.checks] == [
        ("contract", True, "0xC0ffee on chain 1337"), ("image", False, CONTENT_DOWN)]
    assert shown.checks[-1].params == () and cause in caplog.text
    assert MESSAGES["zh"]["detail.cannot_read_content"] == "暂时无法读取藏品内容，请稍后再试"
    report = Report(7, "0xC0ffee")
    report.passed("runtime_code", "kept from an earlier request", "runtime_code.ok")
    report.failed("issuer", "cannot check: the chain at http://10.0.0.5:8545/key does not answer",
                  Verdict.UNVERIFIABLE, CHAIN_UNREADABLE)
    shown = for_customers(report)
    assert shown.as_json()["checks"] == [{"name": "contract", "ok": False, "detail": CHAIN_DOWN}]
    assert shown.verdict is Verdict.UNVERIFIABLE and "10.0.0.5:8545/key" in caplog.text
    authentic = Report(7, "0xC0ffee")
    authentic.passed("contract", "fine", "contract.ok")
    assert for_customers(authentic) is authentic
