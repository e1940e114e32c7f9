"""collection.yaml: the typed, validated configuration of one collection project.

The dataclasses below declare every key and its default, once: :func:`parse_config` accepts
their fields as keys and leaves a key that is not given to the dataclass's default.
:func:`load_config` reads the file once, at the edge (with the strict reader of
:mod:`nft_toolkit.configfile`), and returns frozen dataclasses; every problem (YAML syntax, a
repeated or unknown key, wrong type, bad value) raises one :class:`ConfigError` whose message
names the file, the key and the fix. :mod:`nft_toolkit.template` holds what ``nft-toolkit
init`` writes. ``tests/test_config.py`` holds this schema, and that template, to the
dataclasses.

Schema: each key, its values, and its default (``required`` when the file must give it)::

    name                              text                           required
    symbol                            1-16 of A-Z a-z 0-9 - _        required
    year                              1..9999                        = null  # required by the theme
    size                              items, 1..1000000              required
    seed                              0..2**63-1                     = 0
    description                       text                           = ""
    external_url                      https://, http:// or ipfs://   = ""
    image_size                        pixels 32..4096, or [w, h]     = null  # theme 1024; layers own
    theme                             zodiac (not with layers)       = zodiac
    zodiac.animals                    year | all                     = year
    zodiac.card_language              en | zh | bilingual            = en
    zodiac.attributes                 true | false                   = false  # layers: Year, Zodiac...
    layers.dir                        folder, from collection.yaml   required
    layers.order                      [layer names], back to front   = null  # by folder number
    layers.exclusions                 [[Layer/Trait, Layer/Trait]]   = []
    layers.one_of_ones                [{image, name, ...}], 1-of-1s  = []
    layers.one_of_ones[].image        PNG, from collection.yaml      required
    layers.one_of_ones[].name         text                           required
    layers.one_of_ones[].description  text                           = null
    layers.one_of_ones[].attributes   {trait type: value}            = {}
    layers.options                    [{layer, blend, ...}], per layer = []
    layers.options[].layer            layer name                     required
    layers.options[].blend            normal | multiply | screen ... = normal  # BLEND_MODES
    layers.options[].opacity          0..1                           = 1.0
    layers.options[].bypass_dna       true | false                   = false
    layers.options[].display_name     trait type in the metadata     = null  # the layer's name
    layers.background                 "#rrggbb" | generated          = null  # none
    layers.configurations             [{up_to, order}], by edition   = []  # instead of order
    layers.configurations[].up_to     last edition it draws          required
    layers.configurations[].order     [layer names], back to front   required
    extra_metadata                    {key: text or number}          = {}  # in every token
    royalty.receiver                  0x address                     = null  # the issuer
    royalty.bps                       basis points, 0..10000         = 0  # required in royalty
    contract.max_supply               size..2**32-1                  = size
    contract.transfer_policy          free | non_transferable | gift_after_hold = free
    contract.hold_days                whole days, 1..36500           = 0  # required by gift_after_hold
    contract.freeze                   true | false                   = true
    ipfs.backend                      local | kubo | pinning-service = local
    ipfs.profile                      unixfs-v0-2015 | unixfs-v1-2025 = unixfs-v0-2015  # see below
    ipfs.cid_version                  0 | 1                          = 0  # the profile's
    ipfs.kubo_api                     Kubo RPC address               = /ip4/127.0.0.1/tcp/5001/http
    ipfs.pinning_service_url          https:// API address, ${VAR}   = null  # pinning-service
    ipfs.pinning_token_env            environment variable name      = NFT_TOOLKIT_PINNING_TOKEN
    ipfs.requests_per_minute          1..1000000, the service's limit = null  # no limit of our own
    ipfs.requests_burst               1..10000 requests at once      = 1
    ipfs.pin_items                    true | false, a pin per file   = false  # pinning-service only

``contract.non_transferable: true`` (the older key) means ``transfer_policy: non_transferable``;
with a ``transfer_policy`` that says otherwise it is an error, as is ``hold_days`` with a policy
other than ``gift_after_hold`` (:mod:`nft_toolkit.policy`).

``ipfs.pinning_service_url`` may name environment variables as ``${VAR}``, as networks.yaml's
URLs do (``https://api.example/psa/${PSA_KEY}``): a key in the URL stays out of the file. They are
read when `pin` uses the URL, and the URL is shown in messages without credentials, query or
key-like path segments. The access token itself comes from ``ipfs.pinning_token_env``.

``ipfs.requests_per_minute`` and ``ipfs.requests_burst`` bound every request the ``kubo`` and
``pinning-service`` backends make (:mod:`nft_toolkit.ipfs.pinning.ratelimit`); set them to the
limits the pinning service publishes. A 429 answer's ``Retry-After`` is honoured in any case.

``ipfs.profile`` names the IPIP-499 CID import settings (:data:`nft_toolkit.ipfs.importer.PROFILES`)
and sets ``cid_version``; a ``cid_version`` that contradicts it is an error. ``cid_version: 1``
with no profile keeps the settings it always had, Kubo's ``ipfs add --cid-version 1`` (raw leaves,
256 KiB chunks, 174 links): ``profile`` is then null.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from nft_toolkit.configfile import Reader, given, keys_of, kind, read_yaml
from nft_toolkit.names import BadName, name_key, normal_name
from nft_toolkit.policy import MAX_HOLD_DAYS, TRANSFER_POLICIES, TransferPolicy
from nft_toolkit.urls import redact_url

ZODIAC = "zodiac"
THEMES = (ZODIAC,)
IPFS_BACKENDS = ("local", "kubo", "pinning-service")
MAX_SIZE = 1_000_000
MIN_IMAGE_SIZE, MAX_IMAGE_SIZE = 32, 4096
THEME_PIXELS = 1024
CARD_LANGUAGES = ("en", "zh", "bilingual")
# Layer blend modes (nft_toolkit.art.blend draws them); HashLips' name of normal is source-over.
BLEND_MODES = ("normal", "source-over", "multiply", "screen", "overlay", "darken", "lighten",
               "hard-light", "soft-light", "difference")
# Keys every token's metadata has: extra_metadata may not replace them.
TOKEN_KEYS = ("name", "description", "image", "attributes", "dna", "edition", "external_url")

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
    """Deployment parameters of the collection contract. The transfer policy and its hold
    (:mod:`nft_toolkit.policy`) are fixed at deployment."""

    max_supply: int
    transfer_policy: TransferPolicy = "free"
    hold_days: int = 0  # whole days, only for gift_after_hold
    freeze: bool = True

    @property
    def non_transferable(self) -> bool:
        """Whether tokens are soulbound (``contract.non_transferable: true`` in older files)."""
        return self.transfer_policy == "non_transferable"


@dataclass(frozen=True)
class IpfsConfig:
    """Where and how `pin` stores the collection."""

    backend: Literal["local", "kubo", "pinning-service"] = "local"
    profile: str | None = "unixfs-v0-2015"  # None: Kubo's defaults for cid_version
    cid_version: Literal[0, 1] = 0
    kubo_api: str = "/ip4/127.0.0.1/tcp/5001/http"
    pinning_service_url: str | None = None
    pinning_token_env: str = "NFT_TOOLKIT_PINNING_TOKEN"
    requests_per_minute: int | None = None  # None: no limit of our own (429s still honoured)
    requests_burst: int = 1
    pin_items: bool = False  # also one pin per image and metadata file (scope.item_targets)


@dataclass(frozen=True)
class OneOfOne:
    """A hand-made item: its own image file, name and attributes, outside the trait space."""

    image: Path
    name: str
    description: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LayerOptions:
    """How one layer is drawn and counted, HashLips' per-layer options: blend mode
    (:data:`BLEND_MODES`), opacity 0..1, `bypass_dna` (drawn and shown in the metadata but left
    out of the DNA, so items that differ only there count as the same), and the trait type the
    metadata shows (default: the folder's name)."""

    layer: str
    blend: str = "normal"
    opacity: float = 1.0
    bypass_dna: bool = False
    display_name: str | None = None


@dataclass(frozen=True)
class LayerConfiguration:
    """One of several layer configurations (HashLips' layerConfigurations): the editions after
    the previous configuration's `up_to`, through this one's, stack `order`."""

    up_to: int
    order: tuple[str, ...]


@dataclass(frozen=True)
class LayersConfig:
    """Custom artwork from HashLips-style layer folders (``1-Background/Name#weight.png``).

    Layer and trait names are the folder name without its numeric prefix and the file name
    without ``#weight.png``; `exclusions` pairs are written ``"Layer/Trait"``. Every name here
    is already in the normal form of :func:`nft_toolkit.names.normal_name`.
    """

    dir: Path
    order: tuple[str, ...] | None = None
    exclusions: tuple[tuple[str, str], ...] = ()
    one_of_ones: tuple[OneOfOne, ...] = ()
    options: tuple[LayerOptions, ...] = ()
    background: str | None = None  # "#rrggbb", "generated" (a hue per item), None: none
    configurations: tuple[LayerConfiguration, ...] = ()  # () : one, `order`


@dataclass(frozen=True)
class ZodiacConfig:
    """Zodiac options. The theme: only the year's animal or all twelve, and the cards' language
    (``en``: YEAR OF THE TIGER; ``zh``: the sexagenary year, 壬寅虎年; ``bilingual``: both).
    Layer collections: `attributes` adds Year, Zodiac, Element and Edition attributes (it needs
    ``year``); the theme's cards always carry them."""

    animals: Literal["year", "all"] = "year"
    card_language: Literal["en", "zh", "bilingual"] = "en"
    attributes: bool = False


@dataclass(frozen=True)
class CollectionConfig:
    """One collection.yaml, validated. `path` is the file it was read from."""

    path: Path
    name: str
    symbol: str
    size: int
    contract: ContractConfig
    year: int | None = None  # None: an artist's collection without a zodiac year
    seed: int = 0
    description: str = ""
    external_url: str = ""
    image_size: int | tuple[int, int] | None = None  # None: see `pixels`, `layers_size`
    extra_metadata: tuple[tuple[str, str | int | float | bool], ...] = ()

    @property
    def pixels(self) -> int:
        """The built-in theme's square size: image_size, 1024 when not given."""
        return self.image_size if isinstance(self.image_size, int) else THEME_PIXELS

    @property
    def zodiac_attributes(self) -> bool:
        """Whether tokens carry Year, Zodiac, Element and Edition attributes."""
        return self.layers is None or self.zodiac.attributes
    theme: str | None = ZODIAC
    layers: LayersConfig | None = None
    zodiac: ZodiacConfig = field(default_factory=ZodiacConfig)
    royalty: RoyaltyConfig = field(default_factory=RoyaltyConfig)
    ipfs: IpfsConfig = field(default_factory=IpfsConfig)

    @property
    def root(self) -> Path:
        """The project folder (the one holding collection.yaml)."""
        return self.path.parent


def load_config(path: Path) -> CollectionConfig:
    """Reads and validates collection.yaml at `path`; raises ConfigError naming key and fix."""
    path = Path(path)
    data = read_yaml(path, "run `nft-toolkit init DIR` or pass --project DIR")
    return parse_config(data, path)


def parse_config(data: Any, path: Path) -> CollectionConfig:
    """Validates an already parsed collection.yaml mapping; `path` is named in errors.

    Keys are the dataclasses' fields and a key left out takes the dataclass's default.
    """
    top = Reader(path, data)
    top.check_keys(keys_of(CollectionConfig, exclude=("path",)))
    name = top.string("name", required=True)
    symbol = top.string("symbol", required=True, pattern=_SYMBOL,
                        fix="use 1 to 16 letters, digits, '-' or '_', e.g. HORSE26")
    layers_reader = top.section("layers")
    year = top.integer("year", required=layers_reader is None, low=1, high=9999,
                       fix="give the zodiac year, e.g. year: 2026")
    size = top.integer("size", required=True, low=1, high=MAX_SIZE,
                       fix="set the number of items to generate, e.g. size: 1000")
    assert name is not None and symbol is not None and size is not None
    external_url = top.string("external_url")
    if external_url and not external_url.startswith(("https://", "http://", "ipfs://")):
        top.fail("external_url", f"invalid value {external_url!r}",
                 "use an https:// address or leave it empty")
    if not name.strip():
        top.fail("name", "is empty", "give the collection a name")
    optional = given(
        seed=top.integer("seed", low=0, high=2**63 - 1),
        description=_nfc(top.string("description")),
        external_url=external_url,
        image_size=_image_size(top, layers_reader is not None),
        year=year,
        extra_metadata=_extra_metadata(top),
    )

    if layers_reader is not None and top.has("theme"):
        top.fail("theme", "both `theme` and `layers` are set",
                 "keep `theme` for the built-in artwork or `layers` for your own, not both")
    if layers_reader is not None:
        layers = _layers(layers_reader, path)
        if layers.configurations and layers.configurations[-1].up_to < size:
            layers_reader.fail(layers_reader.key("configurations"), f"the last draws editions "
                               f"up to {layers.configurations[-1].up_to}, below size {size}",
                               f"set its up_to to {size}")
        optional.update(layers=layers, theme=None)
    else:
        optional.update(given(theme=top.choice("theme", THEMES, None)))
    zodiac_reader = top.section("zodiac")
    if zodiac_reader is not None:
        zodiac_reader.check_keys(keys_of(ZodiacConfig))
        theme_only = [k for k in ("animals", "card_language") if zodiac_reader.has(k)]
        if layers_reader is not None and theme_only:
            zodiac_reader.fail(zodiac_reader.key(theme_only[0]), "only applies to the built-in "
                               "theme", "remove it, or remove `layers` to use the zodiac theme")
        attributes = zodiac_reader.boolean("attributes")
        if attributes and year is None:
            zodiac_reader.fail(zodiac_reader.key("attributes"), "needs the zodiac year",
                               "add e.g. year: 2026, or remove zodiac.attributes")
        optional["zodiac"] = ZodiacConfig(**given(
            animals=zodiac_reader.choice("animals", ("year", "all"), None),
            card_language=zodiac_reader.choice("card_language", CARD_LANGUAGES, None),
            attributes=attributes))

    r = top.section("royalty")
    if r is not None:
        r.check_keys(keys_of(RoyaltyConfig))
        optional["royalty"] = RoyaltyConfig(**given(
            receiver=r.address("receiver", fix="or remove the key to pay the issuer"),
            bps=r.integer("bps", required=True, low=0, high=10_000,
                          fix="use basis points, e.g. bps: 500 for 5%"),
        ))

    contract = ContractConfig(max_supply=size)  # the cap defaults to the collection's size
    c = top.section("contract")
    if c is not None:
        c.check_keys(keys_of(ContractConfig) + ("non_transferable",))
        max_supply = cast(int, c.integer("max_supply", default=size, low=1, high=2**32 - 1))
        if max_supply < size:
            c.fail(c.key("max_supply"), f"{max_supply} is below size {size}",
                   f"set it to at least {size} or remove it")
        policy, hold_days = _transfer_policy(c)
        contract = ContractConfig(max_supply=max_supply, transfer_policy=policy,
                                  hold_days=hold_days, **given(freeze=c.boolean("freeze")))

    i = top.section("ipfs")
    if i is not None:
        i.check_keys(keys_of(IpfsConfig))
        backend = i.choice("backend", IPFS_BACKENDS, None)
        url = i.string("pinning_service_url")
        if url is not None and not url.startswith(("https://", "http://", "${")):
            i.fail(i.key("pinning_service_url"), f"invalid value {redact_url(url)!r}",
                   "use the service's https:// API address")
        if backend == "pinning-service" and url is None:
            i.fail(i.key("pinning_service_url"), "missing for backend 'pinning-service'",
                   "add the service's API address, e.g. https://api.pinata.cloud/psa")
        from nft_toolkit.ipfs.importer import PROFILES  # not at import: `init` stays light

        profile = i.choice("profile", tuple(PROFILES), None)
        cid_version = i.choice("cid_version", (0, 1), None)
        if profile is not None:
            if cid_version not in (None, PROFILES[profile].cid_version):
                i.fail(i.key("cid_version"), f"{cid_version} contradicts profile {profile} "
                       f"(CIDv{PROFILES[profile].cid_version})", "remove cid_version: the "
                       "profile sets it")
            cid_version = PROFILES[profile].cid_version
        ipfs = given(
            backend=backend,
            profile=profile,
            cid_version=cid_version,
            kubo_api=i.string("kubo_api"),
            pinning_service_url=url,
            pinning_token_env=i.string(
                "pinning_token_env", pattern=_ENV_NAME,
                fix="name an environment variable, e.g. NFT_TOOLKIT_PINNING_TOKEN"),
            requests_per_minute=i.integer(
                "requests_per_minute", low=1, high=1_000_000,
                fix="give the service's published limit, e.g. requests_per_minute: 180, or remove it"),
            requests_burst=i.integer("requests_burst", low=1, high=10_000,
                                     fix="give how many requests may leave at once, e.g. 5"),
            pin_items=i.boolean("pin_items"),
        )
        if profile is None and cid_version == 1:
            ipfs["profile"] = None  # Kubo's `ipfs add --cid-version 1`, as before profiles
        optional["ipfs"] = IpfsConfig(**ipfs)

    return CollectionConfig(path=path, name=_nfc(name), symbol=symbol, size=size,
                            contract=contract, **optional)


def _nfc(text: str | None) -> Any:
    """`text` in Unicode NFC, as metadata JSON carries it (names may be Chinese, typed on any
    system)."""
    return unicodedata.normalize("NFC", text) if text is not None else None


def _image_size(top: Reader, layers: bool) -> int | tuple[int, int] | None:
    """`image_size`: a square's side, or (layers only) ``[width, height]``."""
    raw = top.data.get("image_size")
    if layers and isinstance(raw, list):
        ok = (len(raw) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                    and MIN_IMAGE_SIZE <= v <= MAX_IMAGE_SIZE for v in raw))
        if not ok:
            top.fail("image_size", f"invalid value {raw!r}", "write [width, height] in pixels, "
                     f"each {MIN_IMAGE_SIZE}..{MAX_IMAGE_SIZE}, e.g. [1000, 1000]")
        return (raw[0], raw[1])
    return top.integer("image_size", low=MIN_IMAGE_SIZE, high=MAX_IMAGE_SIZE)


