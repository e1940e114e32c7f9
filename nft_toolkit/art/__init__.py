"""Artwork and metadata of a collection: trait selection, rendering, metadata, rarity, preview.

The built-in zodiac theme (:mod:`nft_toolkit.art.zodiac`) and HashLips-style layer folders
(:mod:`nft_toolkit.art.layers`) both produce a :class:`~nft_toolkit.art.traits.TraitSpace` and a
renderer; :func:`nft_toolkit.art.generate.generate` turns them into build/ files.

The public names are below (``__all__``). Two functions share their module's name and are
reached through it: ``from nft_toolkit.art.generate import generate`` and
``from nft_toolkit.art.rarity import rarity`` (a package attribute of that name would be shadowed
by the submodule once imported). Internal (may change without notice):
:mod:`~nft_toolkit.art.render`, :mod:`~nft_toolkit.art.names`,
:mod:`~nft_toolkit.art.sample_layers`, the drawing modules under :mod:`~nft_toolkit.art.zodiac`,
and every name the modules hold that ``__all__`` does not list.

The names are imported on first use (PEP 562): ``nft-toolkit init`` needs the calendar, not
the renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nft_toolkit._lazy import lazy_exports

if TYPE_CHECKING:
    from nft_toolkit.art.calendar import animal_of, element_of
    from nft_toolkit.art.generate import GenerationResult
    from nft_toolkit.art.layers import LayerSet, load_layer_set
    from nft_toolkit.art.metadata import contract_metadata, token_metadata
    from nft_toolkit.art.preview import contact_sheet
    from nft_toolkit.art.rarity import RarityReport
    from nft_toolkit.art.traits import Layer, Trait, TraitSpace

_WHERE = {"animal_of": "calendar", "element_of": "calendar", "GenerationResult": "generate",
          "LayerSet": "layers", "load_layer_set": "layers", "contract_metadata": "metadata",
          "token_metadata": "metadata", "contact_sheet": "preview", "RarityReport": "rarity",
          "Layer": "traits", "Trait": "traits", "TraitSpace": "traits"}

__all__ = ["GenerationResult", "Layer", "LayerSet", "RarityReport", "Trait", "TraitSpace",
           "animal_of", "contact_sheet", "contract_metadata", "element_of", "load_layer_set",
           "token_metadata"]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
