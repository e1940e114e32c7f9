"""``nft-toolkit generate``: artwork, metadata, rarity report and preview into build/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from nft_toolkit.cli.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from nft_toolkit.art.generate import Progress as ProgressCallback
from nft_toolkit.art.generate import default_workers, generate
from nft_toolkit.cli.options import json_option, project_option, resolve_project
from nft_toolkit.errors import InputError


@contextmanager
def _progress_bar(total: int) -> Iterator[ProgressCallback]:
    """A rich progress bar on stderr (silent when stderr is not a terminal)."""
    console = Console(stderr=True)
    with Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:  # a transient bar leaves a blank line
        task = bar.add_task("render", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


@click.command("generate")
@click.option("--count", type=int, default=None, help="Number of items (default: size).")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Seed (default: seed in collection.yaml).")
@click.option("--workers", type=int, default=None,
              help="Worker processes (default: every CPU); the output is the same for any.")
@click.option("--force", is_flag=True,
              help="Generate although a deployment commits to the current build.")
@project_option
@json_option
def generate_command(count: int | None, seed: int | None, workers: int | None, force: bool,
                     project_dir: Path | None, as_json: bool) -> None:
    """Write build/images/<id>.png, build/metadata/<id>.json, rarity report and preview."""
    project = resolve_project(project_dir)
    config = project.load_config()
    deployed = project.deployment_files()
    if deployed and not force:  # checked by file, without the chain stack: generate starts fast
        raise InputError(f"{deployed[0]} records a deployment of this build: generating would "
                         "replace what it commits to; generate --force for a new collection "
                         "(then pin --force and deploy --force a new contract)")
    total = config.size if count is None else count
    with _progress_bar(max(total, 0)) as progress:
        result = generate(config, project.build_dir, count=count, seed=seed,
                          workers=workers if workers is not None else default_workers(),
                          progress=progress)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if as_json:
        click.echo(json.dumps(result.to_json(), sort_keys=True))
        return
    click.echo(f"Generated {result.count} items in {result.seconds:.1f} s with {result.workers} "
               f"worker(s), seed {result.seed}:")
    for path in (project.images_dir, project.metadata_dir, project.rarity_txt,
                 project.preview_path, project.contract_metadata_path):
        click.echo(f"  {path}")
