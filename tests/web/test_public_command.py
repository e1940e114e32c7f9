"""The page's "check it yourself" command: never the service's own RPC URL (a key may sit in
its credentials or its path), a placeholder in the page's language; always a gateway, so the
command works as printed outside the project."""

from __future__ import annotations

import html

import requests

from nft_toolkit.chain.networks import redact_url
from nft_toolkit.web.service import PUBLIC_GATEWAY, Options
from tests.support.web import AUTHENTIC, LiveServer, WebCollection

KEY = "abcdef0123456789abcdef0123456789"


def test_redact_url_hides_a_key_in_the_path() -> None:
    assert redact_url(f"http://user:pw@127.0.0.1:8641/v3/{KEY}") == "http://***@127.0.0.1:8641/v3/***"
    assert redact_url("https://eth.g.alchemy.com/v2/Ab_cD-1234567890xyzXYZ?x=1") == \
        "https://eth.g.alchemy.com/v2/***"
    assert redact_url("https://rpc.bank.example/mainnet-archive/") == \
        "https://rpc.bank.example/mainnet-archive/"


def command_of(site: LiveServer, lang: str) -> str:
    page = requests.get(f"{site.url}/token/{AUTHENTIC}?lang={lang}", timeout=60)
    assert 'id="command"' in page.text, page.text
    return html.unescape(page.text.split('id="command">', 1)[1].split("</pre>", 1)[0])


def test_the_command_shows_no_rpc_url_and_names_a_gateway(web_items: WebCollection) -> None:
    state = web_items.local.status()
    assert state is not None
    url = state.url.replace("http://", "http://user:pw@") + f"/v3/{KEY}"
    with LiveServer(Options(project_dir=str(web_items.project.root), network="development",
                            rpc_url=url, chain_id=1337)) as keyed:
        english, chinese = command_of(keyed, "en"), command_of(keyed, "zh")
        page = requests.get(f"{keyed.url}/token/{AUTHENTIC}", timeout=60).text
    for command in (english, chinese):
        assert KEY not in command and "127.0.0.1" not in command and "user" not in command
        assert f"--gateway {PUBLIC_GATEWAY}" in command
    assert KEY not in page and "pw@" not in page
    assert "--rpc-url <RPC URL of chain 1337> " in english
    assert "--rpc-url <链 1337 的 RPC 地址> " in chinese
    gateway = "https://gateway.bank.example"
    with LiveServer(Options(project_dir=str(web_items.project.root), gateway=gateway)) as given:
        assert f"--gateway {gateway}" in command_of(given, "en")
