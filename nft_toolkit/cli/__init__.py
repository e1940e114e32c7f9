"""The ``nft-toolkit`` command line: a thin click shell over the library.

Each command lives in its own module under ``nft_toolkit.cli`` and registers itself on
:data:`main`; errors are mapped to exit codes in :func:`nft_toolkit.cli.options.run`.
"""

from __future__ import annotations

from nft_toolkit.cli.app import main

# Command modules: importing one registers its command on ``main``.
from nft_toolkit.cli import commands as _commands  # noqa: F401,E402

__all__ = ["main"]
