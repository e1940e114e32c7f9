"""``nft-toolkit pin``: CIDs, image URIs, manifest and CAR, then pin through the chosen backend."""

from __future__ import annotations

import json
from pathlib import Path

import click
from nft_toolkit.cli.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from nft_toolkit.cli.options import json_option, project_option, resolve_project
from nft_toolkit.ipfs.pinning import BACKENDS, make_backend, project_store
from nft_toolkit.ipfs.pinning.scope import pin_targets
from nft_toolkit.ipfs.publish import prepare


@click.command("pin")
@click.option("--backend", type=click.Choice(BACKENDS), default=None,
              help="Where to pin (default: collection.yaml ipfs.backend, else local).")
@click.option("--force", is_flag=True,
              help="Pin although a deployment commits to other content (then deploy anew).")
@project_option
@json_option
def pin_command(backend: str | None, force: bool, project_dir: Path | None, as_json: bool) -> None:
    """Compute the collection's CIDs, write the manifest and CAR, and pin images and metadata.

    Refuses a build whose token IDs are not 1..N within the cap, and, without --force, one that
    would replace the content of a deployed collection that can no longer follow it.
    """
    project = resolve_project(project_dir)
    config = project.load_config()
    name = backend or config.ipfs.backend
    pinner = make_backend(name, config.ipfs, project)
    console = Console(stderr=True)  # stdout holds the results; no bar (nor its blank line) in a pipe
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, disable=as_json or not console.is_terminal,
                  transient=True) as progress:
        task = progress.add_task("computing CIDs", total=3)

        def show(done: int, total: int, what: str) -> None:
            progress.update(task, completed=done, total=total, description=what)

        prepared = prepare(project, config.ipfs.cid_version, show, force=force,
                           profile=config.ipfs.profile)
        progress.update(task, description=f"pinning ({name})", completed=0)
        targets = pin_targets(prepared.targets, prepared.manifest, config.ipfs.pin_items, name)
        results = pinner.pin(targets, project_store(project), show)
    m = prepared.manifest
    for warning in prepared.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps({
            "backend": name, "base_uri": m.base_uri, "images_cid": m.images_cid,
            "metadata_cid": m.metadata_cid, "contract_metadata_cid": m.contract_metadata_cid,
            "provenance_hash": m.provenance_hash, "tokens": len(m.tokens),
            "manifest": str(project.manifest_path), "car": str(project.car_path),
            "pins": [r.__dict__ for r in results], "warnings": prepared.warnings,
        }))
        return
    click.echo(f"base URI      {m.base_uri}")
    click.echo(f"images        ipfs://{m.images_cid}/")
    click.echo(f"provenance    {m.provenance_hash}")
    click.echo(f"manifest      {project.manifest_path}  ({len(m.tokens)} tokens)")
    click.echo(f"CAR           {project.car_path}  ({prepared.car_blocks} blocks)")
    roots = {t.name for t in prepared.targets}
    for r in results:
        if r.name in roots:
            click.echo(f"{name:<13} {r.name}: {r.status} {r.cid}")
    if len(results) > len(roots):
        items = [r for r in results if r.name not in roots]
        counts = {s: sum(1 for r in items if r.status == s) for s in ("pinned", "already-pinned")}
        click.echo(f"{name:<13} {len(items)} item files: {counts['pinned']} pinned, "
                   f"{counts['already-pinned']} already pinned")
