"""The strict reader of nft-toolkit's YAML files (collection.yaml, networks.yaml).

One loader and one typed reader, so every configuration file refuses the same mistakes with the
same kind of message, one line naming the file, the key and the fix: a key written twice
(:class:`StrictLoader`), a key no dataclass declares (:meth:`Reader.check_keys` with
:func:`keys_of`), a value of the wrong type (``confirmations: true`` is no number).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import yaml

from nft_toolkit.address import address_problem, parse_address, shown
from nft_toolkit.errors import ConfigError


def keys_of(cls: type, *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The YAML keys of a configuration dataclass: its fields, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in exclude)


def given(**values: Any) -> dict[str, Any]:
    """The values a file gave (None: not given), to build a dataclass with: its own defaults
    fill the rest, so each default is written once, in the dataclass."""
    return {name: value for name, value in values.items() if value is not None}


class Reader:
    """Typed access to one YAML mapping, raising ConfigError with the file and dotted key."""

    def __init__(self, path: Path, data: Any, prefix: str = "") -> None:
        self.path, self.prefix = path, prefix
        where = prefix.rstrip(".") or "the top level"
        if not isinstance(data, Mapping):
            self.fail(where, f"must be a mapping of keys to values, got {kind(data)}",
                      "write it as `key: value` lines")
        self.data: Mapping[str, Any] = data

    def fail(self, key: str, problem: str, fix: str) -> None:
        raise ConfigError(f"{self.path}: {key}: {problem}; {fix}")

    def key(self, name: str) -> str:
        return self.prefix + name

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for name in self.data:
            if name not in allowed:
                hint = ", ".join(allowed)
                self.fail(self.key(str(name)), "unknown key", f"remove it or use one of: {hint}")

    def has(self, name: str) -> bool:
        return name in self.data and self.data[name] is not None

    def _get(self, name: str, required: bool) -> Any:
        if not self.has(name):
            if required:
                self.fail(self.key(name), "missing", f"add `{name}:` to the file")
            return None
        return self.data[name]

    def string(self, name: str, *, required: bool = False, default: str | None = None,
               pattern: re.Pattern[str] | None = None, fix: str = "") -> str | None:
        value = self._get(name, required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(self.key(name), f"must be text, got {kind(value)}",
                      fix or f"write it in quotes, e.g. {name}: \"...\"")
        if pattern is not None and not pattern.match(value):
            self.fail(self.key(name), f"invalid value {value!r}", fix)
        return cast(str, value)

    def address(self, name: str, fix: str) -> str | None:
        """An address through the one parser (nft_toolkit.address), in checksum form."""
        raw = self._get(name, False)
        if isinstance(raw, int) and not isinstance(raw, bool):  # YAML reads a bare 0x… as hex
            self.fail(self.key(name), f"{raw:#x} was read as a number", "put the address in "
                      f"quotes: {name}: \"0x…\"")
        value = self.string(name, fix=fix)
        if value is None:
            return None
        problem = address_problem(value)
        if problem is not None:
            self.fail(self.key(name), f"{shown(value)} {problem}", fix)
        return parse_address(value, self.key(name))

    def integer(self, name: str, *, required: bool = False, default: int | None = None,
                low: int | None = None, high: int | None = None, fix: str = "") -> int | None:
        value = self._get(name, required)
        if value is None:
            return default
        bounds = _bounds(low, high)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(self.key(name), f"must be a whole number{bounds}, got {kind(value)}",
                      fix or f"write a number, e.g. {name}: {low if low is not None else 0}")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(self.key(name), f"must be a whole number{bounds}, got {value}",
                      fix or "use a value in that range")
        return cast(int, value)

    def boolean(self, name: str, default: bool | None = None) -> bool | None:
        value = self._get(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(self.key(name), f"must be true or false, got {kind(value)}",
                      f"write {name}: true or {name}: false")
        return cast(bool, value)

    def choice(self, name: str, options: tuple[Any, ...], default: Any) -> Any:
        value = self._get(name, False)
        if value is None:
            return default
        # `1 in (0, 1)` is also true for True: compare types too.
        if not any(type(value) is type(o) and value == o for o in options):
            listed = " or ".join(repr(o) if isinstance(o, str) else str(o) for o in options)
            self.fail(self.key(name), f"invalid value {value!r}", f"use {listed}")
        return value

    def section(self, name: str) -> Reader | None:
        if not self.has(name):
            return None
        return Reader(self.path, self.data[name], self.key(name) + ".")

    def string_list(self, name: str, fix: str) -> list[str] | None:
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(self.key(name), f"must be a list of text items, got {kind(value)}", fix)
        return cast(list[str], value)


def kind(value: Any) -> str:
    """What `value` is, for a message: `a number (3)`, `a list`, ..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a true/false ({value!r})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


class StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice in one mapping."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

def load_yaml(text: str, path: Path) -> Any:
    """`text` (the file at `path`) parsed by :class:`StrictLoader`; a ConfigError naming the
    line on any syntax error or repeated key."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: invalid YAML{line}: {problem}; fix the syntax there") \
            from None


def read_yaml(path: Path, missing_fix: str) -> Any:
    """The file at `path` parsed strictly; a missing file is a ConfigError ending `missing_fix`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; {missing_fix}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc}); check the file") from None
    return load_yaml(text, path)
