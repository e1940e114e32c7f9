"""collection.yaml: the typed, validated configuration of one collection project.

:func:`load_config` reads the file once, at the edge, and returns frozen dataclasses; every
problem (YAML syntax, unknown key, wrong type, bad value) raises one :class:`ConfigError`
whose message names the file, the key and the fix. :func:`default_config_text` is what
``nft-toolkit init`` writes.

Schema (defaults after ``=``)::

    name: str                      symbol: str            year: int
    size: int                      seed: int = 0          description: str = ""
    external_url: str = ""         image_size: int = 1024   # the zodiac theme's pixels
    theme: "zodiac"                # XOR layers; "zodiac" when neither is given
    zodiac: {animals: year|all = year}                       # zodiac theme only
    layers: {dir: str, order: [str]?, exclusions: [[str, str]] = [],   # images keep their size
             one_of_ones: [{image: str, name: str, description: str?, attributes: {str: str}?}] = []}
    royalty: {receiver: address?, bps: int = 0}             # receiver None -> the issuer
    contract: {non_transferable: bool = false, max_supply: int = size, freeze: bool = true}
    ipfs: {backend: local|kubo|pinning-service = local, cid_version: 0|1 = 0,
           kubo_api: str = "/ip4/127.0.0.1/tcp/5001/http", pinning_service_url: str?,
           pinning_token_env: str = "NFT_TOOLKIT_PINNING_TOKEN"}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from nft_toolkit.address import address_problem, parse_address, shown
from nft_toolkit.art.calendar import animal_of
from nft_toolkit.art.names import BadName, name_key, normal_name
from nft_toolkit.atomic import write_text
from nft_toolkit.errors import ConfigError

ZODIAC = "zodiac"
THEMES = (ZODIAC,)
IPFS_BACKENDS = ("local", "kubo", "pinning-service")
MAX_SIZE = 1_000_000
MIN_IMAGE_SIZE, MAX_IMAGE_SIZE = 32, 4096

_SYMBOL = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRAIT_REF = re.compile(r"^[^/]+/[^/]+$")


@dataclass(frozen=True)
class RoyaltyConfig:
    """ERC-2981 royalty: `bps` basis points of each sale to `receiver` (None: the issuer)."""

    receiver: str | None = None
    bps: int = 0


@dataclass(frozen=True)
class ContractConfig:
    """Deployment parameters of the collection contract."""

    max_supply: int
    non_transferable: bool = False
    freeze: bool = True


@dataclass(frozen=True)
class IpfsConfig:
    """Where and how `pin` stores the collection."""

    backend: Literal["local", "kubo", "pinning-service"] = "local"
    cid_version: Literal[0, 1] = 0
    kubo_api: str = "/ip4/127.0.0.1/tcp/5001/http"
    pinning_service_url: str | None = None
    pinning_token_env: str = "NFT_TOOLKIT_PINNING_TOKEN"


@dataclass(frozen=True)
class OneOfOne:
    """A hand-made item: its own image file, name and attributes, outside the trait space."""

    image: Path
    name: str
    description: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LayersConfig:
    """Custom artwork from HashLips-style layer folders (``1-Background/Name#weight.png``).

    Layer and trait names are the folder name without its numeric prefix and the file name
    without ``#weight.png``; `exclusions` pairs are written ``"Layer/Trait"``. Every name here
    is already in the normal form of :func:`nft_toolkit.art.names.normal_name`.
    """

    dir: Path
    order: tuple[str, ...] | None = None
    exclusions: tuple[tuple[str, str], ...] = ()
    one_of_ones: tuple[OneOfOne, ...] = ()


@dataclass(frozen=True)
class ZodiacConfig:
    """Options of the built-in theme: only the year's animal, or all twelve."""

    animals: Literal["year", "all"] = "year"


@dataclass(frozen=True)
class CollectionConfig:
    """One collection.yaml, validated. `path` is the file it was read from."""

    path: Path
    name: str
    symbol: str
    year: int
    size: int
    contract: ContractConfig
    seed: int = 0
    description: str = ""
    external_url: str = ""
    image_size: int = 1024
    theme: str | None = ZODIAC
    layers: LayersConfig | None = None
    zodiac: ZodiacConfig = field(default_factory=ZodiacConfig)
    royalty: RoyaltyConfig = field(default_factory=RoyaltyConfig)
    ipfs: IpfsConfig = field(default_factory=IpfsConfig)

    @property
    def root(self) -> Path:
        """The project folder (the one holding collection.yaml)."""
        return self.path.parent


class _Reader:
    """Typed access to one YAML mapping, raising ConfigError with the file and dotted key."""

    def __init__(self, path: Path, data: Any, prefix: str = "") -> None:
        self.path, self.prefix = path, prefix
        where = prefix.rstrip(".") or "the top level"
        if not isinstance(data, Mapping):
            self.fail(where, f"must be a mapping of keys to values, got {_kind(data)}",
                      "write it as `key: value` lines")
        self.data: Mapping[str, Any] = data

    def fail(self, key: str, problem: str, fix: str) -> None:
        raise ConfigError(f"{self.path}: {key}: {problem}; {fix}")

    def key(self, name: str) -> str:
        return self.prefix + name

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for name in self.data:
            if name not in allowed:
                hint = ", ".join(allowed)
                self.fail(self.key(str(name)), "unknown key", f"remove it or use one of: {hint}")

    def has(self, name: str) -> bool:
        return name in self.data and self.data[name] is not None

    def _get(self, name: str, required: bool) -> Any:
        if not self.has(name):
            if required:
                self.fail(self.key(name), "missing", f"add `{name}:` to the file")
            return None
        return self.data[name]

    def string(self, name: str, *, required: bool = False, default: str | None = None,
               pattern: re.Pattern[str] | None = None, fix: str = "") -> str | None:
        value = self._get(name, required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(self.key(name), f"must be text, got {_kind(value)}",
                      fix or f"write it in quotes, e.g. {name}: \"...\"")
        if pattern is not None and not pattern.match(value):
            self.fail(self.key(name), f"invalid value {value!r}", fix)
        return cast(str, value)

    def address(self, name: str, fix: str) -> str | None:
        """An address through the one parser (nft_toolkit.address), in checksum form."""
        value = self.string(name, fix=fix)
        if value is None:
            return None
        problem = address_problem(value)
        if problem is not None:
            self.fail(self.key(name), f"{shown(value)} {problem}", fix)
        return parse_address(value, self.key(name))

    def integer(self, name: str, *, required: bool = False, default: int | None = None,
                low: int | None = None, high: int | None = None, fix: str = "") -> int | None:
        value = self._get(name, required)
        if value is None:
            return default
        bounds = _bounds(low, high)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(self.key(name), f"must be a whole number{bounds}, got {_kind(value)}",
                      fix or f"write a number, e.g. {name}: {low if low is not None else 0}")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(self.key(name), f"must be a whole number{bounds}, got {value}",
                      fix or "use a value in that range")
        return cast(int, value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._get(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(self.key(name), f"must be true or false, got {_kind(value)}",
                      f"write {name}: true or {name}: false")
        return cast(bool, value)

    def choice(self, name: str, options: tuple[Any, ...], default: Any) -> Any:
        value = self._get(name, False)
        if value is None:
            return default
        # `1 in (0, 1)` is also true for True: compare types too.
        if not any(type(value) is type(o) and value == o for o in options):
            listed = " or ".join(repr(o) if isinstance(o, str) else str(o) for o in options)
            self.fail(self.key(name), f"invalid value {value!r}", f"use {listed}")
        return value

    def section(self, name: str) -> _Reader | None:
        if not self.has(name):
            return None
        return _Reader(self.path, self.data[name], self.key(name) + ".")

    def string_list(self, name: str, fix: str) -> list[str] | None:
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(self.key(name), f"must be a list of text items, got {_kind(value)}", fix)
        return cast(list[str], value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a true/false ({value!r})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice in one mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]

_TOP_KEYS = ("name", "symbol", "year", "size", "seed", "description", "external_url",
             "image_size", "theme", "zodiac", "layers", "royalty", "contract", "ipfs")


def load_config(path: Path) -> CollectionConfig:
    """Reads and validates collection.yaml at `path`; raises ConfigError naming key and fix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; run `nft-toolkit init DIR` or pass --project DIR") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc}); check the file") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: invalid YAML{line}: {problem}; fix the syntax there") \
            from None
    return parse_config(data, path)


def parse_config(data: Any, path: Path) -> CollectionConfig:
    """Validates an already parsed collection.yaml mapping; `path` is named in errors."""
    top = _Reader(path, data)
    top.check_keys(_TOP_KEYS)
    name = top.string("name", required=True)
    symbol = top.string("symbol", required=True, pattern=_SYMBOL,
                        fix="use 1 to 16 letters, digits, '-' or '_', e.g. HORSE26")
    year = top.integer("year", required=True, low=1, high=9999)
    size = top.integer("size", required=True, low=1, high=MAX_SIZE,
                       fix="set the number of items to generate, e.g. size: 1000")
    seed = top.integer("seed", default=0, low=0, high=2**63 - 1)
    description = top.string("description", default="")
    external_url = top.string("external_url", default="")
    if external_url and not external_url.startswith(("https://", "http://", "ipfs://")):
        top.fail("external_url", f"invalid value {external_url!r}",
                 "use an https:// address or leave it empty")
    image_size = top.integer("image_size", default=1024, low=MIN_IMAGE_SIZE, high=MAX_IMAGE_SIZE)
    assert name is not None and symbol is not None and year is not None and size is not None
    assert seed is not None and description is not None and external_url is not None
    assert image_size is not None
    if not name.strip():
        top.fail("name", "is empty", "give the collection a name")

    layers_reader = top.section("layers")
    if layers_reader is not None and top.has("theme"):
        top.fail("theme", "both `theme` and `layers` are set",
                 "keep `theme` for the built-in artwork or `layers` for your own, not both")
    theme: str | None = None
    layers: LayersConfig | None = None
    if layers_reader is not None:
        layers = _layers(layers_reader, path)
    else:
        theme = top.choice("theme", THEMES, ZODIAC)
    zodiac = ZodiacConfig()
    zodiac_reader = top.section("zodiac")
    if zodiac_reader is not None:
        if layers is not None:
            top.fail("zodiac", "only applies to the built-in theme",
                     "remove it, or remove `layers` to use the zodiac theme")
        zodiac_reader.check_keys(("animals",))
        zodiac = ZodiacConfig(animals=zodiac_reader.choice("animals", ("year", "all"), "year"))

    royalty = RoyaltyConfig()
    r = top.section("royalty")
    if r is not None:
        r.check_keys(("receiver", "bps"))
        royalty = RoyaltyConfig(
            receiver=r.address("receiver", fix="give the receiver's 0x address, or remove the "
                                                "key to pay the issuer"),
            bps=cast(int, r.integer("bps", required=True, low=0, high=10_000,
                                    fix="use basis points, e.g. bps: 500 for 5%")),
        )

    contract = ContractConfig(max_supply=size)
    c = top.section("contract")
    if c is not None:
        c.check_keys(("non_transferable", "max_supply", "freeze"))
        max_supply = cast(int, c.integer("max_supply", default=size, low=1, high=2**63 - 1))
        if max_supply < size:
            c.fail(c.key("max_supply"), f"{max_supply} is below size {size}",
                   f"set it to at least {size} or remove it")
        contract = ContractConfig(
            max_supply=max_supply,
            non_transferable=c.boolean("non_transferable", False),
            freeze=c.boolean("freeze", True),
        )

    ipfs = IpfsConfig()
    i = top.section("ipfs")
    if i is not None:
        i.check_keys(("backend", "cid_version", "kubo_api", "pinning_service_url",
                      "pinning_token_env"))
        backend = i.choice("backend", IPFS_BACKENDS, "local")
        url = i.string("pinning_service_url")
        if url is not None and not url.startswith(("https://", "http://")):
            i.fail(i.key("pinning_service_url"), f"invalid value {url!r}",
                   "use the service's https:// API address")
        if backend == "pinning-service" and url is None:
            i.fail(i.key("pinning_service_url"), "missing for backend 'pinning-service'",
                   "add the service's API address, e.g. https://api.pinata.cloud/psa")
        ipfs = IpfsConfig(
            backend=backend,
            cid_version=i.choice("cid_version", (0, 1), 0),
            kubo_api=cast(str, i.string("kubo_api", default=IpfsConfig.kubo_api)),
            pinning_service_url=url,
            pinning_token_env=cast(str, i.string(
                "pinning_token_env", default=IpfsConfig.pinning_token_env, pattern=_ENV_NAME,
                fix="name an environment variable, e.g. NFT_TOOLKIT_PINNING_TOKEN")),
        )

    return CollectionConfig(
        path=path, name=name, symbol=symbol, year=year, size=size, seed=seed,
        description=description, external_url=external_url, image_size=image_size,
        contract=contract, theme=theme, layers=layers, zodiac=zodiac, royalty=royalty, ipfs=ipfs,
    )


def _layers(r: _Reader, path: Path) -> LayersConfig:
    r.check_keys(("dir", "order", "exclusions", "one_of_ones"))
    base = path.parent
    folder = base / cast(str, r.string("dir", required=True,
                                       fix="name the folder holding the layer folders"))
    order = r.string_list("order", "list the layer names from back to front, e.g. "
                                   "[Background, Body, Eyes]")
    if order is not None:
        order = [_name(r, f"{r.key('order')}[{n}]", raw, "write the folder's name without its "
                       "number") for n, raw in enumerate(order)]
        if len({name_key(name) for name in order}) != len(order):
            r.fail(r.key("order"), "names a layer twice", "list each layer once")
    exclusions: list[tuple[str, str]] = []
    raw = r.data.get("exclusions")
    fix = 'write pairs that must not appear together, e.g. - ["Background/Red", "Body/Red"]'
    if raw is not None:
        if not isinstance(raw, list):
            r.fail(r.key("exclusions"), f"must be a list of pairs, got {_kind(raw)}", fix)
        for n, pair in enumerate(raw):
            ok = (isinstance(pair, list) and len(pair) == 2
                  and all(isinstance(p, str) and _TRAIT_REF.match(p) for p in pair))
            if not ok:
                r.fail(f"{r.key('exclusions')}[{n}]", f"invalid pair {pair!r}", fix)
            first, second = (
                "/".join(_name(r, f"{r.key('exclusions')}[{n}]", part, fix)
                         for part in ref.split("/")) for ref in pair)
            exclusions.append((first, second))
    ones: list[OneOfOne] = []
    raw = r.data.get("one_of_ones")
    if raw is not None:
        if not isinstance(raw, list):
            r.fail(r.key("one_of_ones"), f"must be a list, got {_kind(raw)}",
                   "write items as - {image: art/gold.png, name: Golden Horse}")
        for n, item in enumerate(raw):
            o = _Reader(path, item, f"{r.key('one_of_ones')}[{n}].")
            o.check_keys(("image", "name", "description", "attributes"))
            image = cast(str, o.string("image", required=True,
                                       fix="give the PNG's path relative to collection.yaml"))
            attrs: list[tuple[str, str]] = []
            a = o.section("attributes")
            if a is not None:
                for k, v in a.data.items():
                    if not isinstance(k, str) or isinstance(v, (list, Mapping)) or v is None:
                        a.fail(a.key(str(k)), "must map a trait name to a text value",
                               "write e.g. Background: Gold")
                    key = _name(a, a.key(k), k, "write e.g. Background: Gold")
                    if any(name_key(key) == name_key(other) for other, _ in attrs):
                        a.fail(a.key(k), "names a trait type given above it",
                               "give each trait type once")
                    attrs.append((key, _name(a, a.key(k), str(v), "write e.g. Background: Gold")))
            name = _name(o, o.key("name"), cast(str, o.string("name", required=True)),
                         "give the item a visible name")
            if any(name_key(name) == name_key(other.name) for other in ones):
                o.fail(o.key("name"), f"{name!r} is the name of an earlier 1-of-1",
                       "give each 1-of-1 its own name")
            ones.append(OneOfOne(image=base / image, name=name,
                                 description=o.string("description"), attributes=tuple(attrs)))
    return LayersConfig(dir=folder, order=tuple(order) if order is not None else None,
                        exclusions=tuple(exclusions), one_of_ones=tuple(ones))


def _name(r: _Reader, key: str, raw: str, fix: str) -> str:
    """`raw` as a layer or trait name (:func:`normal_name`), or a ConfigError naming `key`."""
    try:
        return normal_name(raw)
    except BadName as exc:
        problem = f"name {raw!r} {exc}"
    r.fail(key, problem, fix)
    raise AssertionError("unreachable: fail raises")


def default_config_text(year: int, *, layers_dir: str | None = None, size: int = 100,
                        seed: int = 0) -> str:
    """The collection.yaml `init` writes: a zodiac-year collection, commented for editing."""
    animal = animal_of(year)
    art = (f"layers:\n  dir: {_yaml_str(layers_dir)}   # 1-Background/Name#weight.png, ...\n"
           "  # order: [Background, Body]   # default: the folders' numeric prefixes\n"
           "  exclusions: []                # pairs never drawn together: [\"Layer/A\", \"Layer/B\"]\n"
           "  one_of_ones: []               # hand-made items: {image: PATH, name: NAME}\n"
           if layers_dir is not None else
           "theme: zodiac     # built-in artwork; or `layers:` for your own layer folders\n"
           "zodiac:\n  animals: year    # year: only the year's animal; all: the twelve animals\n")
    return (
        f"# nft-toolkit collection: Year of the {animal} {year}\n"
        f"name: {_yaml_str(f'Year of the {animal} {year}')}\n"
        f"symbol: {animal.upper()[:8]}{year % 100:02d}\n"
        f"year: {year}\n"
        f"size: {size}          # number of items\n"
        f"seed: {seed}   # same seed, same bytes\n"
        f"description: {_yaml_str(f'A limited collection celebrating the Year of the {animal} {year}.')}\n"
        "external_url: \"\"    # https://... shown by marketplaces\n"
        "image_size: 1024\n"
        f"{art}"
        "royalty:\n"
        "  # receiver: \"0x...\"   # default: the issuer\n"
        "  bps: 500          # 5% of each resale\n"
        "contract:\n"
        "  non_transferable: false\n"
        f"  max_supply: {size}\n"
        "  freeze: true      # freeze the metadata after pinning\n"
        "ipfs:\n"
        "  backend: local    # local | kubo | pinning-service\n"
        "  cid_version: 0\n"
        "  kubo_api: /ip4/127.0.0.1/tcp/5001/http\n"
        "  pinning_token_env: NFT_TOOLKIT_PINNING_TOKEN\n"
    )


def write_default_config(root: Path, year: int, *, layers_dir: Path | None = None,
                         size: int = 100, seed: int = 0) -> CollectionConfig:
    """Writes `root`/collection.yaml for `init` (refusing to overwrite one) and validates it.

    A layers folder inside `root` is recorded relative to it, so the project can be moved.
    """
    target = root / "collection.yaml"
    if target.exists():
        raise ConfigError(f"{target}: already exists; edit it, or init another folder")
    if not 1 <= year <= 9999:
        raise ConfigError(f"--year: {year} is not a year; give e.g. --year 2026")
    layers: str | None = None
    if layers_dir is not None:
        absolute = layers_dir.resolve()
        try:
            layers = absolute.relative_to(root.resolve()).as_posix()
        except ValueError:
            layers = absolute.as_posix()
    text = default_config_text(year, layers_dir=layers, size=size, seed=seed)
    config = parse_config(yaml.load(text, Loader=_StrictLoader), target)  # noqa: S506
    write_text(target, text)
    return config


def _yaml_str(text: str) -> str:
    return yaml.safe_dump(text, default_style='"').strip()
