"""The tests are organised like the package: shared helpers in tests/support/, fixtures in
conftest.py files that no test imports, one meaning per fixture name."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
SOURCES = sorted([*TESTS.rglob("*.py"), *(ROOT / "benchmarks").glob("*.py"), ROOT / "conftest.py"])


def _imports(path: Path) -> list[str]:
    """Every module `path` imports (absolute names; relative imports are not used here)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _fixtures(path: Path) -> list[str]:
    def is_fixture(decorator: ast.expr) -> bool:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return isinstance(target, ast.Attribute) and target.attr == "fixture"

    return [node.name for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if isinstance(node, ast.FunctionDef) and any(map(is_fixture, node.decorator_list))]


def test_no_file_imports_a_conftest() -> None:
    found = [f"{path.relative_to(ROOT)}: {line.strip()}" for path in SOURCES
             for line in path.read_text().splitlines()
             if re.search(r"\bconftest\b.*\bimport\b|\bimport\b.*\bconftest\b", line)
             and not line.lstrip().startswith("#")]
    assert found == []
    assert not [name for path in SOURCES for name in _imports(path) if "conftest" in name]


def test_helpers_of_another_folder_come_from_tests_support() -> None:
    """A test imports helpers from tests.support or from its own folder, never from another
    test folder (tests/cli from tests/verify, say)."""
    crossing = []
    for path in SOURCES:
        parts = path.relative_to(ROOT).parts
        own = ".".join(parts[:-1])  # e.g. tests.verify, or tests for the top-level tests
        for name in _imports(path):
            if not name.startswith("tests.") or name.startswith("tests.support"):
                continue
            folder = name.rsplit(".", 1)[0] if name.count(".") >= 2 else name
            if not (folder == own or name.startswith(own + ".") and own != "tests"):
                crossing.append(f"{path.relative_to(ROOT)} imports {name}")
    assert crossing == []


def test_one_meaning_per_fixture_name() -> None:
    """A fixture name is defined by one conftest.py only (a test module's own fixtures may not
    take a shared fixture's name), and tests/support holds no fixtures."""
    shared: dict[str, list[str]] = defaultdict(list)
    conftests = [ROOT / "conftest.py", *sorted(TESTS.rglob("conftest.py"))]
    for path in conftests:
        for name in _fixtures(path):
            shared[name].append(str(path.relative_to(ROOT)))
    assert {name: where for name, where in shared.items() if len(where) > 1} == {}
    shadowing = [f"{path.relative_to(ROOT)}: {name}" for path in sorted(TESTS.rglob("test_*.py"))
                 for name in _fixtures(path) if name in shared]
    assert shadowing == []
    assert [p for p in (TESTS / "support").glob("*.py") if _fixtures(p)] == []
