"""collection.yaml: defaults, every section, and one clear error per kind of mistake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import dataclasses
import re
import subprocess
import sys
import typing

import nft_toolkit.config
from nft_toolkit.config import (
    CollectionConfig,
    ContractConfig,
    IpfsConfig,
    RoyaltyConfig,
    ZodiacConfig,
    load_config,
)
from nft_toolkit.errors import ConfigError
from nft_toolkit.template import default_config_text, write_default_config

MINIMAL = {"name": "Year of the Horse 2026", "symbol": "HORSE26", "year": 2026, "size": 10}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "collection.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_minimal_config_gets_the_documented_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, MINIMAL))
    assert isinstance(cfg, CollectionConfig)
    assert (cfg.name, cfg.symbol, cfg.year, cfg.size, cfg.seed) == (
        "Year of the Horse 2026", "HORSE26", 2026, 10, 0)
    assert cfg.theme == "zodiac" and cfg.layers is None and cfg.zodiac.animals == "year"
    assert cfg.image_size is None and cfg.pixels == 1024  # the theme's size when not given
    assert cfg.description == "" and cfg.external_url == ""
    assert cfg.royalty.receiver is None and cfg.royalty.bps == 0
    assert cfg.contract.max_supply == 10
    assert cfg.contract.non_transferable is False and cfg.contract.freeze is True
    assert cfg.ipfs.backend == "local" and cfg.ipfs.cid_version == 0
    assert cfg.ipfs.kubo_api == "/ip4/127.0.0.1/tcp/5001/http"
    assert cfg.ipfs.pinning_service_url is None
    assert cfg.ipfs.pinning_token_env == "NFT_TOOLKIT_PINNING_TOKEN"
    assert cfg.root == tmp_path
    with pytest.raises(AttributeError):
        cfg.size = 3  # type: ignore[misc]


def test_the_profile_sets_the_cid_version(tmp_path: Path) -> None:
    """ipfs.profile names the IPIP-499 settings; cid_version: 1 alone keeps Kubo's CIDv1 ones."""
    def ipfs(section: dict[str, object]) -> IpfsConfig:
        return load_config(write(tmp_path, {**MINIMAL, "ipfs": section})).ipfs

    assert (ipfs({}).profile, ipfs({}).cid_version) == ("unixfs-v0-2015", 0)
    v1 = ipfs({"profile": "unixfs-v1-2025"})
    assert (v1.profile, v1.cid_version) == ("unixfs-v1-2025", 1)
    assert ipfs({"profile": "unixfs-v1-2025", "cid_version": 1}) == v1
    assert (ipfs({"cid_version": 1}).profile, ipfs({"cid_version": 1}).cid_version) == (None, 1)
    assert ipfs({"cid_version": 0}).profile == "unixfs-v0-2015"


def test_full_config_is_read_into_typed_sections(tmp_path: Path) -> None:
    receiver = "0x" + "ab" * 20
    cfg = load_config(write(tmp_path, {
        **MINIMAL, "seed": 7, "image_size": 512, "external_url": "https://bank.example/nft",
        "layers": {"dir": "art", "order": ["Background", "Body"],
                   "exclusions": [["Background/Red", "Body/Red"]],
                   "one_of_ones": [{"image": "special/gold.png", "name": "Golden Horse",
                                    "attributes": {"Background": "Gold", "Edition": 1}}]},
        "royalty": {"receiver": receiver, "bps": 750},
        "contract": {"non_transferable": True, "max_supply": 20, "freeze": False},
        "ipfs": {"backend": "pinning-service", "cid_version": 1,
                 "pinning_service_url": "https://psa.example/api", "pinning_token_env": "TOK"},
    }))
    assert cfg.theme is None and cfg.layers is not None
    assert cfg.layers.dir == tmp_path / "art"
    assert cfg.layers.order == ("Background", "Body")
    assert cfg.layers.exclusions == (("Background/Red", "Body/Red"),)
    one = cfg.layers.one_of_ones[0]
    assert one.image == tmp_path / "special/gold.png" and one.name == "Golden Horse"
    assert one.attributes == (("Background", "Gold"), ("Edition", "1"))
    # the one address parser's checksum form (all-lower hex carries no checksum to check)
    assert cfg.royalty.receiver == "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB" and cfg.royalty.bps == 750
    assert cfg.contract.max_supply == 20 and cfg.contract.non_transferable is True
    assert cfg.contract.freeze is False
    assert cfg.ipfs.backend == "pinning-service" and cfg.ipfs.cid_version == 1
    assert cfg.ipfs.pinning_service_url == "https://psa.example/api"
    assert cfg.ipfs.pinning_token_env == "TOK"


