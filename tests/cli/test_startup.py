"""Fast start: the light commands never import web3, and the lazy registry tells no lies.

Each command runs in a fresh interpreter (``sys.modules`` of this test process already holds
web3); the child prints the heavy modules it imported after the command returned.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nft_toolkit.cli import main
from nft_toolkit.cli.commands import COMMANDS

HEAVY = ("web3", "eth_account", "brownie", "eth_utils", "requests", "aiohttp")

_CHILD = """
import json, sys
from nft_toolkit.cli import main
try:
    main(sys.argv[1:], prog_name="nft-toolkit")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def _run(*args: str, cwd: Path) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", _CHILD.format(heavy=set(HEAVY)), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
    last = done.stderr.strip().splitlines()[-1]
    report = json.loads(last)
    return report["code"], report["heavy"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("startup")
    result = CliRunner().invoke(main, ["init", str(root / "proj"), "--year", "2026",
                                       "--size", "2", "--seed", "1"])
    assert result.exit_code == 0, result.output
    config = root / "proj" / "collection.yaml"
    config.write_text(config.read_text().replace("image_size: 1024", "image_size: 32"))
    return root / "proj"


@pytest.mark.parametrize("args", [
    ["--version"],
    ["--help"],
    ["cid", "collection.yaml"],
    ["cid", "--help"],
    ["init", "fresh", "--year", "2026"],
    ["generate", "--count", "1"],
    ["nope"],  # an unknown command is a usage error, still without web3
], ids=lambda args: " ".join(args))
def test_light_commands_do_not_import_web3(project: Path, args: list[str]) -> None:
    code, heavy = _run(*args, cwd=project)
    assert code == (2 if args == ["nope"] else 0)
    assert heavy == []


def test_a_chain_command_loads_its_module_on_demand(project: Path) -> None:
    """The control: the child does see web3 when a command needs it."""
    code, heavy = _run("verify", "--help", cwd=project)
    assert code == 0 and "web3" in heavy


def test_help_lists_every_command_with_its_own_first_sentence() -> None:
    result = CliRunner().invoke(main, ["--help"], terminal_width=1000)
    assert result.exit_code == 0
    listed = result.output.split("Commands:\n", 1)[1]
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    width = max(len(name) for name in COMMANDS)
    for name, (_, declared) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command) and command.name == name
        # The registry's line is the command's own first sentence, as click would show it.
        assert command.get_short_help_str(1000) == declared
        assert f"  {name.ljust(width)}  {declared}\n" in listed


def test_errors_of_a_lazily_loaded_command_keep_their_exit_code(tmp_path: Path) -> None:
    """`_Group.invoke` still turns a command's ConfigError into one line and exit 2."""
    result = CliRunner().invoke(main, ["generate", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "collection.yaml" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_closed_stdout_pipe_is_not_a_verdict(tmp_path: Path) -> None:
    """Found by a new user: `nft-toolkit verify 7 | head -1` exited 1, the "not authentic" code
    (click's answer to EPIPE); a reader that went away now gives the shell's SIGPIPE code."""
    import shlex

    (tmp_path / "a.txt").write_text("a")
    tool = shlex.quote(str(Path(sys.executable).parent / "nft-toolkit"))
    script = f"{tool} cid {shlex.quote(str(tmp_path / 'a.txt'))} | head -c 0; echo ${{PIPESTATUS[0]}}"
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "141" and "Traceback" not in out.stderr, out


def test_a_closed_pipe_under_rich_output_is_not_a_verdict(tmp_path: Path) -> None:
    """Found by a customer: `verify 7 | head -3` still exited 1, since rich's console exits 1 on
    EPIPE before the CLI's handler sees it; a command's rich table gives 141 too."""
    import shlex

    from click.testing import CliRunner

    from nft_toolkit.cli.app import main

    with CliRunner().isolated_filesystem(temp_dir=tmp_path):
        assert CliRunner().invoke(main, ["init", "pipe", "--year", "2026", "--size", "3"]).exit_code == 0
    tool = shlex.quote(str(Path(sys.executable).parent / "nft-toolkit"))
    project = shlex.quote(str(next(tmp_path.glob("*/pipe"))))
    script = f"{tool} check --project {project} | head -c 0; echo ${{PIPESTATUS[0]}}"  # rich, stdout
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "141" and "Traceback" not in out.stderr, out
