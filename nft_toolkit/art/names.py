"""Trait weights: the number after ``#`` in a HashLips trait file name (``Red#10.png``).

The names themselves (their normal form, the key two names collide on) are
:mod:`nft_toolkit.names`, shared with collection.yaml.
"""

from __future__ import annotations

import math
import re

from nft_toolkit.names import BadName

_WEIGHT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
WEIGHT_FORM = "a whole or decimal number above zero, e.g. #10 or #2.5"


def weight_of(raw: str) -> float:
    """The weight written after ``#`` in a trait file name, as the generator draws with it.

    HashLips writes whole or decimal numbers (``Red#10.png``, ``Red#2.5.png``): those are
    accepted, and nothing else (no exponent, sign, ``inf``, ``nan`` or non-ASCII digits).
    The value must stay finite and above zero as a float: ``0.000…1`` with 400 zeros is 0.0.
    (A layer's sum stays finite: a file name of 255 bytes cannot spell a weight near 1e308.)
    Raises :class:`BadName` otherwise.
    """
    if not _WEIGHT.fullmatch(raw):
        raise BadName(f"weight {raw!r} is not {WEIGHT_FORM}")
    weight = float(raw)
    if not math.isfinite(weight):
        problem = "is too large to draw with"
    elif weight > 0:
        return weight
    elif raw.strip("0.") == "":
        problem = "is zero"
    else:
        problem = "is too small to draw with (it reads as 0)"
    shown = raw if len(raw) <= 20 else raw[:8] + "…" + raw[-8:]
    raise BadName(f"weight {shown} {problem}; a weight is {WEIGHT_FORM}")