def test_layer_and_trait_names_are_read_in_normal_form(tmp_path: Path) -> None:
    """NFC, whitespace runs as one space, none around: as the layer folders are read."""
    cfg = load_config(write(tmp_path, {**MINIMAL, "layers": {
        "dir": "art", "order": [" Background", "Top\u00a0 Hat "],
        "exclusions": [["Background / Cafe\u0301", "Top  Hat/Red "]],
        "one_of_ones": [{"image": "g.png", "name": " Golden  Horse",
                         "attributes": {"Background ": "Cafe\u0301", "Top Hat": 5}}]}}))
    assert cfg.layers is not None
    assert cfg.layers.order == ("Background", "Top Hat")
    assert cfg.layers.exclusions == (("Background/Caf\u00e9", "Top Hat/Red"),)
    one = cfg.layers.one_of_ones[0]
    assert one.name == "Golden Horse"
    assert one.attributes == (("Background", "Caf\u00e9"), ("Top Hat", "5"))


@pytest.mark.parametrize(("change", "key", "fix"), [
    ({"colour": "red"}, "colour: unknown key", "remove it"),
    ({"royalty": {"bps": 500, "recipient": "x"}}, "royalty.recipient: unknown key", "receiver"),
    ({"size": "ten"}, "size: must be a whole number", "size: 1000"),
    ({"size": 0}, "size: must be a whole number from 1 to 1000000, got 0", "size: 1000"),
    ({"size": True}, "size: must be a whole number", ""),
    ({"year": 2026.5}, "year: must be a whole number", ""),
    ({"name": 5}, "name: must be text", "quotes"),
    ({"symbol": "HORSE 26"}, "symbol: invalid value", "letters, digits"),
    ({"theme": "cats"}, "theme: invalid value 'cats'", "'zodiac'"),
    ({"layers": {"dir": "art"}, "theme": "zodiac"}, "both `theme` and `layers`", "not both"),
    ({"layers": {"order": ["A"]}}, "layers.dir: missing", "add `dir:`"),
    ({"layers": {"dir": "art", "exclusions": [["Background/Red"]]}},
     "layers.exclusions[0]: invalid pair", "Background/Red"),
    ({"layers": {"dir": "art", "order": ["A", "A"]}}, "layers.order: names a layer twice", ""),
    ({"layers": {"dir": "art", "one_of_ones": [{"name": "x"}]}},
     "layers.one_of_ones[0].image: missing", ""),
    ({"layers": {"dir": "art", "order": ["Eyes", " eyes"]}}, "layers.order: names a layer twice",
     "once"),
    ({"layers": {"dir": "art", "order": ["Eyes", "Bo\u200bdy"]}},
     "layers.order[1]: name 'Bo\\u200bdy' holds an invisible character, U+200B", "number"),
    ({"layers": {"dir": "art", "exclusions": [["Background/Red", "Body/\ufeffRed"]]}},
     "layers.exclusions[0]: name '\\ufeffRed' holds an invisible character, U+FEFF", "pairs"),
    ({"layers": {"dir": "art", "exclusions": [["Background/ ", "Body/Red"]]}},
     "layers.exclusions[0]: name ' ' is empty", "pairs"),
    ({"layers": {"dir": "art", "one_of_ones": [{"image": "a.png", "name": " \t"}]}},
     "layers.one_of_ones[0].name: name ' \\t' is empty", "visible name"),
    ({"layers": {"dir": "art", "one_of_ones": [
        {"image": "a.png", "name": "Gold", "attributes": {"Eyes": "Red", "eyes ": "Blue"}}]}},
     "layers.one_of_ones[0].attributes.eyes : names a trait type given above it", "once"),
    ({"layers": {"dir": "art", "one_of_ones": [{"image": "a.png", "name": "Gold"},
                                               {"image": "b.png", "name": "GOLD"}]}},
     "layers.one_of_ones[1].name: 'GOLD' is the name of an earlier 1-of-1", "its own name"),
    ({"zodiac": {"animals": "some"}}, "zodiac.animals: invalid value", "'year' or 'all'"),
    ({"royalty": {"bps": 10_001}}, "royalty.bps: must be a whole number from 0 to 10000", "bps"),
    ({"royalty": {"receiver": "0x1234", "bps": 1}}, "royalty.receiver: '0x1234' is not an Ethereum "
     "address", "40 hex"),
    ({"royalty": {"receiver": "0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266", "bps": 1}},
     "royalty.receiver: '0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266' has a wrong EIP-55 checksum",
     "copy the address again"),
    ({"royalty": {"receiver": 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, "bps": 1}},
     "royalty.receiver: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 was read as a number",
     "put the address in quotes"),  # YAML reads a bare 0x… as hex
    ({"royalty": {"receiver": "0x" + "0" * 40, "bps": 1}}, "is the zero address", "remove the key"),
    ({"royalty": {"receiver": "treasury.eth", "bps": 1}}, "royalty.receiver: 'treasury.eth' looks "
     "like an ENS name", "0x address"),
    ({"royalty": {"receiver": "0x" + "ab" * 20}}, "royalty.bps: missing", ""),
    ({"royalty": 5}, "royalty: must be a mapping", ""),
    ({"contract": {"max_supply": 5}}, "contract.max_supply: 5 is below size 10", "at least 10"),
    ({"contract": {"max_supply": 2**32}}, "contract.max_supply: must be a whole number", ""),
    ({"contract": {"freeze": "yes please"}}, "contract.freeze: must be true or false", ""),
    ({"ipfs": {"backend": "s3"}}, "ipfs.backend: invalid value 's3'", "'kubo'"),
    ({"ipfs": {"cid_version": 2}}, "ipfs.cid_version: invalid value 2", "0 or 1"),
    ({"ipfs": {"cid_version": True}}, "ipfs.cid_version: invalid value True", "0 or 1"),
    ({"ipfs": {"profile": "unixfs-v2"}}, "ipfs.profile: invalid value 'unixfs-v2'",
     "'unixfs-v0-2015' or 'unixfs-v1-2025'"),
    ({"ipfs": {"profile": "unixfs-v1-2025", "cid_version": 0}},
     "ipfs.cid_version: 0 contradicts profile unixfs-v1-2025 (CIDv1)", "remove cid_version"),
    ({"ipfs": {"backend": "pinning-service"}}, "ipfs.pinning_service_url: missing", "https://"),
    ({"ipfs": {"pinning_token_env": "MY TOKEN"}}, "ipfs.pinning_token_env: invalid value", ""),
    ({"external_url": "bank.example"}, "external_url: invalid value", "https://"),
])
def test_each_mistake_names_file_key_and_fix(tmp_path: Path, change: dict[str, object],
                                             key: str, fix: str) -> None:
    path = write(tmp_path, {**MINIMAL, **change})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert key in message and fix in message
    assert "\n" not in message


