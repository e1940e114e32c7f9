"""Click options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

from nft_toolkit.project import Project, find_project

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")

project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The collection project folder (default: the one containing the working directory).",
)


def resolve_project(project_dir: Path | None) -> Project:
    """The project named by --project, or the one around the working directory."""
    return find_project(project_dir) if project_dir is not None else find_project()
