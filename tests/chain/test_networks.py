"""networks.yaml is read by collection.yaml's strict reader: every mistake is one line naming the
file, the key and the fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nft_toolkit.chain.networks import Network, load_networks
from nft_toolkit.errors import ConfigError

GOOD = "sepolia:\n  rpc_url: https://rpc.example/v3/${KEY}\n  chain_id: 11155111\n"


def _load(tmp_path: Path, text: str) -> dict[str, Network]:
    path = tmp_path / "networks.yaml"
    path.write_text(text)
    return load_networks(path)


def test_defaults_come_from_the_network_dataclass(tmp_path: Path) -> None:
    net = _load(tmp_path, GOOD)["sepolia"]
    assert net == Network("sepolia", ("https://rpc.example/v3/${KEY}",), 11155111)
    assert net.rpc_url == "https://rpc.example/v3/${KEY}"
    assert _load(tmp_path, "") == {}
    assert load_networks(tmp_path / "absent.yaml") == {}


@pytest.mark.parametrize("text, expected", [
    (GOOD + "  chain_id: 1\n", ["line 4", "key 'chain_id' appears twice", "fix the syntax"]),
    (GOOD + GOOD, ["key 'sepolia' appears twice"]),
    (GOOD + "  confirmations: true\n",
     ["sepolia.confirmations: must be a whole number of at least 1, got a true/false (True)",
      "write a number"]),
    (GOOD + "  confirmations: 0\n", ["sepolia.confirmations: must be a whole number"]),
    (GOOD + "  confirmation: 2\n",
     ["sepolia.confirmation: unknown key", "remove it or use one of: rpc_url, rpc_urls, "
                                           "chain_id, confirmations, keystore"]),
    (GOOD.replace("11155111", '"11155111"'),
     ["sepolia.chain_id: must be a whole number of at least 1, got text", "e.g. chain_id:"]),
    ("sepolia:\n  chain_id: 5\n", ["sepolia.rpc_url: missing", "add `rpc_url:`"]),
    ("sepolia:\n", ["sepolia: has no settings", "add rpc_url and chain_id"]),
    ("sepolia: https://x\n", ["sepolia: must be a mapping of keys to values"]),
    ("development:\n  rpc_url: https://x\n  chain_id: 1\n",
     ["development: is the local chain", "another name"]),
    ("bad/name:\n  rpc_url: https://x\n  chain_id: 1\n", ["bad/name: is not a network name"]),
    ("- sepolia\n", ["the top level: must be a mapping"]),
    ("sepolia: [unclosed\n", ["invalid YAML at line"]),
], ids=range(13))
def test_each_mistake_is_one_line_naming_file_key_and_fix(tmp_path: Path, text: str,
                                                          expected: list[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        _load(tmp_path, text)
    message = str(exc.value)
    assert message.startswith(f"{tmp_path / 'networks.yaml'}: ")
    assert "\n" not in message
    for part in expected:
        assert part in message


def test_an_rpc_url_kept_whole_in_the_environment(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a new user: `rpc_url: ${MY_RPC}` was refused as "'1' is not an http(s) URL"
    (the variable was checked as the placeholder 1), though the variable held a good URL."""
    from nft_toolkit.chain.networks import expand_url

    path = tmp_path / "networks.yaml"
    path.write_text("n1:\n  rpc_url: ${MY_RPC}\n  chain_id: 1337\n"
                    "n2:\n  rpc_url: https://rpc.example/v3/${KEY}\n  chain_id: 1\n")
    nets = load_networks(path)
    monkeypatch.setenv("MY_RPC", "http://127.0.0.1:8545")
    monkeypatch.setenv("KEY", "s3cret")
    assert expand_url(nets["n1"].rpc_url or "") == "http://127.0.0.1:8545"
    assert expand_url(nets["n2"].rpc_url or "") == "https://rpc.example/v3/s3cret"
    monkeypatch.setenv("MY_RPC", "not a url")
    with pytest.raises(ConfigError, match=r"'\$\{MY_RPC\}' does not expand to an http\(s\) URL"):
        expand_url("${MY_RPC}")
    monkeypatch.delenv("MY_RPC")
    with pytest.raises(ConfigError, match="needs the environment variable MY_RPC"):
        expand_url("${MY_RPC}")
    path.write_text("n3:\n  rpc_url: ftp://x/${KEY}\n  chain_id: 1\n")
    with pytest.raises(ConfigError, match=r"n3.rpc_url 'ftp://x/\$\{KEY\}' is not an http"):
        load_networks(path)  # the URL as written, not with a placeholder in it