@pytest.mark.parametrize(("text", "expected"), [
    ("name: [unclosed\n", "invalid YAML at line"),
    ("name: a\nname: b\n", "appears twice"),
    ("- just\n- a list\n", "the top level: must be a mapping"),
    ("symbol: X\nyear: 2026\nsize: 1\n", "name: missing"),
])
def test_malformed_files_are_config_errors(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nft-toolkit init"):
        load_config(tmp_path / "collection.yaml")


@pytest.mark.parametrize("year", [1900, 2024, 2026, 2031])
def test_default_config_is_valid_and_names_the_years_animal(tmp_path: Path, year: int) -> None:
    cfg = write_default_config(tmp_path, year, size=12, seed=3)
    assert load_config(tmp_path / "collection.yaml") == cfg
    assert cfg.year == year and cfg.size == 12 and cfg.seed == 3 and cfg.royalty.bps == 500
    animal = {1900: "Rat", 2024: "Dragon", 2026: "Horse", 2031: "Pig"}[year]
    assert cfg.name == f"Year of the {animal} {year}"


def test_default_config_with_layers_records_a_relative_folder(tmp_path: Path) -> None:
    cfg = write_default_config(tmp_path, 2026, layers_dir=tmp_path / "layers")
    assert "dir: \"layers\"" in (tmp_path / "collection.yaml").read_text()
    assert cfg.layers is not None and cfg.layers.dir == tmp_path / "layers"
    assert cfg.theme is None
    with pytest.raises(ConfigError, match="already exists"):
        write_default_config(tmp_path, 2026)


def test_default_text_round_trips_through_yaml() -> None:
    data = yaml.safe_load(default_config_text(2026))
    assert data["theme"] == "zodiac" and data["contract"]["max_supply"] == 100


# --- one declaration: the dataclasses; the reader, the docstring and the template agree ---

def _schema(cls: type = CollectionConfig, prefix: str = "") -> dict[str, Any]:
    """Every leaf key of collection.yaml the dataclasses declare -> its default (or MISSING)."""
    keys: dict[str, Any] = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name == "path":
            continue
        nested = [t for t in _types(hints[f.name]) if dataclasses.is_dataclass(t)]
        if nested:  # a section, or a list of items ([] in the key)
            if typing.get_origin(hints[f.name]) is tuple:  # the list itself, then its items
                keys[prefix + f.name] = f.default
                keys.update(_schema(nested[0], f"{prefix}{f.name}[]."))
            else:
                keys.update(_schema(nested[0], f"{prefix}{f.name}."))
        elif f.default_factory is not dataclasses.MISSING:
            keys[prefix + f.name] = f.default_factory()
        else:
            keys[prefix + f.name] = f.default
    return keys


def _types(hint: Any) -> list[Any]:
    return [hint, *(t for arg in typing.get_args(hint) for t in _types(arg))]


def _plain(value: Any) -> Any:
    """A dataclass default as YAML writes it: tuples are lists (or mappings, when empty)."""
    return list(value) if isinstance(value, tuple) else value


SCHEMA = _schema()
# Not a dataclass default: the contract's cap is the collection's size unless given.
DERIVED = {"contract.max_supply": "size"}


def test_the_reader_accepts_exactly_the_dataclasses_keys(tmp_path: Path) -> None:
    sections = {key.split(".")[0] for key in SCHEMA if "." in key}
    top = {key for key in SCHEMA if "." not in key} | sections
    assert top == {f.name for f in dataclasses.fields(CollectionConfig)} - {"path"}
    for section, cls in (("royalty", RoyaltyConfig), ("contract", ContractConfig),
                         ("ipfs", IpfsConfig), ("zodiac", ZodiacConfig)):
        with pytest.raises(ConfigError, match=rf"{section}\.nope: unknown key") as exc:
            load_config(write(tmp_path, {**MINIMAL, section: {"nope": 1}}))
        for f in dataclasses.fields(cls):  # the hint names every field the dataclass declares
            assert f.name in str(exc.value)


def test_keys_left_out_take_the_dataclasses_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, MINIMAL))
    for key, default in SCHEMA.items():
        if (key.startswith("layers.") or default is dataclasses.MISSING or key in DERIVED
                or key in MINIMAL):
            continue
        value: Any = cfg
        for part in key.split("."):
            value = getattr(value, part)
        assert value == default, key
    # A section given with one key keeps the dataclass's defaults for the others.
    cfg = load_config(write(tmp_path, {**MINIMAL, "ipfs": {"cid_version": 1},
                                       "contract": {"freeze": False},
                                       "royalty": {"bps": 10}}))
    assert cfg.ipfs == IpfsConfig(cid_version=1, profile=None)  # Kubo's --cid-version 1
    assert cfg.contract == ContractConfig(max_supply=10, freeze=False)
    assert cfg.royalty == RoyaltyConfig(bps=10)


