"""Reading the small JSON files the toolkit keeps or is given (deployment records, pending
deployments, keystores): one error line naming the file when it is missing, unreadable or not
JSON, of the error class the caller chooses (so its exit code)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from nft_toolkit.errors import NftToolkitError

T = TypeVar("T")


def read_json(path: Path, what: str, error: type[NftToolkitError], missing: str) -> Any:
    """The JSON document at `path`, the `what` of the messages; when it does not exist, `error`
    says so and then `missing` (what to do)."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise error(f"{what} {path} does not exist: {missing}") from None
    except (OSError, ValueError) as exc:
        raise error(f"{what} {path} is not readable JSON: {exc}") from None


def typed(kind: type[T], value: object, name: str) -> T:
    """`value` (a document's field `name`) when it is a `kind`, else TypeError saying so; a
    bool is no int here, though Python's isinstance takes it for one."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{name} is {value!r}, not {kind.__name__}")
    return value


def typed_or_none(kind: type[T], value: object, name: str) -> T | None:
    """:func:`typed`, with None (JSON null, or a key the caller found absent) allowed."""
    return None if value is None else typed(kind, value, name)
