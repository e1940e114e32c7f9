"""`nft-toolkit audit`: verify every token of the collection, with a summary and a report file."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from collections.abc import Iterable
from pathlib import Path

import click
from nft_toolkit.cli.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nft_toolkit.cli.options import json_option, network_options, project_option
from nft_toolkit.cli.verify import mark, trust_options
from nft_toolkit.errors import ChainError, ContentError, InputError, NftToolkitError
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.audit import AuditReport, TokenResult, audit_stream
from nft_toolkit.verify.audit_file import write_report
from nft_toolkit.verify.context import setup
from nft_toolkit.verify.report import Check, Verdict
from nft_toolkit.verify.sources import Web3Reader


@click.command("audit")
@trust_options
@network_options
@project_option
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Where to write the JSON report (default: reports/audit-<network>.json).")
@json_option
def audit_command(contract: str | None, issuer: str | None, gateway: str | None,
                  network: str | None, rpc_url: str | None, chain_id: int | None,
                  project_dir: Path | None, report_path: Path | None, as_json: bool) -> None:
    """Verify every minted token with batched calls; exit 0 when all are authentic.

    Exit 0 every minted token authentic; 1 the contract, or a token, tampered or counterfeit;
    2 usage error (or the report cannot be written); 3 unverifiable (the chain or the content
    out of reach: the last complete report is kept, or some tokens and no worse).
    """
    s = setup(project_dir, network, rpc_url, chain_id, contract, issuer, gateway)
    if report_path is None:
        root = s.project.root if s.project else Path.cwd()
        report_path = root / "reports" / f"audit-{s.network.name}.json"
    started = time.perf_counter()
    results: Iterable[TokenResult] = ()
    try:
        chain = s.connect()
    except ChainError as exc:
        result = AuditReport(s.trust.contract, verdict=Verdict.UNVERIFIABLE)
        result.collection.append(Check("contract", False, f"cannot check: {exc}"))
    else:
        result, results = audit_stream(Web3Reader(chain), s.content, s.trust)
    if result.verdict is Verdict.UNVERIFIABLE:
        raise _not_audited(result, report_path)
    console = Console(stderr=True)
    bar = Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console,
                   disable=as_json or not console.is_terminal)
    task = bar.add_task("audit", total=result.minted or None)
    try:
        with bar:  # the tokens are verified as the report file takes them
            data = write_report(report_path, result, results, started,
                                lambda done, total: bar.update(task, completed=done, total=total))
    except OSError as exc:
        raise InputError(f"cannot write the report {report_path}: {exc.strerror or exc}") from None
    seconds = data["seconds"]
    damaged = damaged_store(s.content.source, result)
    if as_json:
        click.echo(json.dumps(data | {"report": str(report_path)} | (
            {"damaged_blocks": [str(c) for c in damaged]} if damaged else {})))
    else:
        console = Console()
        for check in result.collection:
            console.print(f"{mark(check)} {check.name:<18} {escape(check.detail)}")
        if result.transfer:
            console.print(escape(f"transfer policy: {result.transfer.describe()}"))
        counts = ", ".join(f"{n} {v}" for v, n in sorted(result.counts.items())) or "no tokens"
        rate = f" ({result.audited / seconds:,.0f} tokens/s)" if result.audited and seconds else ""
        console.print(escape(f"contract and collection: {result.verdict.value}; tokens: {counts}; "
                             f"{seconds:.2f} s{rate}; report: {report_path}"))
        for t in result.notable[:10]:
            console.print(f"  [red]token {t.token_id}: {t.verdict.value}[/] ({t.check}) "
                          f"{escape(t.detail)}")
        if damaged:
            assert isinstance(s.content.source, BlockStore)
            store = escape(str(s.content.source.root))
            console.print(f"[red]the local store {store} is damaged[/]: "
                          f"{len(damaged)} block(s) do not hash to their CID ({damaged[0]}"
                          f"{', …' if len(damaged) > 1 else ''}); a token read from them is "
                          "tampered here, though the content the chain commits to may be "
                          "whole elsewhere: `nft-toolkit pin` writes the blocks again from "
                          "build/", soft_wrap=True)
    sys.exit(result.exit_code)


def damaged_store(source: object, result: AuditReport) -> list[Cid]:
    """The local store's damaged blocks, looked for when the audit read from a local store and
    found tampered content (a block's bytes changed at rest read as a tampered token)."""
    tampered = result.verdict is Verdict.TAMPERED or result.counts[Verdict.TAMPERED.value] > 0
    if not isinstance(source, BlockStore) or not tampered:
        return []
    return list(source.damaged())


# the collection-level checks whose failure means the content, not the chain, is out of reach
_CONTENT_CHECKS = frozenset({"tokens", "token_uri", "metadata", "image", "provenance"})


def _not_audited(result: AuditReport, report_path: Path) -> NftToolkitError:
    """The one-line error (exit 3) for an audit that could not check the collection itself: the
    chain or its content out of reach. Such a run is no report of the collection, so the last
    complete report stays in place; an audit that reaches every token writes its report even
    when some tokens are unverifiable (that is a finding about those tokens)."""
    failed = next((c for c in reversed(result.collection) if not c.ok and not c.warning), None)
    cause = failed.detail if failed else "the collection could not be checked"
    try:
        when = datetime.fromtimestamp(report_path.stat().st_mtime, timezone.utc)
        kept = f"the last report, of {when:%Y-%m-%d %H:%M} UTC, is kept ({report_path})"
    except OSError:
        kept = "no report written"
    kind = ContentError if failed and failed.name in _CONTENT_CHECKS else ChainError
    return kind(f"cannot audit: {cause}; {kept}")