_ROW = re.compile(r"^    (\S+)\s+.+?\s+(required|= (.+?))(?:\s+#.*)?$")


def test_the_docstring_schema_lists_every_key_with_the_dataclasses_default() -> None:
    doc = nft_toolkit.config.__doc__ or ""
    rows = {m.group(1): m for line in doc.split("::", 1)[1].splitlines()
            if (m := _ROW.match(line))}
    assert set(rows) == set(SCHEMA)
    for key, row in rows.items():
        default = SCHEMA[key]
        if key in DERIVED:
            assert row.group(3) == DERIVED[key], key
        elif row.group(2) == "required":
            assert default is dataclasses.MISSING, key
        else:
            written = yaml.safe_load(row.group(3))
            assert written == _plain(default) or (written == {} and default == ()), key


def _template_keys(text: str) -> dict[str, str | None]:
    """Every key the template writes or shows commented out -> its text value (None: a
    section or a commented example)."""
    keys: dict[str, str | None] = {}
    section = ""
    for line in text.splitlines():
        m = re.match(r"^( *)(# )?([a-z_]+):(?: +([^#]*?))?\s*(?:#.*)?$", line)
        if m is None:
            continue
        indent, commented, key, value = m.groups()
        if not indent:
            section = key
            full = key
        else:
            full = f"{section}.{key}"
        keys[full] = None if commented else value
    return keys


