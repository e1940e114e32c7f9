"""Reading the small JSON files the toolkit keeps or is given (deployment records, pending
deployments, keystores): one error line naming the file when it is missing, unreadable or not
JSON, of the error class the caller chooses (so its exit code)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nft_toolkit.errors import NftToolkitError


def read_json(path: Path, what: str, error: type[NftToolkitError], missing: str) -> Any:
    """The JSON document at `path`, the `what` of the messages; when it does not exist, `error`
    says so and then `missing` (what to do)."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise error(f"{what} {path} does not exist: {missing}") from None
    except (OSError, ValueError) as exc:
        raise error(f"{what} {path} is not readable JSON: {exc}") from None
