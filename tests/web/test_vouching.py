"""The service vouches only for its own collection: a verification URL naming another contract,
chain or issuer (a forger's QR code pointing at the bank's site) is `counterfeit`, never
authentic, and gets no certificate or proof-of-holding links."""

from __future__ import annotations

import requests

from nft_toolkit.caip19 import AssetId, format_verification_url
from nft_toolkit.chain.accounts import dev_account
from tests.support.web import AUTHENTIC, LiveServer, WebCollection


def test_a_forgers_own_contract_and_issuer_is_counterfeit(site: LiveServer,
                                                          web_items: WebCollection) -> None:
    record = web_items.record
    forger = dev_account(9).address  # who deployed the look-alike (its own issuer: it verifies)
    url = format_verification_url(site.url, AssetId(record.chain_id, web_items.lookalike,
                                                    AUTHENTIC), forger)
    page = requests.get(url, timeout=60)
    assert page.status_code == 200 and 'data-verdict="counterfeit"' in page.text
    assert 'data-verdict="authentic"' not in page.text
    assert "不是本发行方的系列" in page.text  # default language: Chinese
    assert web_items.lookalike in page.text and record.address in page.text
    assert "/certificate/" not in page.text and 'id="holding"' not in page.text
    api = requests.get(url, headers={"Accept": "application/json"}, timeout=60)
    assert api.status_code == 200 and api.json()["verdict"] == "counterfeit"
    detail = api.json()["checks"][-1]["detail"]
    assert web_items.lookalike in detail and record.address in detail and forger in detail
    own = format_verification_url(site.url, AssetId(record.chain_id, record.address, AUTHENTIC),
                                  record.issuer)
    mine = requests.get(own, timeout=60)
    assert 'data-verdict="authentic"' in mine.text
    assert f"/certificate/{AUTHENTIC}.png" in mine.text
    assert requests.get(own, headers={"Accept": "application/json"},
                        timeout=60).json()["verdict"] == "authentic"
