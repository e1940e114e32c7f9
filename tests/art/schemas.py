"""JSON schemas the generated metadata must satisfy.

TOKEN is the ERC-721 metadata JSON schema (EIP-721, "ERC721 Metadata JSON Schema": name,
description, image) with OpenSea's additions (attributes with trait_type/value and optional
display_type/max_value, external_url) and this project's `dna`, closed to other keys.
CONTRACT is OpenSea's contract-level metadata (ERC-7572 contractURI) with its fee fields.
"""

from __future__ import annotations

from typing import Any

TOKEN: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Asset Metadata",
    "type": "object",
    "required": ["name", "description", "image", "attributes", "dna", "edition"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1,
                 "description": "Identifies the asset to which this NFT represents"},
        "description": {"type": "string",
                        "description": "Describes the asset to which this NFT represents"},
        "image": {"type": "string", "pattern": r"^(|ipfs://.+)$",
                  "description": "A URI pointing to a resource with mime type image/*; empty "
                                 "until pinned"},
        "external_url": {"type": "string", "pattern": r"^(https?|ipfs)://"},
        "dna": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "edition": {"type": "integer", "minimum": 1, "description": "The token id (HashLips)"},
        "attributes": {
            "type": "array",
            "minItems": 4,
            "items": {
                "type": "object",
                "required": ["trait_type", "value"],
                "additionalProperties": False,
                "properties": {
                    "trait_type": {"type": "string", "minLength": 1},
                    "value": {"type": ["string", "number"]},
                    "display_type": {"enum": ["number", "boost_number", "boost_percentage",
                                              "date"]},
                    "max_value": {"type": "number"},
                },
            },
        },
    },
}

CONTRACT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "description", "image", "external_link", "seller_fee_basis_points"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "symbol": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "image": {"type": "string"},
        "external_link": {"type": "string"},
        "seller_fee_basis_points": {"type": "integer", "minimum": 0, "maximum": 10000},
        "fee_recipient": {"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$"},
    },
}
