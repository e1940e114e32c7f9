"""Networks by name: `development` (the local ganache) or JSON-RPC endpoints from networks.yaml.

A project may hold a ``networks.yaml`` beside collection.yaml::

    sepolia:
      rpc_url: https://sepolia.example/v3/${SEPOLIA_KEY}   # ${VAR} is read from the environment
      # or several endpoints of the one chain (nft_toolkit.chain.endpoints):
      # rpc_urls: [https://a.example/v3/${KEY_A}, https://b.example/rpc]
      chain_id: 11155111        # required: checked before anything is sent
      confirmations: 2          # optional, default 2 (1 on development)
      keystore: ~/.keys/issuer.json   # optional, see nft_toolkit.chain.accounts
      fees: legacy              # optional: auto (default), legacy or eip1559 (nft_toolkit.chain.fees)
      gas_price: 0              # optional, legacy: wei as a number, or text such as "20 gwei"
      signer_url: http://127.0.0.1:8550   # optional: an external signer (eth_signTransaction)
      from: "0x..."             # the issuer's address at that signer

A network given only as ``--rpc-url`` takes its expected chain ID from ``--chain-id`` or, for
reads of a deployed collection, from the deployment record. ``--rpc-url`` may be repeated (or
its value be URLs separated by commas, as etcdctl's ``--endpoints``) for several endpoints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from nft_toolkit.chain.fees import FeePolicy, fee_mode, parse_gas_price
from nft_toolkit.configfile import Reader, given, keys_of, read_yaml
from nft_toolkit.errors import ConfigError
from nft_toolkit.urls import ENV_REF as _ENV_REF
# URLs are checked, expanded and redacted in one place; these names stay importable from here
from nft_toolkit.urls import check_url as check_url
from nft_toolkit.urls import expand_url as expand_url
from nft_toolkit.urls import redact_text as redact_text
from nft_toolkit.urls import redact_url as redact_url

DEVELOPMENT = "development"
NETWORKS_FILE = "networks.yaml"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Network:
    """Where a network answers and what chain it must be."""

    name: str
    rpc_urls: tuple[str, ...]  # none for `development`: the local chain's URL is known once it runs
    chain_id: int | None  # None only for an ad-hoc --rpc-url read without an expectation
    confirmations: int = 2
    keystore: Path | None = None
    fees: FeePolicy = FeePolicy()
    signer_url: str | None = None  # an external signer's JSON-RPC URL (may hold ${VAR})
    from_address: str | None = None  # the account it signs for: `from:` in networks.yaml

    @property
    def is_development(self) -> bool:
        return self.name == DEVELOPMENT

    @property
    def rpc_url(self) -> str | None:
        """The first endpoint (None for `development` until it runs)."""
        return self.rpc_urls[0] if self.rpc_urls else None


def development(chain_id: int) -> Network:
    """The local development chain: its URL is known once it runs, one confirmation is final."""
    return Network(DEVELOPMENT, (), chain_id, confirmations=1)


def check_name(name: str) -> str:
    """`name` if it can name a network (and so a deployment record file)."""
    if not _NAME.match(name):
        raise ConfigError(f"{name!r} is not a network name (letters, digits, '.', '_', '-')")
    return name


def load_networks(path: Path) -> dict[str, Network]:
    """The networks of a networks.yaml (empty when the file does not exist).

    Read by the strict reader of collection.yaml (:mod:`nft_toolkit.configfile`): a repeated
    key, an unknown key or a value of the wrong type is one ConfigError naming file, key and fix.
    """
    if not path.is_file():
        return {}
    data = read_yaml(path, "create it, or pass --rpc-url")
    if data is None:  # an empty file: no networks yet
        return {}
    top = Reader(path, data)
    return {str(name): _network(top, str(name)) for name in top.data}


def _network(top: Reader, name: str) -> Network:
    if not _NAME.match(name):
        top.fail(name, "is not a network name",
                 "name it with letters, digits, '.', '_' or '-', e.g. sepolia")
    if name == DEVELOPMENT:
        top.fail(name, "is the local chain and cannot be redefined",
                 "give the network another name")
    entry = top.section(name)
    if entry is None:
        top.fail(name, "has no settings", "add rpc_url and chain_id under it")
    assert entry is not None
    # `fees:` and `gas_price:` make up Network.fees; `from:` is Network.from_address
    # `rpc_url:` (one) or `rpc_urls:` (a list) make up Network.rpc_urls
    entry.check_keys(("rpc_url", *keys_of(Network, exclude=("name", "from_address")),
                      "gas_price", "from"))
    urls = _rpc_urls(top, entry, name)
    chain_id = entry.integer("chain_id", required=True, low=1,
                             fix="give the chain it must be, e.g. chain_id: 11155111")
    keystore = entry.string("keystore", fix="give the keystore file's path")
    signer_url = entry.string("signer_url", fix="give the signer's http(s) JSON-RPC URL")
    if signer_url is not None and not signer_url.startswith("${"):
        check_url(_ENV_REF.sub("1", signer_url), f"{top.path}: {name}.signer_url", shown=signer_url)
    sender = entry.address("from", "give the address the signer signs for, in quotes")
    if (signer_url is None) != (sender is None):
        top.fail(f"{name}.{'from' if sender is None else 'signer_url'}", "missing",
                 "an external signer needs both signer_url and from")
    if signer_url is not None and keystore is not None:
        top.fail(f"{name}.keystore", "given beside signer_url",
                 "sign with the keystore or the external signer: remove one")
    where = f"{top.path}: {name}"
    mode = fee_mode(entry.data["fees"], f"{where}.fees") if entry.has("fees") else "auto"
    price = (parse_gas_price(entry.data["gas_price"], f"{where}.gas_price")
             if entry.has("gas_price") else None)
    if mode == "eip1559" and price is not None:
        top.fail(f"{name}.gas_price", "is the price of legacy transactions, and fees: eip1559 "
                 "sends none", "remove gas_price, or set fees: legacy")
    return Network(name, urls, chain_id, **given(
        confirmations=entry.integer("confirmations", low=1),
        keystore=Path(keystore).expanduser() if keystore else None,
        fees=FeePolicy(mode, price), signer_url=signer_url, from_address=sender))


def _rpc_urls(top: Reader, entry: Reader, name: str) -> tuple[str, ...]:
    """The endpoints of a network's entry: `rpc_url: URL` or `rpc_urls: [URL, ...]`, each
    checked (``${VAR}`` stands for 1, a value a host or a port may hold; a URL that is all
    ``${VAR}`` is checked once expanded, when it is used)."""
    if entry.has("rpc_url") and entry.has("rpc_urls"):
        top.fail(f"{name}.rpc_urls", "given beside rpc_url",
                 "list every endpoint under rpc_urls and remove rpc_url")
    if entry.has("rpc_urls"):
        key = "rpc_urls"
        listed = entry.string_list(key, "write the endpoints as a list, e.g. "
                                        "rpc_urls: [https://a.example/rpc, https://b.example/rpc]")
        urls = tuple(listed or ())
        if not urls:
            top.fail(f"{name}.rpc_urls", "is empty", "list the network's http(s) JSON-RPC URLs")
    else:
        key = "rpc_url"
        urls = (cast(str, entry.string(key, required=True,
                                       fix="give the network's http(s) JSON-RPC URL")),)
    for i, url in enumerate(urls):
        where = f"{top.path}: {name}.{key}" + (f"[{i}]" if key == "rpc_urls" else "")
        if not url.startswith("${"):
            check_url(_ENV_REF.sub("1", url), where, shown=url)
        if url in urls[:i]:
            top.fail(f"{name}.rpc_urls[{i}]", f"repeats {redact_url(url)!r}", "list each once")
    return urls


def split_rpc_urls(text: str, what: str = "--rpc-url") -> tuple[str, ...]:
    """The endpoints `text` names: one URL, or several separated by commas (the form a repeated
    ``--rpc-url`` is joined into); each checked, none twice."""
    urls = tuple(part.strip() for part in text.split(","))
    for i, url in enumerate(urls):
        if not url:
            raise ConfigError(f"{what} {redact_url(text)!r} has an empty URL between commas")
        if len(url.split()) > 1:
            raise ConfigError(f"{what} {redact_url(url)!r} holds a space: give several endpoints "
                              "by repeating the option or separating them by commas")
        check_url(url, what)
        if url in urls[:i]:
            raise ConfigError(f"{what} names {redact_url(url)!r} twice")
    return urls




def resolve_network(name: str | None, rpc_url: str | None, chain_id: int | None,
                    known: dict[str, Network], dev_chain_id: int) -> Network:
    """The network the options name: `--rpc-url` (one URL, or several separated by commas) wins,
    then `--network` (default development)."""
    if rpc_url is not None:
        urls = split_rpc_urls(rpc_url)
        label = check_name(name) if name else "custom"
        return Network(label, urls, chain_id, confirmations=1 if chain_id == dev_chain_id else 2)
    name = check_name(name or DEVELOPMENT)
    if name == DEVELOPMENT:
        if chain_id is not None and chain_id != dev_chain_id:
            raise ConfigError(f"the development chain is chain {dev_chain_id}, not {chain_id}")
        return development(dev_chain_id)
    if name not in known:
        names = ", ".join([DEVELOPMENT, *sorted(known)])
        raise ConfigError(f"unknown network {name!r} (known: {names}); add it to {NETWORKS_FILE} "
                          "or pass --rpc-url")
    network = known[name]
    if chain_id is not None and chain_id != network.chain_id:
        raise ConfigError(f"network {name} is chain {network.chain_id}, not --chain-id {chain_id}")
    return network
