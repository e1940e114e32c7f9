"""Imports every command module so that each registers itself on the root group."""

from __future__ import annotations
from nft_toolkit.cli import chain as _chain  # noqa: F401,E402