def _extra_metadata(top: Reader) -> tuple[tuple[str, str | int | float | bool], ...] | None:
    """`extra_metadata`: keys added to every token's metadata (HashLips' extraMetadata)."""
    section = top.section("extra_metadata")
    if section is None:
        return None
    out: list[tuple[str, str | int | float | bool]] = []
    for key, value in section.data.items():
        if not isinstance(key, str) or not key.strip():
            section.fail(section.key(str(key)), "is not a key", "write e.g. artist: Name")
        if key in TOKEN_KEYS:
            section.fail(section.key(key), "is a key every token already has",
                         f"use another key than {', '.join(TOKEN_KEYS)}")
        if not isinstance(value, (str, int, float, bool)) or (
                isinstance(value, float) and not math.isfinite(value)):
            section.fail(section.key(key), f"must be text or a number, got {kind(value)}",
                         "write e.g. artist: Name")
        out.append((unicodedata.normalize("NFC", key),
                    unicodedata.normalize("NFC", value) if isinstance(value, str) else value))
    return tuple(out)


def _layer_options(r: Reader, path: Path) -> list[LayerOptions]:
    raw = r.data.get("options")
    if raw is None:
        return []
    fix = "write items as - {layer: Eyes, blend: multiply, opacity: 0.8}"
    if not isinstance(raw, list):
        r.fail(r.key("options"), f"must be a list, got {kind(raw)}", fix)
    out: list[LayerOptions] = []
    for n, item in enumerate(raw):
        o = Reader(path, item, f"{r.key('options')}[{n}].")
        o.check_keys(keys_of(LayerOptions))
        layer = _name(o, o.key("layer"), cast(str, o.string("layer", required=True, fix=fix)),
                      "write the layer folder's name without its number")
        if any(name_key(layer) == name_key(other.layer) for other in out):
            o.fail(o.key("layer"), f"{layer!r} has options above", "give each layer once")
        opacity = o.data.get("opacity", 1.0)
        if isinstance(opacity, bool) or not isinstance(opacity, (int, float)) or not (
                0 <= opacity <= 1):
            o.fail(o.key("opacity"), f"must be a number 0..1, got {opacity!r}",
                   "write e.g. opacity: 0.8")
        display = o.string("display_name")
        out.append(LayerOptions(layer=layer, opacity=float(opacity), **given(
            blend=o.choice("blend", BLEND_MODES, None),
            bypass_dna=o.boolean("bypass_dna"),
            display_name=_name(o, o.key("display_name"), display, "write the trait type to "
                               "show") if display is not None else None)))
    return out


