"""Names a package exports but imports on first use (PEP 562), so that importing the package
stays cheap: `nft-toolkit --version` must not import web3 through ``nft_toolkit.chain``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str],
                 public: Sequence[str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of `package`: name -> the submodule, relative
    to `package`, that defines it (`where`); `public` is the package's ``__all__``."""
    def getattr_(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{where[name]}"), name)

    def dir_() -> list[str]:
        return sorted({*vars(importlib.import_module(package)), *public})

    return getattr_, dir_