LISTED = "bank:\n  rpc_urls:\n    - http://10.0.0.5:8545\n    - https://rpc.example/v3/${KEY}\n" \
         "  chain_id: 8848\n"


def test_several_endpoints_are_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nft_toolkit.chain.connect import open_chain
    from nft_toolkit.chain.endpoints import EndpointsProvider

    net = _load(tmp_path, LISTED)["bank"]
    assert net.rpc_urls == ("http://10.0.0.5:8545", "https://rpc.example/v3/${KEY}")
    monkeypatch.setenv("KEY", "s3cret0123456789abcdef")
    chain = open_chain(net, None, start=False, check=False)  # nothing asked of the endpoints yet
    assert chain.urls == ("http://10.0.0.5:8545", "https://rpc.example/v3/s3cret0123456789abcdef")
    assert isinstance(chain.w3.provider, EndpointsProvider)
    assert "s3cret" not in repr(chain) and "/v3/***" in repr(chain)
    monkeypatch.delenv("KEY")
    with pytest.raises(ConfigError, match="RPC endpoint 2 of bank needs the environment variable KEY"):
        open_chain(net, None, start=False, check=False)


@pytest.mark.parametrize("text, expected", [
    (LISTED.replace("  chain_id", "  rpc_url: http://x\n  chain_id"),
     ["bank.rpc_urls: given beside rpc_url", "remove rpc_url"]),
    ("bank:\n  rpc_urls: []\n  chain_id: 1\n", ["bank.rpc_urls: is empty"]),
    ("bank:\n  rpc_urls: http://x\n  chain_id: 1\n",
     ["bank.rpc_urls: must be a list", "rpc_urls: [https://a.example/rpc"]),
    ("bank:\n  rpc_urls: [http://x, http://x]\n  chain_id: 1\n",
     ["bank.rpc_urls[1]: repeats 'http://x'"]),
    ("bank:\n  rpc_urls: [http://x, 'ftp://y/v3/0123456789abcdef0123']\n  chain_id: 1\n",
     ["bank.rpc_urls[1] 'ftp://y/v3/***' is not an http(s) URL"]),
], ids=["both", "empty", "not-a-list", "repeated", "not-http"])
def test_each_list_mistake_is_one_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        _load(tmp_path, text)
    message = str(exc.value)
    assert message.startswith(f"{tmp_path / 'networks.yaml'}: ") and "\n" not in message
    for part in expected:
        assert part in message
    assert "0123456789abcdef0123" not in message


def test_rpc_url_repeated_or_comma_separated() -> None:
    from nft_toolkit.chain.networks import resolve_network

    net = resolve_network("bank", "http://a:8545, http://b:8545", 8848, {}, 1337)
    assert net.rpc_urls == ("http://a:8545", "http://b:8545") and net.chain_id == 8848
    for text, said in [("http://a:8545,,http://b:8545", "empty URL between commas"),
                       ("http://a:8545,http://a:8545", "names 'http://a:8545' twice"),
                       ("http://a:8545,b:8545", "is not an http(s) URL"),
                       ("http://a:8545 http://b:8545", "holds a space: give several endpoints "
                                                       "by repeating the option")]:
        with pytest.raises(ConfigError, match=re.escape(said)):
            resolve_network("bank", text, 8848, {}, 1337)