def _layers(r: Reader, path: Path) -> LayersConfig:
    r.check_keys(keys_of(LayersConfig))
    background = r.string("background", pattern=re.compile(r"^(#[0-9a-fA-F]{6}|generated)$"),
                          fix='write a colour "#1a2b3c" or generated (a hue per item)')
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
            r.fail(r.key("exclusions"), f"must be a list of pairs, got {kind(raw)}", fix)
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
            r.fail(r.key("one_of_ones"), f"must be a list, got {kind(raw)}",
                   "write items as - {image: art/gold.png, name: Golden Horse}")
        for n, item in enumerate(raw):
            o = Reader(path, item, f"{r.key('one_of_ones')}[{n}].")
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
    configurations = _configurations(r, path)
    if configurations and order is not None:
        r.fail(r.key("order"), "is given beside layers.configurations",
               "move it into the configurations (each has its own order) or remove them")
    return LayersConfig(dir=folder, order=tuple(order) if order is not None else None,
                        exclusions=tuple(exclusions), one_of_ones=tuple(ones),
                        options=tuple(_layer_options(r, path)),
                        background=background.lower() if background else None,
                        configurations=tuple(configurations))


def _configurations(r: Reader, path: Path) -> list[LayerConfiguration]:
    raw = r.data.get("configurations")
    if raw is None:
        return []
    fix = "write items as - {up_to: 500, order: [Background, Body, Eyes]}"
    if not isinstance(raw, list) or not raw:
        r.fail(r.key("configurations"), f"must be a list of configurations, got {kind(raw)}",
               fix)
    out: list[LayerConfiguration] = []
    for n, item in enumerate(raw):
        c = Reader(path, item, f"{r.key('configurations')}[{n}].")
        c.check_keys(keys_of(LayerConfiguration))
        low = out[-1].up_to + 1 if out else 1
        up_to = cast(int, c.integer("up_to", required=True, low=low, high=MAX_SIZE, fix=(
            f"give the last edition it draws, above the previous one's ({low - 1})")))
        order = c.string_list("order", fix) or []
        if not order:
            c.fail(c.key("order"), "missing", fix)
        names = [_name(c, f"{c.key('order')}[{i}]", name, "write the folder's name without "
                       "its number") for i, name in enumerate(order)]
        if len({name_key(name) for name in names}) != len(names):
            c.fail(c.key("order"), "names a layer twice", "list each layer once")
        out.append(LayerConfiguration(up_to, tuple(names)))
    return out


