"""Imports every command module so that each registers itself on the root group."""

from __future__ import annotations
from nft_toolkit.cli import chain as _chain  # noqa: F401,E402
from nft_toolkit.cli import deploy as _deploy  # noqa: F401,E402
from nft_toolkit.cli import mint as _mint  # noqa: F401,E402
from nft_toolkit.cli import cid as _cid  # noqa: F401,E402
from nft_toolkit.cli import verify as _verify  # noqa: F401,E402
from nft_toolkit.cli import init as _init  # noqa: F401,E402
from nft_toolkit.cli import generate as _generate  # noqa: F401,E402
from nft_toolkit.cli import audit as _audit  # noqa: F401,E402
from nft_toolkit.cli import pin as _pin  # noqa: F401,E402
from nft_toolkit.cli import gateway as _gateway  # noqa: F401,E402
from nft_toolkit.cli import demo as _demo  # noqa: F401,E402
from nft_toolkit.cli import check as _check  # noqa: F401,E402
