"""Verdicts, checks and the report of one verification (DESIGN.md: verdicts and exit codes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from nft_toolkit.errors import EXIT_FAILED, EXIT_OK, EXIT_UNVERIFIABLE
from nft_toolkit.verify.holding import TransferRules


class Verdict(str, Enum):
    """The answer to "is this token authentic?", each with its exit code."""

    AUTHENTIC = "authentic"
    TAMPERED = "tampered"  # content does not match its commitments
    COUNTERFEIT = "counterfeit"  # not the official contract, or not its code, or not the issuer's
    NOT_MINTED = "not_minted"  # never minted, burned, or beyond the cap
    UNVERIFIABLE = "unverifiable"  # chain or content unreachable, or a gateway not trustless
    NOT_AN_ITEM = "not_an_item"  # verify-file: a picture that is no item of the collection
    COPY = "copy"  # verify-file: a picture of an authentic token that is not the token's file

    @property
    def words(self) -> str:
        """The verdict said in words, for a message ("token 9 is not minted"), where
        :attr:`value` is the JSON's name."""
        return {"tampered": "tampered with", "not_minted": "not minted",
                "unverifiable": "unverifiable now", "not_an_item": "no item of the collection"
                }.get(self.value, self.value.replace("_", " "))

    @property
    def exit_code(self) -> int:
        if self is Verdict.AUTHENTIC:
            return EXIT_OK
        if self is Verdict.UNVERIFIABLE:
            return EXIT_UNVERIFIABLE
        return EXIT_FAILED


def _params(params: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """A detail's parameters as text; a value not known (None) is left out, so a page words the
    detail without it (nft_toolkit.web.i18n.wording), never as "None"."""
    return tuple((k, str(v)) for k, v in params.items() if v is not None)


@dataclass(frozen=True)
class Check:
    """One link of the chain of trust: its name, whether it holds, and what was seen.

    A *warning* (an unfrozen base URI) does not hold but does not change the verdict.
    """

    name: str
    ok: bool
    detail: str
    warning: bool = False
    # the detail as data, for a page in another language (nft_toolkit.web.i18n): a code and its
    # parameters; not part of the JSON (the English detail is)
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, Any]:
        """``{"name", "ok", "detail"}`` (DESIGN.md), and ``"warning": true`` for a caveat that
        does not change the verdict (``ok`` is false: the property does not hold)."""
        out: dict[str, Any] = {"name": self.name, "ok": self.ok, "detail": self.detail}
        if self.warning:
            out["warning"] = True
        return out


_TRANSFORM_SAID = {"flipped": "flipped or rotated", "tilted": "tilted a few degrees"}


@dataclass
class Report:
    """The verdict on one token, with every check made, in chain-of-trust order."""

    token_id: int | None  # None: a picture that matched no token
    contract: str
    chain_id: int | None = None
    owner: str | None = None
    token_uri: str | None = None
    checks: list[Check] = field(default_factory=list)
    verdict: Verdict = Verdict.AUTHENTIC
    image_cid: str | None = None
    image_sha256: str | None = None
    issuer_domain: str | None = None  # the issuer known by its domain (nft_toolkit.identity)
    transfer: TransferRules | None = None  # the policy, and the owner's hold (gift_after_hold)
    # verify-file: how alike the picture is to the token's image (1.0: its very bytes), and how
    # a copy was made (nft_toolkit.copies.transform.KINDS: screenshot, flipped, tilted, cropped,
    # bordered, recoloured, overlaid, resized, re-encoded)
    similarity: float | None = None
    transform: str | None = None
    # verify-file, a copy of one of two near twins that nothing in the picture tells apart:
    # each twin's own verification (links 3 to 7), the closer first
    candidates: list[Report] = field(default_factory=list)
    # verify-file, a picture too small to tell (which twin, or what it shows): the item's
    # longer side as shown (or the picture's shorter side) and the side that would do, pixels
    too_small: tuple[int, int] | None = None
    # ... the picture itself under the smallest side any is told at: `too_small`'s second number
    # is then that floor, below which nothing is told, not a size that would certainly do
    too_small_picture: bool = False

    @property
    def too_small_to_tell(self) -> bool:
        """verify-file: neither a token nor two near twins were named because the picture is too
        small to tell what it shows. Its headline (the CLI's box, the page's banner) says so,
        not "no item of the collection", which would be a guess; its verdict stays
        ``not_an_item`` (DESIGN.md) and ``too_small`` says the sizes."""
        return self.too_small is not None and self.token_id is None and not self.candidates

    @property
    def transform_said(self) -> str | None:
        """:attr:`transform` for people: ``flipped`` stands for a mirror image or a quarter turn
        (the copies code does not tell them apart), so it is said as both."""
        return _TRANSFORM_SAID.get(self.transform or "", self.transform)

    @property
    def verified_image(self) -> str | None:
        """:attr:`image_cid` when the ``image`` check held (the image's bytes hashed to it), else
        None: only a verified image is shown as the token's original (a page, verify-file)."""
        held = any(c.name == "image" and c.ok for c in self.checks)
        return self.image_cid if held and self.image_cid else None

    def passed(self, name: str, detail: str, code: str = "", **params: object) -> None:
        self.checks.append(Check(name, True, detail, code=code, params=_params(params)))

    def warn(self, name: str, detail: str, code: str = "", **params: object) -> None:
        self.checks.append(Check(name, False, f"warning: {detail}", warning=True, code=code,
                                 params=_params(params)))

    def failed(self, name: str, detail: str, verdict: Verdict, code: str = "",
               **params: object) -> Report:
        self.checks.append(Check(name, False, detail, code=code, params=_params(params)))
        self.verdict = verdict
        return self

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.warning]

    def as_json(self) -> dict[str, Any]:
        """The object `verify --json` prints (DESIGN.md)."""
        out: dict[str, Any] = {
            "verdict": self.verdict.value, "token_id": self.token_id, "contract": self.contract,
            "chain_id": self.chain_id, "owner": self.owner, "token_uri": self.token_uri,
            "checks": [c.as_json() for c in self.checks]}
        if self.issuer_domain is not None:  # "issued by bank.example", checked
            out["issuer_domain"] = self.issuer_domain
        out["transfer_policy"] = self.transfer.as_json() if self.transfer else None
        return out


def answer_json(report: Report, file: str | None = None) -> dict[str, Any]:
    """The object `verify --json` prints, and with `file` (the picture's name) the one
    `verify-file --json` prints, adding how alike the picture is and how a copy was made, the
    near twins it may be a copy of (``candidates``: each one's own `verify --json` object, the
    closer first; empty when one token or none is named) and, when it is too small to tell,
    ``too_small``: ``{"shown": px, "needed": px}`` (else null); the web API answers the same
    (``nft_toolkit.web.api``)."""
    out = report.as_json()
    if file is not None:
        small = report.too_small
        out.update(file=file, similarity=report.similarity, transform=report.transform,
                   candidates=[c.as_json() for c in report.candidates],
                   too_small={"shown": small[0], "needed": small[1]} if small else None)
    return out
