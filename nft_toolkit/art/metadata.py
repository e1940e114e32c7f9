"""ERC-721 token metadata (with OpenSea's attributes) and the contract-level metadata.

Token files follow the ERC-721 metadata JSON schema (name, description, image) and OpenSea's
metadata standard (attributes, external_url). `image` stays "" until `pin` fills in the
``ipfs://`` URI of the pinned image; `dna` is the hash of the item's traits and `edition` the
token id, as HashLips writes them.
"""

from __future__ import annotations

from typing import Any

from nft_toolkit.art.calendar import animal_of, chinese_year_name, element_of
from nft_toolkit.config import CollectionConfig

# Attributes every token carries, in this order, after its own traits.
STANDARD_TRAITS = ("Year", "Zodiac", "Element", "Edition")


def zodiac_description(year: int, language: str) -> str:
    """The description of a zodiac collection of `year` that gives none, in its cards'
    language (``zodiac.card_language``: en, zh, or bilingual: the Chinese, then the English)."""
    english = f"A limited collection celebrating the Year of the {animal_of(year)} {year}."
    chinese = f"庆祝{chinese_year_name(year)}（{year}年）的限量纪念藏品。"
    return {"en": english, "zh": chinese}.get(language, f"{chinese} {english}")


def description_of(config: CollectionConfig) -> str:
    """`config`'s description, or the default: a zodiac collection's in its cards' language."""
    if config.description:
        return config.description
    if config.layers is None and config.year is not None:
        return zodiac_description(config.year, config.zodiac.card_language)
    return (f"{config.name}: a limited zodiac collection." if config.layers is None
            else f"{config.name}: a limited collection.")


def attributes(config: CollectionConfig, traits: list[tuple[str, str]], token_id: int,
               count: int) -> list[dict[str, Any]]:
    """The item's traits, then (when :attr:`CollectionConfig.zodiac_attributes`) Year, Zodiac
    and Element (unless a layer already gives them) and Edition (OpenSea's numeric display:
    "#12 of 1000")."""
    out: list[dict[str, Any]] = [{"trait_type": k, "value": v} for k, v in traits]
    if not config.zodiac_attributes or config.year is None:
        return out
    given = {k for k, _ in traits}
    for key, value in (("Year", config.year), ("Zodiac", animal_of(config.year)),
                       ("Element", element_of(config.year))):
        if key not in given:
            out.append({"trait_type": key, "value": value})
    out.append({"display_type": "number", "trait_type": "Edition", "value": token_id,
                "max_value": count})
    return out


def token_metadata(config: CollectionConfig, token_id: int, count: int,
                   traits: list[tuple[str, str]], dna: str, *, name: str | None = None,
                   description: str | None = None) -> dict[str, Any]:
    """The JSON object of build/metadata/<token_id>.json."""
    meta: dict[str, Any] = {
        "name": name or f"{config.name} #{token_id}",
        "description": description or description_of(config),
        "image": "",
        "attributes": attributes(config, traits, token_id, count),
        "dna": dna,
        "edition": token_id,
    }
    if config.external_url:
        meta["external_url"] = f"{config.external_url.rstrip('/')}/{token_id}"
    meta.update(config.extra_metadata)  # HashLips' extraMetadata; never a key set above
    return meta


def contract_metadata(config: CollectionConfig) -> dict[str, Any]:
    """build/collection.json, served by the contract's contractURI (ERC-7572, OpenSea)."""
    meta: dict[str, Any] = {
        "name": config.name,
        "symbol": config.symbol,
        "description": description_of(config),
        "image": "",
        "external_link": config.external_url,
        "seller_fee_basis_points": config.royalty.bps,
    }
    if config.royalty.receiver is not None:
        meta["fee_recipient"] = config.royalty.receiver
    return meta
