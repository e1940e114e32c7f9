"""``python -m nft_toolkit.cli``: the ``nft-toolkit`` command, where no console script was
installed (a wheel unpacked, a frozen environment, ``PYTHONPATH`` over a checkout)."""

from __future__ import annotations

from nft_toolkit.cli.app import main

if __name__ == "__main__":
    main()
