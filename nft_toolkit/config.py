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
    year                              1..9999                        required
    size                              items, 1..1000000              required
    seed                              0..2**63-1                     = 0
    description                       text                           = ""
    external_url                      https://, http:// or ipfs://   = ""
    image_size                        zodiac pixels, 32..4096        = 1024
    theme                             zodiac (not with layers)       = zodiac
    zodiac.animals                    year | all                     = year
    layers.dir                        folder, from collection.yaml   required
    layers.order                      [layer names], back to front   = null  # by folder number
    layers.exclusions                 [[Layer/Trait, Layer/Trait]]   = []
    layers.one_of_ones                [{image, name, ...}], 1-of-1s  = []
    layers.one_of_ones[].image        PNG, from collection.yaml      required
    layers.one_of_ones[].name         text                           required
    layers.one_of_ones[].description  text                           = null
    layers.one_of_ones[].attributes   {trait type: value}            = {}
    royalty.receiver                  0x address                     = null  # the issuer
    royalty.bps                       basis points, 0..10000         = 0  # required in royalty
    contract.max_supply               size..2**63-1                  = size
    contract.transfer_policy          free | non_transferable | gift_after_hold = free
    contract.hold_days                whole days, 1..36500           = 0  # required by gift_after_hold
    contract.freeze                   true | false                   = true
    ipfs.backend                      local | kubo | pinning-service = local
    ipfs.profile                      unixfs-v0-2015 | unixfs-v1-2025 = unixfs-v0-2015  # see below
    ipfs.cid_version                  0 | 1                          = 0  # the profile's
    ipfs.kubo_api                     Kubo RPC address               = /ip4/127.0.0.1/tcp/5001/http
    ipfs.pinning_service_url          https:// API address           = null  # pinning-service
    ipfs.pinning_token_env            environment variable name      = NFT_TOOLKIT_PINNING_TOKEN

``contract.non_transferable: true`` (the older key) means ``transfer_policy: non_transferable``;
with a ``transfer_policy`` that says otherwise it is an error, as is ``hold_days`` with a policy
other than ``gift_after_hold`` (:mod:`nft_toolkit.policy`).

``ipfs.profile`` names the IPIP-499 CID import settings (:data:`nft_toolkit.ipfs.importer.PROFILES`)
and sets ``cid_version``; a ``cid_version`` that contradicts it is an error. ``cid_version: 1``
with no profile keeps the settings it always had, Kubo's ``ipfs add --cid-version 1`` (raw leaves,
256 KiB chunks, 174 links): ``profile`` is then null.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from nft_toolkit.configfile import Reader, given, keys_of, kind, read_yaml
from nft_toolkit.names import BadName, name_key, normal_name
from nft_toolkit.policy import MAX_HOLD_DAYS, TRANSFER_POLICIES, TransferPolicy

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
    is already in the normal form of :func:`nft_toolkit.names.normal_name`.
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
    year = top.integer("year", required=True, low=1, high=9999)
    size = top.integer("size", required=True, low=1, high=MAX_SIZE,
                       fix="set the number of items to generate, e.g. size: 1000")
    assert name is not None and symbol is not None and year is not None and size is not None
    external_url = top.string("external_url")
    if external_url and not external_url.startswith(("https://", "http://", "ipfs://")):
        top.fail("external_url", f"invalid value {external_url!r}",
                 "use an https:// address or leave it empty")
    if not name.strip():
        top.fail("name", "is empty", "give the collection a name")
    optional = given(
        seed=top.integer("seed", low=0, high=2**63 - 1),
        description=top.string("description"),
        external_url=external_url,
        image_size=top.integer("image_size", low=MIN_IMAGE_SIZE, high=MAX_IMAGE_SIZE),
    )

    layers_reader = top.section("layers")
    if layers_reader is not None and top.has("theme"):
        top.fail("theme", "both `theme` and `layers` are set",
                 "keep `theme` for the built-in artwork or `layers` for your own, not both")
    if layers_reader is not None:
        optional.update(layers=_layers(layers_reader, path), theme=None)
    else:
        optional.update(given(theme=top.choice("theme", THEMES, None)))
    zodiac_reader = top.section("zodiac")
    if zodiac_reader is not None:
        if layers_reader is not None:
            top.fail("zodiac", "only applies to the built-in theme",
                     "remove it, or remove `layers` to use the zodiac theme")
        zodiac_reader.check_keys(keys_of(ZodiacConfig))
        optional["zodiac"] = ZodiacConfig(**given(
            animals=zodiac_reader.choice("animals", ("year", "all"), None)))

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
        max_supply = cast(int, c.integer("max_supply", default=size, low=1, high=2**63 - 1))
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
        if url is not None and not url.startswith(("https://", "http://")):
            i.fail(i.key("pinning_service_url"), f"invalid value {url!r}",
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
        )
        if profile is None and cid_version == 1:
            ipfs["profile"] = None  # Kubo's `ipfs add --cid-version 1`, as before profiles
        optional["ipfs"] = IpfsConfig(**ipfs)

    return CollectionConfig(path=path, name=name, symbol=symbol, year=year, size=size,
                            contract=contract, **optional)


def _layers(r: Reader, path: Path) -> LayersConfig:
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
    return LayersConfig(dir=folder, order=tuple(order) if order is not None else None,
                        exclusions=tuple(exclusions), one_of_ones=tuple(ones))


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
