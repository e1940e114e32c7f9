"""Artwork and metadata of a collection: trait selection, rendering, metadata, rarity, preview.

The built-in zodiac theme (:mod:`nft_toolkit.art.zodiac`) and HashLips-style layer folders
(:mod:`nft_toolkit.art.layers`) both produce a :class:`~nft_toolkit.art.traits.TraitSpace` and a
renderer; :func:`nft_toolkit.art.generate.generate` turns them into build/ files.
"""
