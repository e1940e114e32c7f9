"""build/manifest.json: what `pin` published, read by deploy and verify.

``{"version": 1, "cid_version", "profile", "images_cid", "metadata_cid", "base_uri": "ipfs://<metadata_cid>/",
"contract_metadata_cid", "copies_index_cid", "provenance": "<scheme>",
"provenance_hash": "0x<64 hex>", "tokens": {"<id>": {"image_cid", "image_sha256", "metadata_cid", "metadata_sha256"}}}``

``provenance`` names how ``provenance_hash`` was computed (:mod:`nft_toolkit.ipfs.provenance`):
``images-metadata-sha256`` (each token's image and metadata) for collections pinned since it
exists; a manifest without the field is of the older ``images-sha256`` scheme (images only).
``profile`` names the IPIP-499 import settings the CIDs were made with
(:data:`nft_toolkit.ipfs.importer.PROFILES`); null, or absent in a manifest older than profiles,
means Kubo's defaults for ``cid_version``. ``copies_index_cid`` names the perceptual index of the
images (:mod:`nft_toolkit.copies.index`); null or absent when pinned before it existed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from nft_toolkit.atomic import open_write
from nft_toolkit.errors import InputError
from nft_toolkit.ipfs import provenance as prov
from nft_toolkit.ipfs.importer import PROFILES, cid_version

VERSION = 1


@dataclass(frozen=True, slots=True)  # slots: a manifest holds one per token
class TokenRecord:
    image_cid: str
    image_sha256: str
    metadata_cid: str
    metadata_sha256: str

    @property
    def item(self) -> prov.Item:
        """This token's per-item hashes for the provenance hash."""
        return prov.Item(bytes.fromhex(self.image_sha256), bytes.fromhex(self.metadata_sha256))


@dataclass(frozen=True)
class Manifest:
    cid_version: Literal[0, 1]
    images_cid: str
    metadata_cid: str
    contract_metadata_cid: str | None
    provenance_hash: str
    tokens: dict[int, TokenRecord] = field(default_factory=dict)
    version: int = VERSION
    provenance: str = prov.DEFAULT  # the scheme of provenance_hash
    profile: str | None = None  # IPIP-499 import settings; None: Kubo's for cid_version
    copies_index_cid: str | None = None  # the perceptual index of the images (verify-file)

    @property
    def items(self) -> list[prov.Item]:
        """The provenance list: every token's per-item hashes, in token order."""
        return [self.tokens[i].item for i in sorted(self.tokens)]

    @property
    def base_uri(self) -> str:
        return f"ipfs://{self.metadata_cid}/"

    def to_json_head(self) -> dict[str, Any]:
        """Every field of :meth:`to_json` but ``tokens`` and ``version``."""
        return {
            "cid_version": self.cid_version, "profile": self.profile,
            "images_cid": self.images_cid, "metadata_cid": self.metadata_cid,
            "base_uri": self.base_uri, "contract_metadata_cid": self.contract_metadata_cid,
            "copies_index_cid": self.copies_index_cid,
            "provenance": self.provenance, "provenance_hash": self.provenance_hash,
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.to_json_head(), "version": self.version,
                "tokens": {str(tid): _record_json(rec) for tid, rec in sorted(self.tokens.items())}}

    @classmethod
    def from_json(cls, doc: Any, where: str = "manifest") -> Manifest:
        """The manifest in `doc`; one InputError line naming `where` when `pin` did not write it."""
        again = "run `nft-toolkit pin` again"
        if not isinstance(doc, dict):
            raise InputError(f"{where} is not a pin manifest (a JSON object); {again}")
        try:
            if doc["version"] != VERSION:
                raise InputError(f"{where}: unsupported manifest version {doc['version']}")
            manifest = cls(
                cid_version=cid_version(int(doc["cid_version"])), images_cid=doc["images_cid"],
                metadata_cid=doc["metadata_cid"],
                contract_metadata_cid=doc.get("contract_metadata_cid"),
                provenance_hash=doc["provenance_hash"],
                tokens={int(k): TokenRecord(**v) for k, v in doc["tokens"].items()},
                provenance=doc.get("provenance", prov.IMAGES),  # absent: the older scheme
                profile=doc.get("profile"),
                copies_index_cid=doc.get("copies_index_cid"),
            )
        except KeyError as exc:
            raise InputError(f"{where}: malformed manifest (no {exc.args[0]!r}); {again}") from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: malformed manifest ({exc}); {again}") from None
        if not (isinstance(manifest.metadata_cid, str) and manifest.metadata_cid
                and _is_hex32(manifest.provenance_hash, "0x")):
            raise InputError(f"{where}: malformed manifest (metadata_cid or provenance_hash); {again}")
        if manifest.copies_index_cid is not None and not isinstance(manifest.copies_index_cid, str):
            raise InputError(f"{where}: malformed manifest (copies_index_cid); {again}")
        if manifest.profile is not None and manifest.profile not in PROFILES:
            raise InputError(f"{where}: unknown CID profile {manifest.profile!r} (known: "
                             f"{', '.join(PROFILES)}); {again}")
        if manifest.provenance not in prov.SCHEMES:
            raise InputError(f"{where}: unknown provenance scheme {manifest.provenance!r} (known: "
                             f"{', '.join(prov.SCHEMES)}); {again}")
        bad = next((tid for tid, rec in manifest.tokens.items()
                    if not (_is_hex32(rec.image_sha256) and _is_hex32(rec.metadata_sha256)
                            and isinstance(rec.image_cid, str)
                            and isinstance(rec.metadata_cid, str))), None)
        if bad is not None:
            raise InputError(f"{where}: malformed manifest (token {bad}); {again}")
        return manifest

    def save(self, path: Path) -> None:
        """Writes the manifest to `path` atomically, a token per line, streamed: the JSON
        :meth:`to_json` gives, without building it whole (a collection may hold 100,000)."""
        head = self.to_json_head()
        with open_write(path) as fh:
            fh.write(b"{\n" + b"".join(
                f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n".encode("utf-8")
                for k, v in sorted(head.items())) + b'  "tokens": {')
            separator = b"\n"
            for tid, rec in sorted(self.tokens.items()):
                fh.write(separator + f'    "{tid}": {json.dumps(_record_json(rec))}'.encode("utf-8"))
                separator = b",\n"
            fh.write(f"\n  }},\n  \"version\": {json.dumps(self.version)}\n}}\n".encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path} does not exist: run `nft-toolkit pin` first") from None
        except ValueError as exc:
            raise InputError(f"{path} is not valid JSON ({exc})") from None
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        return cls.from_json(doc, str(path))


def _record_json(rec: TokenRecord) -> dict[str, str]:
    return asdict(rec)


def _is_hex32(value: Any, prefix: str = "") -> bool:
    """Whether `value` is `prefix` and 64 lower-case hex digits (a sha256)."""
    return (isinstance(value, str) and value.startswith(prefix)
            and re.fullmatch(r"[0-9a-f]{64}", value[len(prefix):]) is not None)
