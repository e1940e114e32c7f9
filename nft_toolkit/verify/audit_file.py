"""The audit report file, written as the audit goes: one JSON object whose ``tokens`` list is
streamed to disk a token at a time, so a collection of any size is reported in bounded memory.

Layout (UTF-8, one token per line)::

    {"contract": ..., "chain_id": ..., "verdict": ..., "checks": [...], "transfer_policy": ...,
     "tokens": [
    {"token_id": 1, "verdict": "authentic", "owner": "0x..."},
    ...
    ],
     "counts": {"authentic": N, ...}, "seconds": ...}

The collection-level fields come first (they are known before the first token), the tally last.
It is written under a temporary name and renamed into place when complete, so an interrupted
audit leaves the previous report as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from nft_toolkit.atomic import open_write
from nft_toolkit.verify.audit import AuditReport, TokenResult

Progress = Callable[[int, int], None]  # (tokens audited, tokens in all)


def _fields(doc: dict[str, Any]) -> bytes:
    """`doc`'s members as JSON object members, without the braces."""
    return json.dumps(doc, ensure_ascii=False)[1:-1].encode("utf-8")


def write_report(path: Path, report: AuditReport, results: Iterable[TokenResult],
                 started: float, progress: Progress | None = None) -> dict[str, Any]:
    """Writes the report of `report` (its collection-level checks done) to `path`, drawing
    `results` (:func:`~nft_toolkit.verify.audit.audit_stream`'s) one by one into its ``tokens``;
    returns the report without its tokens, with ``seconds`` since `started` (perf_counter).
    OSError when the file cannot be written."""
    with open_write(path) as fh:
        fh.write(b"{" + _fields(report.head_json()) + b',\n "tokens": [')
        separator = b"\n"
        for result in results:
            fh.write(separator + json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8"))
            separator = b",\n"
            if progress and (result.token_id % 100 == 0 or result.token_id == report.minted):
                progress(result.token_id, report.minted)
        tail = {"counts": dict(report.counts), "seconds": round(time.perf_counter() - started, 3)}
        fh.write(b"\n],\n " + _fields(tail) + b"}\n")
    return {**report.head_json(), **tail}
