"""Proof of holding and "issued by <domain>" on the token page, in Debian's chromium: a test
EIP-1193 provider (injected with add_init_script) backed by a development key, whose signing is
done in Python (expose_function), proves the holder; a stranger's wallet is refused; without a
wallet the page points to the command line. The issuer known by its domain is served over real
HTTPS with a test certificate authority."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from eth_account.messages import encode_defunct

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.identity import WELL_KNOWN_PATH, Collection, sign_statement, statement_bytes
from nft_toolkit.web.i18n import MESSAGES
from nft_toolkit.web.service import Options
from tests.support.browser import phone
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


def wallet_page(browser, lang: str, key=None):
    """A phone-sized page whose window.ethereum signs with `key` (None: no wallet at all)."""
    context = phone(browser, lang)
    signed: list[str] = []
    if key is not None:
        def sign(data: str, address: str) -> str:
            assert address.lower() == key.address.lower()
            message = bytes.fromhex(data.removeprefix("0x"))
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
    assert errors == []
    page.screenshot(path=str(shots / f"holding-{lang}.png"), full_page=True)
    context.close()


def test_a_strangers_wallet_is_refused(browser, site: LiveServer) -> None:
    context, page, _, errors = wallet_page(browser, "en", dev_account(4))
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    page.locator("#prove").click()
    status = page.locator("#prove-status[data-state=refused]")
    status.wait_for(timeout=30000)
    assert "does not hold the token" in status.inner_text() and CUSTOMER in status.inner_text()
    assert errors == []
    context.close()


def test_without_a_wallet_the_page_points_to_the_cli(browser, site: LiveServer) -> None:
    context, page, _, errors = wallet_page(browser, "en")
    page.goto(f"{site.url}/token/{AUTHENTIC}")
    assert page.locator("#prove-status[data-state=nowallet]").inner_text() == \
        MESSAGES["en"]["prove.nowallet"]
    assert page.locator("#prove").is_hidden()
    assert f"nft-toolkit prove {AUTHENTIC} --service {site.url} --keystore FILE" in \
        page.locator("#holding pre").inner_text()
    assert errors == []
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
