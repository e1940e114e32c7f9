"""`nft-toolkit demo`: the whole pipeline on a throwaway local chain, ending with verifications."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import click
from nft_toolkit.cli.console import Console
from rich.markup import escape

from nft_toolkit.cli.verify import render
from nft_toolkit.chain.local import LocalChain
from nft_toolkit.demo import URL_BASE, run_demo
from nft_toolkit.errors import InputError
from nft_toolkit.project import Project


@click.command("demo")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to build the demo project (default: a new temporary folder).")
@click.option("--size", type=click.IntRange(12, 10_000), default=120, show_default=True)
@click.option("--serve", "serve", is_flag=True,
              help="Then keep the chain running and serve the verification page until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The page's port, with --serve.")
def demo_command(directory: Path | None, size: int, serve: bool, port: int) -> None:
    """Generate, pin, deploy, mint and verify a zodiac collection on a throwaway chain; catch a
    tampered metadata copy and a look-alike contract.

    Exit 0 when every verdict is as expected; 1 when one is not; 2 usage error (a folder not
    empty, an option); 3 when the throwaway chain cannot be started or read."""
    if directory is not None and directory.exists() and any(directory.iterdir()):
        raise InputError(f"{directory} is not empty: give a new or empty folder to --dir")
    console = Console()
    result = run_demo(directory, size, say=lambda line: console.print(escape(line)),
                      keep_chain=serve,
                      url_base=f"http://127.0.0.1:{port}" if serve else None)
    for case, expected, report in result.cases:
        console.rule(f"{case}: expected {expected}")
        render(report, as_json=False)
    a = result.audit
    if a is not None:
        counts = ", ".join(f"{n} {v}" for v, n in sorted(a.counts.items()))
        console.rule("summary")
        console.print(f"audit         collection {a.verdict.value}; {counts}")
    console.print(escape(f"preview sheet {result.project.preview_path}"))
    console.print(escape(f"audit report  {result.audit_path}"))
    if result.certificate is not None:
        console.print(escape(f"certificate   {result.certificate}"))
    console.print("verdicts      " + ", ".join(f"{c}: {r.verdict.value}" for c, _, r in result.cases))
    console.print(escape(f"demo {'passed' if result.ok else 'FAILED'} in {result.seconds:.1f} s "
                         f"(project kept in {result.project.root})"))
    if serve:
        _serve(result.project.root, port, console)
    else:
        console.print(escape(next_steps(result.project.root, toolkit_command())), soft_wrap=True)
    sys.exit(0 if result.ok else 1)


def toolkit_command(argv0: str | None = None) -> str:
    """How to run this toolkit again from a shell: ``nft-toolkit`` when that name finds this
    very executable, else its path (a fresh clone's ``.venv/bin/nft-toolkit`` is not on PATH)."""
    here = Path(argv0 if argv0 is not None else sys.argv[0])
    if here.name != "nft-toolkit":  # not run by its script (a test's runner, python -c)
        here = Path(sys.prefix) / "bin" / "nft-toolkit"
    found = shutil.which("nft-toolkit")
    if found is not None and Path(found).resolve() == here.resolve():
        return "nft-toolkit"
    return shlex.quote(str(here.absolute()))


def next_steps(root: Path, command: str) -> str:
    """The line that says how to see the demo's verification page later (``serve``'s default
    address), with `command` the way to run the toolkit (:func:`toolkit_command`)."""
    return (f"verification page: cd {shlex.quote(str(root))} && {command} chain start && "
            f"{command} serve, then open {URL_BASE}/token/7 (Ctrl-C, then `{command} chain stop`)")


def _serve(root: Path, port: int, console: Console) -> None:
    """The demo's verification page until Ctrl-C; then its chain is stopped."""
    import uvicorn

    from nft_toolkit.web.app import create_app
    from nft_toolkit.web.service import Options, Service

    try:
        app = create_app(Service(Options(project_dir=str(root))))
        console.print(f"serving http://127.0.0.1:{port}/token/7 until Ctrl-C")
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    finally:
        LocalChain(Project(root).chain_dir).stop()