def _name(r: Reader, key: str, raw: str, fix: str) -> str:
    """`raw` as a layer or trait name (:func:`normal_name`), or a ConfigError naming `key`."""
    try:
        return normal_name(raw)
    except BadName as exc:
        problem = f"name {raw!r} {exc}"
    r.fail(key, problem, fix)
    raise AssertionError("unreachable: fail raises")


def _transfer_policy(c: Reader) -> tuple[TransferPolicy, int]:
    """``contract.transfer_policy`` and ``contract.hold_days``, with the older
    ``non_transferable: true`` meaning ``transfer_policy: non_transferable``; settings that
    contradict each other are one error."""
    policy = cast("TransferPolicy | None", c.choice("transfer_policy", TRANSFER_POLICIES, None))
    legacy = c.boolean("non_transferable")
    if legacy is not None and policy is not None and legacy != (policy == "non_transferable"):
        c.fail(c.key("non_transferable"), f"{str(legacy).lower()} contradicts transfer_policy: {policy}",
               "remove non_transferable: transfer_policy says it")
    if policy is None:
        policy = "non_transferable" if legacy else "free"
    hold = c.integer("hold_days", low=1, high=MAX_HOLD_DAYS,
                     fix=f"give whole days, 1 to {MAX_HOLD_DAYS}, e.g. hold_days: 180")
    if policy == "gift_after_hold" and hold is None:
        c.fail(c.key("hold_days"), "missing for transfer_policy: gift_after_hold",
               "add how many whole days a holder must keep a token before giving it, e.g. hold_days: 30")
    if policy != "gift_after_hold" and hold is not None:
        c.fail(c.key("hold_days"), f"only applies to transfer_policy: gift_after_hold, not {policy}",
               "remove hold_days, or set transfer_policy: gift_after_hold")
    return policy, hold or 0