# Values `init` chooses for the collection, rather than defaults.
CHOSEN = {"name", "symbol", "year", "size", "seed", "description", "royalty.bps",
          "contract.max_supply", "layers.dir", "image_size"}


@pytest.mark.parametrize("layers", [None, "layers"])
def test_the_template_writes_declared_keys_with_their_defaults(layers: str | None) -> None:
    keys = _template_keys(default_config_text(2026, layers_dir=layers))
    sections = {key.split(".")[0] for key in SCHEMA if "." in key}
    written = {key for key, value in keys.items() if key not in sections}
    assert written <= set(SCHEMA), written - set(SCHEMA)  # nothing undeclared, even commented
    data = yaml.safe_load(default_config_text(2026, layers_dir=layers))
    for key in written - CHOSEN:
        if keys[key] is None:
            continue  # a commented example
        value: Any = data
        for part in key.split("."):
            value = value[part]
        assert value == _plain(SCHEMA[key]), key
    # Every key is shown, set or commented out, but the art the template does not use, the
    # items of one_of_ones, and the pinning service's URL (needed by that backend only).
    unused = (("zodiac.animals", "zodiac.card_language", "theme") if layers
              else ("layers.", "zodiac.attributes"))
    shown = {k for k in SCHEMA if not k.startswith(unused) and "[]" not in k}
    assert shown - written == {"ipfs.pinning_service_url"}


def test_config_does_not_import_the_artwork() -> None:
    """collection.yaml's reader sits below nft_toolkit.art (which reads it), not beside it."""
    code = "import sys, nft_toolkit.config; print(sorted(m for m in sys.modules if m.startswith('nft_toolkit.art')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("contract,policy,days", [
    ({"transfer_policy": "gift_after_hold", "hold_days": 30}, "gift_after_hold", 30),
    ({"non_transferable": True}, "non_transferable", 0),
    ({"non_transferable": True, "transfer_policy": "non_transferable"}, "non_transferable", 0),
    ({"non_transferable": False, "transfer_policy": "free"}, "free", 0),
    ({}, "free", 0),
])
def test_transfer_policy_and_the_older_non_transferable_key(tmp_path: Path, contract, policy, days) -> None:
    cfg = load_config(write(tmp_path, {**MINIMAL, "contract": contract}))
    assert (cfg.contract.transfer_policy, cfg.contract.hold_days) == (policy, days)
    assert cfg.contract.non_transferable is (policy == "non_transferable")


@pytest.mark.parametrize("contract,words", [
    ({"non_transferable": True, "transfer_policy": "gift_after_hold", "hold_days": 3},
     "contract.non_transferable: true contradicts transfer_policy: gift_after_hold"),
    ({"non_transferable": False, "transfer_policy": "non_transferable"},
     "contract.non_transferable: false contradicts transfer_policy: non_transferable"),
    ({"transfer_policy": "gift_after_hold"}, "contract.hold_days: missing for transfer_policy: gift_after_hold"),
    ({"transfer_policy": "free", "hold_days": 30}, "contract.hold_days: only applies to transfer_policy: gift_after_hold"),
    ({"transfer_policy": "gift_after_hold", "hold_days": 0}, "contract.hold_days: must be a whole number"),
    ({"transfer_policy": "gift_after_hold", "hold_days": 1.5}, "contract.hold_days: must be a whole number"),
    ({"transfer_policy": "soulbound"}, "contract.transfer_policy: invalid value 'soulbound'"),
])
def test_contradictory_transfer_settings_are_one_clear_error(tmp_path: Path, contract, words) -> None:
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, {**MINIMAL, "contract": contract}))
    assert words in str(exc.value) and "\n" not in str(exc.value)
