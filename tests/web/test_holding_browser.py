"""Proof of holding and "issued by <domain>" on the token page, in Debian's chromium: a test
EIP-1193 provider (injected with add_init_script) backed by a development key, whose signing is
done in Python (expose_function), proves the holder; a stranger's wallet is refused; without a
wallet the page tells a phone to open it in a wallet app's browser, a computer to use the command
line. The issuer known by its domain is served over real HTTPS with a test certificate
authority."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from eth_account.messages import encode_defunct

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.holding import ProofRefused
from nft_toolkit.identity import WELL_KNOWN_PATH, Collection, sign_statement, statement_bytes
from nft_toolkit.web.i18n import MESSAGES
from nft_toolkit.web.service import Options
from tests.support.browser import LOCALES, phone
from tests.support.cli import CUSTOMER
from tests.support.https import CertAuthority, HttpsSite
from tests.support.web import AUTHENTIC, LiveServer, WebCollection

PROVIDER = """
window.ethereum = {
  isTestWallet: true,
  request: async ({ method, params }) => {
    if (method === "eth_requestAccounts" || method === "eth_accounts") return [await window.testWalletAddress()];
    if (method === "personal_sign") return await window.testWalletSign(params[0], params[1]);
    throw Object.assign(new Error(`unsupported method ${method}`), { code: 4200 });
  },
};
"""


def wallet_page(browser, lang: str, key=None, edit=lambda message: message, viewport=None):
    """A phone-sized page whose window.ethereum signs with `key` (None: no wallet at all) the
    message as `edit` changes it."""
    context = phone(browser, lang) if viewport is None else browser.new_context(
        viewport=viewport, locale=LOCALES[lang], device_scale_factor=1, is_mobile=True,
        extra_http_headers={"Accept-Language": LOCALES[lang]})
    signed: list[str] = []
    if key is not None:
        def sign(data: str, address: str) -> str:
            assert address.lower() == key.address.lower()
            message = edit(bytes.fromhex(data.removeprefix("0x")))
            signed.append(message.decode())
            return "0x" + bytes(key.sign_message(encode_defunct(message)).signature).hex()
        context.expose_function("testWalletAddress", lambda: key.address)
        context.expose_function("testWalletSign", sign)
        context.add_init_script(PROVIDER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, signed, errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_holder_proves_with_a_wallet(browser, site: LiveServer, shots: Path, lang: str) -> None:
    context, page, signed, errors = wallet_page(browser, lang, dev_account(1))
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    page.locator("#prove").click()
    status = page.locator("#prove-status[data-state=held]")
    status.wait_for(timeout=30000)
    words = MESSAGES[lang]["prove.held"].split("{holder}")[0]
    assert status.inner_text().startswith(words) and CUSTOMER in status.inner_text()
    assert len(signed) == 1 and f"/{AUTHENTIC}" in signed[0].splitlines()[-1]
    assert page.locator("#prove-phone").is_hidden()  # this browser is already a wallet's
    assert errors == []
    page.screenshot(path=str(shots / f"holding-{lang}.png"), full_page=True)
    context.close()


def refused_as(page, lang: str, reason: str, **params: str) -> None:
    """The page's refusal is the catalogue's wording of `reason` in `lang`."""
    status = page.locator("#prove-status[data-state=refused]")
    status.wait_for(timeout=30000)
    words = MESSAGES[lang][f"prove.reason.{reason}"]
    for key, value in params.items():
        words = words.replace("{" + key + "}", value)
    assert status.inner_text() == MESSAGES[lang]["prove.refused"].replace("{reason}", words)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_strangers_wallet_is_refused(browser, site: LiveServer, lang: str) -> None:
    stranger = dev_account(4)
    context, page, _, errors = wallet_page(browser, lang, stranger)
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    page.locator("#prove").click()
    refused_as(page, lang, "not_holder", address=stranger.address)
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_changed_message_is_said_in_the_pages_language(browser, site: LiveServer,
                                                         lang: str) -> None:
    """A wallet that signs other bytes than the challenge (here a line break added): the
    page says the message or the signature does not match, not whom it recovers to."""
    context, page, _, errors = wallet_page(browser, lang, dev_account(1),
                                           edit=lambda message: message + b"\n")
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    page.locator("#prove").click()
    refused_as(page, lang, "bad_signature")
    assert errors == []
    context.close()


def test_every_refusal_is_worded_in_both_languages() -> None:
    for reason in [*ProofRefused.STATUS, "not_minted", "unavailable", "unreachable"]:
        for lang in ("zh", "en"):
            assert MESSAGES[lang].get(f"prove.reason.{reason}"), (lang, reason)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width,height", [(390, 844), (360, 640)])
def test_without_a_wallet_a_phone_is_told_how(browser, site: LiveServer, shots: Path, lang: str,
                                              width: int, height: int) -> None:
    """A phone's own browser has no wallet: the page says to open it in a wallet app's browser
    (its address shown, a button copies it), the command line being for a computer."""
    context, page, _, errors = wallet_page(browser, lang,
                                           viewport={"width": width, "height": height})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    words = MESSAGES[lang]
    assert page.locator("#prove-status[data-state=nowallet]").inner_text() == \
        words["prove.nowallet"]
    assert page.locator("#prove").is_hidden()
    assert page.locator("#prove-phone p").first.inner_text() == \
        words["prove.phone"].replace("{button}", words["prove.button"])
    link = f"{site.url}/token/{AUTHENTIC}"
    assert page.locator("#page-link").inner_text() == link
    page.locator("#copy-link").click()
    # the label changes once the clipboard's promise settles: waited for, not read at once
    page.wait_for_function("([id, text]) => document.getElementById(id).textContent === text",
                           arg=["copy-link", words["prove.copied"]], timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert words["prove.computer"] in page.locator("#holding").inner_text()
    assert f"nft-toolkit prove {AUTHENTIC} --service {site.url} --keystore FILE" in \
        page.locator("#holding pre").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    page.locator("#holding").screenshot(path=str(shots / f"holding-nowallet-{width}-{lang}.png"))
    context.close()


@pytest.fixture(scope="module")
def domain_site(web_items: WebCollection, tmp_path_factory: pytest.TempPathFactory):
    """The issuer's domain served over HTTPS (a test CA trusted through SSL_CERT_FILE), and a
    service that knows the issuer only by that domain."""
    authority = CertAuthority(tmp_path_factory.mktemp("ca"))
    mp = pytest.MonkeyPatch()
    mp.setenv("SSL_CERT_FILE", str(authority.cert_file))
    try:
        with HttpsSite({}, authority.server_context()) as https:
            statement = sign_statement(dev_account(0), https.domain,
                                       [Collection(1337, web_items.record.address, "Test Horse")])
            https.routes[WELL_KNOWN_PATH] = (200, {}, statement_bytes(statement))
            with LiveServer(Options(project_dir=str(web_items.project.root),
                                    issuer=https.domain)) as server:
                yield server, https.domain
    finally:
        mp.undo()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_issued_by_the_domain(browser, domain_site, shots: Path, lang: str) -> None:
    server, domain = domain_site
    answer = requests.get(f"{server.url}/api/v1/tokens/{AUTHENTIC}", timeout=60).json()
    assert answer["verdict"] == "authentic" and answer["issuer_domain"] == domain
    context, page, _, _ = wallet_page(browser, lang)
    page.goto(f"{server.url}/token/{AUTHENTIC}")
    assert page.locator(".issued-by").inner_text() == \
        MESSAGES[lang]["issued_by"].replace("{domain}", domain)
    assert page.locator(".checks li[data-check='issuer_domain'].c-ok").count() == 1
    assert f"--issuer {domain}" in page.locator("#command").inner_text()
    page.screenshot(path=str(shots / f"issued-by-{lang}.png"), full_page=True)
    context.close()
