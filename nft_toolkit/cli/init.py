"""``nft-toolkit init DIR [--year YEAR] [--layers LAYERS_DIR]``: scaffold a collection project."""

from __future__ import annotations

import json
import secrets
import shlex
from pathlib import Path

import click

from nft_toolkit.art.calendar import animal_of, element_of
from nft_toolkit.atomic import write_text
from nft_toolkit.cli.import_hashlips import next_step
from nft_toolkit.cli.options import json_option
from nft_toolkit.errors import ConfigError
from nft_toolkit.project import Project
from nft_toolkit.template import config_for


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=int, default=None,
              help="The zodiac year, e.g. 2026 (needed by the built-in theme; optional with "
                   "--layers).")
@click.option("--layers", "layers_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Layer folders, HashLips' (Background/Name#weight.png) or "
                                 "numbered (1-Background/...); a sample set is written there if "
                                 "the folder does not exist.")
@click.option("--size", type=click.IntRange(1), default=100, show_default=True,
              help="Number of items.")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Generation seed (default: a random one, recorded in collection.yaml).")
@json_option
def init_command(directory: Path, year: int | None, layers_dir: Path | None, size: int,
                 seed: int | None, as_json: bool) -> None:
    """Write DIR/collection.yaml: a zodiac-year collection (built-in art) or your layers'.

    Layer folders without numbers (HashLips' own layout) get their order written into
    collection.yaml as ``layers.order``, a list to check and edit; folders of another size are
    left out of it with a note.
    """
    if year is None and layers_dir is None:
        raise ConfigError("--year: missing; the built-in zodiac theme needs the year, e.g. "
                          "--year 2026 (or give --layers for your own artwork)")
    directory.mkdir(parents=True, exist_ok=True)
    project = Project(directory.resolve())
    sample = False
    if layers_dir is not None and not layers_dir.exists():
        from nft_toolkit.art.sample_layers import write_sample_layers

        write_sample_layers(layers_dir, 512)
        sample = True
    order: list[str] | None = None
    notes: list[str] = []
    name = None if year is not None else _title(project.root.name)
    if layers_dir is not None:
        from nft_toolkit.art.layers import numbered, suggested_order

        found, notes = suggested_order(layers_dir)
        if notes or not numbered(layers_dir):
            order = found
            config_js = layers_dir.parent / "src" / "config.js"  # a HashLips checkout
            if order is not None and config_js.is_file():
                where = "" if directory.resolve() == Path.cwd().resolve() else \
                    f" --project {shlex.quote(str(directory))}"
                notes.append(f"{config_js} has HashLips' own layer order and options: "
                             f"`nft-toolkit import-hashlips {shlex.quote(str(config_js))} "
                             f"{shlex.quote(str(layers_dir))}{where} --force` reads them "
                             "into collection.yaml (this one is kept as collection.yaml.bak)")
    config, text = config_for(project.root, year, layers_dir=layers_dir, size=size,
                              seed=secrets.randbelow(2**32) if seed is None else seed,
                              name=name, order=order, notes=notes)
    if config.layers is not None:
        from nft_toolkit.art.layers import load_layer_set

        load_layer_set(config.layers, config.path)  # checked before anything is written
    write_text(project.config_path, text)
    summary = {"project": str(project.root), "config": str(project.config_path),
               "name": config.name, "year": year,
               "zodiac": animal_of(year) if year is not None else None,
               "element": element_of(year) if year is not None else None,
               "size": size, "seed": config.seed,
               "art": "layers" if config.layers is not None else "zodiac",
               "sample_layers": sample,
               "layers_order": list(config.layers.order or ()) if config.layers else None,
               "notes": notes}
    if as_json:
        click.echo(json.dumps(summary, sort_keys=True, ensure_ascii=False))
        return
    about = f" ({element_of(year)} {animal_of(year)})" if year is not None else ""
    click.echo(f"Created {project.config_path}: {config.name}{about}, {size} items, "
               f"seed {config.seed}")
    if sample:
        click.echo(f"Wrote a sample layer set to {layers_dir}; replace it with your artwork.")
    if order is not None:
        click.echo(f"Layers back to front: {', '.join(order)} (layers.order in "
                   f"{project.config_path}: check the order and edit it)")
    for note in notes:
        click.echo(f"note: {note}", err=True)
    click.echo(next_step(directory))


def _title(folder_name: str) -> str:
    """A collection name from the project folder's name: my-eyes -> My Eyes."""
    words = folder_name.replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "My Collection"
