"""The collection.yaml `init` writes: a zodiac-year collection, commented for editing.

The keys and defaults are those of the dataclasses in :mod:`nft_toolkit.config`;
``tests/test_config.py`` holds every key and default written here to them (the comments are
why the text is written out rather than generated).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from nft_toolkit.art.calendar import animal_of
from nft_toolkit.atomic import write_text
from nft_toolkit.config import CollectionConfig, parse_config
from nft_toolkit.configfile import load_yaml
from nft_toolkit.errors import ConfigError


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
        "  transfer_policy: free   # free | non_transferable | gift_after_hold\n"
        "  # hold_days: 30    # gift_after_hold: whole days a holder keeps an item before giving it\n"
        f"  max_supply: {size}\n"
        "  freeze: true      # freeze the metadata after pinning\n"
        "ipfs:\n"
        "  backend: local    # local | kubo | pinning-service\n"
        "  profile: unixfs-v0-2015   # IPIP-499 CID settings; unixfs-v1-2025: CIDv1, 1 MiB chunks\n"
        "  # cid_version: 0   # set by the profile; 1 without a profile: ipfs add --cid-version 1\n"
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
    config = parse_config(load_yaml(text, target), target)
    write_text(target, text)
    return config


def _yaml_str(text: str) -> str:
    return yaml.safe_dump(text, default_style='"').strip()
