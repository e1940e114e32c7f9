"""``nft-toolkit init DIR --year YEAR [--layers LAYERS_DIR]``: scaffold a collection project."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import click

from nft_toolkit.art.calendar import animal_of, element_of
from nft_toolkit.cli.options import json_option
from nft_toolkit.template import write_default_config
from nft_toolkit.project import Project


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The zodiac year, e.g. 2026.")
@click.option("--layers", "layers_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="HashLips layer folders (1-Background/Name#weight.png, ...); "
                                 "a sample set is written there if the folder does not exist.")
@click.option("--size", type=click.IntRange(1), default=100, show_default=True,
              help="Number of items.")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Generation seed (default: a random one, recorded in collection.yaml).")
@json_option
def init_command(directory: Path, year: int, layers_dir: Path | None, size: int,
                 seed: int | None, as_json: bool) -> None:
    """Write DIR/collection.yaml for a zodiac-year collection (built-in art or your layers)."""
    directory.mkdir(parents=True, exist_ok=True)
    project = Project(directory.resolve())
    sample = False
    if layers_dir is not None and not layers_dir.exists():
        from nft_toolkit.art.sample_layers import write_sample_layers

        write_sample_layers(layers_dir, 512)
        sample = True
    config = write_default_config(project.root, year, layers_dir=layers_dir, size=size,
                                  seed=secrets.randbelow(2**32) if seed is None else seed)
    if config.layers is not None:
        from nft_toolkit.art.layers import load_layer_set

        try:
            load_layer_set(config.layers, config.path)
        except Exception:
            project.config_path.unlink()  # nothing half-written: the project stays uninitialised
            raise
    summary = {"project": str(project.root), "config": str(project.config_path),
               "name": config.name, "year": year, "zodiac": animal_of(year),
               "element": element_of(year), "size": size, "seed": config.seed,
               "art": "layers" if config.layers is not None else "zodiac",
               "sample_layers": sample}
    if as_json:
        click.echo(json.dumps(summary, sort_keys=True))
        return
    click.echo(f"Created {project.config_path}: {config.name} ({element_of(year)} "
               f"{animal_of(year)}), {size} items, seed {config.seed}")
    if sample:
        click.echo(f"Wrote a sample layer set to {layers_dir}; replace it with your artwork.")
    click.echo(f"Next: cd {directory} && nft-toolkit generate")
