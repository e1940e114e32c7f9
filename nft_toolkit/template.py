"""The collection.yaml `init` writes: a zodiac-year collection, commented for editing.

The keys and defaults are those of the dataclasses in :mod:`nft_toolkit.config`;
``tests/test_config.py`` holds every key and default written here to them (the comments are
why the text is written out rather than generated).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from nft_toolkit.art.calendar import animal_of, chinese_year_name
from nft_toolkit.art.metadata import zodiac_description
from nft_toolkit.atomic import write_text
from nft_toolkit.config import CollectionConfig, parse_config
from nft_toolkit.configfile import load_yaml
from nft_toolkit.errors import ConfigError


def default_config_text(year: int | None, *, layers_dir: str | None = None, size: int = 100,
                        seed: int = 0, name: str | None = None,
                        order: list[str] | None = None, notes: list[str] | None = None) -> str:
    """The collection.yaml `init` writes: a zodiac-year collection, or an artist's collection
    from layer folders (with `year`, the zodiac year it celebrates, or without), commented for
    editing. `order` (layer names, back to front) is written as ``layers.order`` and `notes` as
    comments above it."""
    animal = animal_of(year) if year is not None else None
    if layers_dir is not None:
        if order is not None:
            listed = ", ".join(_yaml_flow(n) for n in order)
            order_line = (f"  order: [{listed}]   # back to front, as found: check and edit\n")
        else:
            order_line = "  # order: [Background, Body]   # default: the folders' numeric prefixes\n"
        art = (f"layers:\n  dir: {_yaml_str(layers_dir)}   # Background/Name#weight.png, ...\n"
               + "".join(f"  # note: {n}\n" for n in notes or ())
               + order_line +
               "  exclusions: []                # pairs never drawn together: [\"Layer/A\", \"Layer/B\"]\n"
               "  one_of_ones: []               # hand-made items: {image: PATH, name: NAME}\n"
               "  options: []   # per layer: {layer: Eyes, blend: multiply, opacity: 0.8, "
               "bypass_dna: false, display_name: Eye}\n"
               "  # background: \"#1a2b3c\"   # or generated: a hue per item; default none\n"
               "  # configurations: [{up_to: 500, order: [Background, Eyes]}, {up_to: 1000, "
               "order: [Background, Hat]}]   # instead of order: layers by edition range\n"
               "# image_size: [1000, 1000]   # default: the layers' own size; others are scaled\n"
               "zodiac:\n"
               f"  attributes: false   # true: Year, Zodiac, Element and Edition attributes"
               f"{' (needs year)' if year is None else ''}\n")
    else:
        art = ("image_size: 1024\n"
               "theme: zodiac     # built-in artwork; or `layers:` for your own layer folders\n"
               "zodiac:\n  animals: year    # year: only the year's animal; all: the twelve animals\n"
               f"  card_language: en   # en: YEAR OF THE {str(animal).upper()}; zh: "
               f"{chinese_year_name(year) if year is not None else '丙午马年'}; bilingual: both\n")
    if name is None:
        name = f"Year of the {animal} {year}" if year is not None else "My Collection"
    if year is not None:
        symbol = f"{str(animal).upper()[:8]}{year % 100:02d}"
        heading = f"Year of the {animal} {year}"
        description = zodiac_description(year, "en")
        year_line = f"year: {year}\n"
    else:
        symbol = "".join(c for c in name.upper() if c.isascii() and c.isalnum())[:16] or "NFT"
        heading = name
        description = f"{name}: a limited collection."
        year_line = "# year: 2026   # a zodiac year, if the collection celebrates one\n"
    if layers_dir is None and year is not None:  # the default follows zodiac.card_language
        description_line = (f"# description: {_yaml_str(description)}   # default; zh and "
                            "bilingual cards: in Chinese, or both\n")
    else:
        description_line = f"description: {_yaml_str(description)}\n"
    return (
        f"# nft-toolkit collection: {heading}\n"
        f"name: {_yaml_str(name)}\n"
        f"symbol: {symbol}\n"
        f"{year_line}"
        f"size: {size}          # number of items\n"
        f"seed: {seed}   # same seed, same bytes\n"
        f"{description_line}"
        "external_url: \"\"    # https://... shown by marketplaces\n"
        "# extra_metadata: {artist: \"Name\"}   # keys added to every token's metadata\n"
        f"{art}"
        "royalty:\n"
        "  # receiver: \"0x...\"   # default: the issuer\n"
        "  bps: 500          # 5% of each resale\n"
        "contract:\n"
        "  transfer_policy: free   # free | non_transferable | gift_after_hold\n"
        "  # free lets holders sell; issuers who forbid speculation use gift_after_hold or "
        "non_transferable\n"
        "  # hold_days: 30    # gift_after_hold: whole days a holder keeps an item before giving it\n"
        f"  max_supply: {size}\n"
        "  freeze: true      # freeze the metadata after pinning\n"
        "ipfs:\n"
        "  backend: local    # local | kubo | pinning-service\n"
        "  profile: unixfs-v0-2015   # IPIP-499 CID settings; unixfs-v1-2025: CIDv1, 1 MiB chunks\n"
        "  # cid_version: 0   # set by the profile; 1 without a profile: ipfs add --cid-version 1\n"
        "  kubo_api: /ip4/127.0.0.1/tcp/5001/http\n"
        "  pinning_token_env: NFT_TOOLKIT_PINNING_TOKEN\n"
        "  # requests_per_minute: 180   # the pinning service's published rate limit\n"
        "  # requests_burst: 1          # requests that may leave at once\n"
        "  # pin_items: false           # also a pin per image and metadata file\n"
    )


def config_for(root: Path, year: int | None, *, layers_dir: Path | None = None,
               size: int = 100, seed: int = 0, name: str | None = None,
               order: list[str] | None = None,
               notes: list[str] | None = None) -> tuple[CollectionConfig, str]:
    """The config `init` would write to `root`/collection.yaml, and its text, validated but not
    written (so `init` can check the layers first and write nothing when they fail).

    A layers folder inside `root` is recorded relative to it, so the project can be moved.
    """
    target = root / "collection.yaml"
    if target.exists():
        raise ConfigError(f"{target}: already exists; edit it, or init another folder")
    if year is not None and not 1 <= year <= 9999:
        raise ConfigError(f"--year: {year} is not a year; give e.g. --year 2026")
    layers: str | None = None
    if layers_dir is not None:
        absolute = layers_dir.resolve()
        try:
            layers = absolute.relative_to(root.resolve()).as_posix()
        except ValueError:
            layers = absolute.as_posix()
    text = default_config_text(year, layers_dir=layers, size=size, seed=seed, name=name,
                               order=order, notes=notes)
    return parse_config(load_yaml(text, target), target), text


def write_default_config(root: Path, year: int | None, *, layers_dir: Path | None = None,
                         size: int = 100, seed: int = 0) -> CollectionConfig:
    """Writes `root`/collection.yaml for `init` (refusing to overwrite one) and validates it."""
    config, text = config_for(root, year, layers_dir=layers_dir, size=size, seed=seed)
    write_text(root / "collection.yaml", text)
    return config


def _yaml_str(text: str) -> str:
    return yaml.safe_dump(text, default_style='"').strip()


def _yaml_flow(text: str) -> str:
    """`text` as an item of a YAML flow list: plain when YAML reads it back unchanged."""
    plain = yaml.safe_dump([text], default_flow_style=True).strip()[1:-1]
    return plain if yaml.safe_load(f"[{plain}]") == [text] else _yaml_str(text)
