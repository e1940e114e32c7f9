"""Imports every command module so that each registers itself on the root group."""

from __future__ import annotations
