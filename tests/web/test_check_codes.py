"""Every check the engine can write carries a code the Chinese catalogue words: a check added
without one, or a code without its wording, would reach a Chinese customer in English."""

from __future__ import annotations

import ast
from pathlib import Path

from nft_toolkit.web.i18n import translator

SOURCES = Path(__file__).resolve().parents[2] / "nft_toolkit"
# where a code sits among a call's positional arguments
CODE_AT = {"passed": 2, "warn": 2, "failed": 3, "Broken": 2, "Problem": 1}
PREFIX = {"Problem": "issuer_domain."}  # trust.check_domain words a Problem's code under this


def calls() -> list[tuple[str, str, ast.Call]]:
    found = []
    for path in SOURCES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if name in CODE_AT and (name not in ("passed", "warn", "failed")
                                        or _on_report(f)):
                    found.append((f"{path.relative_to(SOURCES)}:{node.lineno}", name, node))
    return found


def _on_report(f: ast.expr) -> bool:
    return isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in (
        "report", "out")


def code_of(name: str, call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "code":
            return kw.value
    i = CODE_AT[name]
    return call.args[i] if len(call.args) > i else None


def test_every_engine_check_has_a_code_with_a_chinese_wording() -> None:
    words = translator("zh")
    seen, missing, uncoded = 0, [], []
    for where, name, call in calls():
        if where.startswith(("cli/check", "chain/readiness", "preflight")):
            continue  # the issuer's `check` (readiness), in English: not a customer's page
        code = code_of(name, call)
        if isinstance(code, ast.Constant) and isinstance(code.value, str) and code.value:
            seen += 1
            if f"detail.{PREFIX.get(name, '')}{code.value}" not in words:
                missing.append(f"{where} {code.value}")
        elif isinstance(code, ast.IfExp):  # "a" if ... else "b": each branch
            for branch in (code.body, code.orelse):
                values = [branch] if not isinstance(branch, ast.IfExp) else [branch.body,
                                                                             branch.orelse]
                for v in values:
                    assert isinstance(v, ast.Constant), where
                    seen += 1
                    if f"detail.{PREFIX.get(name, '')}{v.value}" not in words:
                        missing.append(f"{where} {v.value}")
        elif not (isinstance(code, ast.JoinedStr) or isinstance(code, ast.Name)
                  or isinstance(code, ast.Attribute)):
            uncoded.append(where)
    assert seen > 40
    assert not missing, missing
    assert not uncoded, uncoded
