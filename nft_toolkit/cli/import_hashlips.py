"""``nft-toolkit import-hashlips CONFIG_JS LAYERS [--project DIR] [--force]``: collection.yaml
from HashLips' config.js (see :mod:`nft_toolkit.art.hashlips`).

``--force`` replaces an existing collection.yaml (the one ``init --layers`` wrote, say), first
copying it to ``collection.yaml.bak`` (``.bak.2``, ... when that exists), so nothing the user
edited is lost."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import click

from nft_toolkit.atomic import write_text
from nft_toolkit.cli.options import json_option
from nft_toolkit.errors import ConfigError


@click.command("import-hashlips")
@click.argument("config_js", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("layers_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Where to write collection.yaml.")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Generation seed (default: a random one, recorded in collection.yaml).")
@click.option("--force", is_flag=True,
              help="Replace an existing collection.yaml, kept as collection.yaml.bak.")
@json_option
def import_hashlips_command(config_js: Path, layers_dir: Path, project_dir: Path,
                            seed: int | None, force: bool, as_json: bool) -> None:
    """Write collection.yaml from HashLips' src/config.js and its layers folder."""
    from nft_toolkit.art.hashlips import (collection_from_hashlips, collection_yaml,
                                          read_config_js)
    from nft_toolkit.art.generate import artwork_for
    from nft_toolkit.art.layers import ConfiguredArtwork, LayerArtwork
    from nft_toolkit.config import parse_config
    from nft_toolkit.configfile import load_yaml

    project_dir.mkdir(parents=True, exist_ok=True)
    root = project_dir.resolve()
    target = root / "collection.yaml"
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists; edit it, import into another folder, or "
                          "add --force to replace it (it is kept as collection.yaml.bak)")
    absolute = layers_dir.resolve()
    try:
        recorded = absolute.relative_to(root).as_posix()
    except ValueError:
        recorded = absolute.as_posix()
    mapping, notes = collection_from_hashlips(
        read_config_js(config_js), recorded, secrets.randbelow(2**32) if seed is None else seed)
    text = collection_yaml(mapping, notes)
    config = parse_config(load_yaml(text, target), target)
    assert config.layers is not None
    artwork = artwork_for(config, config.size)  # every layer configuration, checked
    backup = _backup(target) if target.exists() else None
    write_text(target, text)  # only once the layers are known to work
    notes += list(artwork.layer_set.notes if isinstance(artwork, LayerArtwork) else
                  artwork.notes if isinstance(artwork, ConfiguredArtwork) else ())
    orders = ([list(config.layers.order or ())] if not config.layers.configurations else
              [list(c.order) for c in config.layers.configurations])
    if as_json:
        click.echo(json.dumps({"config": str(target), "name": config.name, "size": config.size,
                               "orders": orders, "notes": notes,
                               "backup": str(backup) if backup else None},
                              sort_keys=True, ensure_ascii=False))
        return
    if backup is not None:
        click.echo(f"Kept the previous {target.name} as {backup}")
    click.echo(f"Created {target}: {config.name}, {config.size} items, layers "
               + "; then ".join(", ".join(order) for order in orders))
    for note in notes:
        click.echo(f"note: {note}", err=True)
    click.echo(next_step(project_dir))


def next_step(project_dir: Path) -> str:
    """The line that tells the user to generate: with ``cd`` only when `project_dir` is not
    the current folder."""
    if project_dir.resolve() == Path.cwd().resolve():
        return "Next: nft-toolkit generate"
    return f"Next: cd {project_dir} && nft-toolkit generate"


def _backup(target: Path) -> Path:
    """Copies `target` to the first free ``NAME.bak``, ``NAME.bak.2``, ...; that path."""
    backup = target.with_name(target.name + ".bak")
    n = 2
    while backup.exists():
        backup = target.with_name(f"{target.name}.bak.{n}")
        n += 1
    shutil.copy2(target, backup)
    return backup
