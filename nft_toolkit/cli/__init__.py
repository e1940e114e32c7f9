"""The ``nft-toolkit`` command line: a thin click shell over the library.

Each command lives in its own module under ``nft_toolkit.cli``, named in the registry
:data:`nft_toolkit.cli.commands.COMMANDS` and imported only when it runs; errors are mapped to
exit codes in one place, :class:`nft_toolkit.cli.app._Group`.
"""

from __future__ import annotations

from nft_toolkit.cli.app import main

__all__ = ["main"]
