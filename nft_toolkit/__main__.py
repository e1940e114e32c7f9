"""``python -m nft_toolkit``: the ``nft-toolkit`` command, as ``python -m pip`` or
``python -m brownie`` run theirs (:mod:`nft_toolkit.cli.__main__` is the same)."""

from __future__ import annotations

from nft_toolkit.cli.app import main

if __name__ == "__main__":
    main()
