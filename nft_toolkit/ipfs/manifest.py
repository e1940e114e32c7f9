"""build/manifest.json: what `pin` published, read by deploy and verify.

``{"version": 1, "cid_version", "images_cid", "metadata_cid", "base_uri": "ipfs://<metadata_cid>/",
"contract_metadata_cid", "provenance_hash": "0x<sha256 over the per-token image sha256 digests,
raw 32 bytes each, in token order>", "tokens": {"<id>": {"image_cid", "image_sha256",
"metadata_cid", "metadata_sha256"}}}``
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nft_toolkit.atomic import write_json
from nft_toolkit.errors import InputError

VERSION = 1


@dataclass(frozen=True)
class TokenRecord:
    image_cid: str
    image_sha256: str
    metadata_cid: str
    metadata_sha256: str


@dataclass(frozen=True)
class Manifest:
    cid_version: int
    images_cid: str
    metadata_cid: str
    contract_metadata_cid: str | None
    provenance_hash: str
    tokens: dict[int, TokenRecord] = field(default_factory=dict)
    version: int = VERSION

    @property
    def base_uri(self) -> str:
        return f"ipfs://{self.metadata_cid}/"

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version, "cid_version": self.cid_version,
            "images_cid": self.images_cid, "metadata_cid": self.metadata_cid,
            "base_uri": self.base_uri, "contract_metadata_cid": self.contract_metadata_cid,
            "provenance_hash": self.provenance_hash,
            "tokens": {str(tid): asdict(rec) for tid, rec in sorted(self.tokens.items())},
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any], where: str = "manifest") -> Manifest:
        try:
            if doc["version"] != VERSION:
                raise InputError(f"{where}: unsupported manifest version {doc['version']}")
            return cls(
                cid_version=int(doc["cid_version"]), images_cid=doc["images_cid"],
                metadata_cid=doc["metadata_cid"],
                contract_metadata_cid=doc.get("contract_metadata_cid"),
                provenance_hash=doc["provenance_hash"],
                tokens={int(k): TokenRecord(**v) for k, v in doc["tokens"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: malformed manifest ({exc}); run `nft-toolkit pin` again") from None

    def save(self, path: Path) -> None:
        write_json(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path} does not exist: run `nft-toolkit pin` first") from None
        except ValueError as exc:
            raise InputError(f"{path} is not valid JSON ({exc})") from None
        return cls.from_json(doc, str(path))


def provenance_hash(image_digests: list[bytes]) -> str:
    """sha256 over the concatenated raw 32-byte image digests, in token order, as 0x-hex."""
    return "0x" + hashlib.sha256(b"".join(image_digests)).hexdigest()
