"""Custom artwork from HashLips-style layer folders.

Layout: one folder per layer, ``<number>-<Layer name>``, stacked back to front by the numbers,
or HashLips' own layout, folders named for the layer alone, stacked by ``layers.order`` in
collection.yaml (which names layers without any prefix; folders it leaves out are ignored, with
a note); in each, ``<Trait name>#<weight>.png`` files, the weight being the relative chance (1
when left out). :func:`suggested_order` is the order ``init`` writes for a folder without
numbers. Layers of another size than the output are scaled when ``image_size`` is given.
Everything is checked before anything is written: folders, file types, sizes, weights, the
names used by exclusions, and the hand-made 1-of-1 images. Names are read through
:mod:`nft_toolkit.names`: two folders or files whose names collide there are refused by name,
never turned into two look-alike traits.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from nft_toolkit.art.metadata import STANDARD_TRAITS
from nft_toolkit.art.names import weight_of
from nft_toolkit.art.blend import NORMAL, with_opacity
from nft_toolkit.art.render import Sprite, finish, stack
from nft_toolkit.art.traits import Choice, Layer, Trait, TraitSpace
from nft_toolkit.config import LayerOptions, LayersConfig
from nft_toolkit.errors import ConfigError, InputError
from nft_toolkit.names import BadName, name_key, normal_name

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LAYER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
SCALING = Image.Resampling.LANCZOS  # layers of another size than image_size are resized so
_PREFIX = re.compile(r"^\s*([0-9]+)[-_ ]+(.+)$")


@dataclass(frozen=True)
class LayerSet:
    """A validated layer folder: the trait space and the file behind every trait."""

    folder: Path
    space: TraitSpace
    files: tuple[tuple[Path, ...], ...]  # files[layer][trait]
    size: tuple[int, int]  # the output size
    notes: tuple[str, ...] = ()  # what was ignored, for the user to see
    options: tuple[LayerOptions, ...] = ()  # per layer, as `space.layers`; () all defaults
    background: str | None = None  # layers.background: "#rrggbb", "generated" or None


def _image_size(path: Path, hint: str) -> tuple[int, int]:
    """The size of the PNG, JPEG or WebP image at `path` (its kind read from its bytes, and
    agreeing with its name); InputError when it is not a readable one."""
    if path.suffix.lower() == ".png":
        return _png_size(path, hint)
    expected = LAYER_FORMATS.get(path.suffix.lower())
    try:
        with Image.open(path) as im:
            kind = im.format
            im.load()
            size = im.size
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: not a readable image ({exc}); {hint}") from None
    if kind != expected:
        raise InputError(f"{path}: a {kind} image named {path.suffix}; {hint}")
    return size


def _png_size(path: Path, hint: str) -> tuple[int, int]:
    """The size of the PNG at `path`; InputError when it is not a readable PNG."""
    try:
        with path.open("rb") as fh:
            if fh.read(8) != PNG_SIGNATURE:
                raise InputError(f"{path}: not a PNG image; {hint}")
        with Image.open(path) as im:
            im.verify()  # chunk CRCs
        with Image.open(path) as im:
            im.load()  # and the pixel data itself decompresses
            return im.size
    except InputError:
        raise
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: not a readable PNG ({exc}); {hint}") from None


def _split(path: Path) -> tuple[str, str | None]:
    """(name, weight) as written in ``Name#weight.png``; weight None when there is no ``#``."""
    name, sep, weight = path.stem.rpartition("#")
    return (name, weight) if sep else (path.stem, None)


def _trait(path: Path) -> Trait:
    """The trait a ``Name#weight.png`` file stands for (HashLips: no ``#``, weight 1)."""
    raw_name, raw = _split(path)
    try:
        name = normal_name(raw_name)
    except BadName as exc:
        raise ConfigError(f"{path}: trait name {raw_name!r} {exc}; rename the file "
                          f"Name#{raw or 1}.png with visible characters only") from None
    try:
        weight = weight_of(raw) if raw is not None else 1.0
    except BadName as exc:
        raise ConfigError(f"{path}: {exc}; name the file {name}#10.png (higher weight, more "
                          "common), or delete it to drop the trait") from None
    return Trait(name, weight)


def _layer_name(raw: str, path: Path) -> str:
    try:
        return normal_name(raw)
    except BadName as exc:
        raise ConfigError(f"{path}: layer name {raw!r} {exc}; rename the folder like "
                          "2-Eyes with visible characters only") from None


def _difference(a: str, b: str) -> str:
    """How two raw names that share a :func:`name_key` differ, for the user to find it."""
    if a == b:
        return "has the same name"
    a, b = unicodedata.normalize("NFC", a), unicodedata.normalize("NFC", b)
    if a == b:
        return "differs only in Unicode composition (one is NFD, as macOS writes names)"
    a, b = " ".join(a.split()), " ".join(b.split())
    if a == b:
        return "differs only in spaces"
    return ("differs only in letter case" if a.casefold() == b.casefold() else
            "differs only in look-alike characters")


def _unique(named: Iterable[tuple[str, str, Path]], what: str) -> None:
    """Refuses two paths whose names collide (:func:`name_key`), naming both and how."""
    seen: dict[str, tuple[str, Path]] = {}
    for name, raw, path in named:
        other_raw, other = seen.setdefault(name_key(name), (raw, path))
        if other != path:
            raise ConfigError(f"{path}: {what} {name!r} is also {other.name!r} beside it, which "
                              f"{_difference(raw, other_raw)}; rename or delete one")


def _found_folders(folder: Path, where: str) -> list[tuple[int | None, str, str, Path]]:
    """(number or None, name, raw name, path) of each layer folder in `folder`."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: layer folder not found; create it or fix layers.dir in "
                          f"{where}")
    found: list[tuple[int | None, str, str, Path]] = []  # (number, name, raw name, folder)
    for sub in sorted(folder.iterdir()):
        if sub.name.startswith(".") or not sub.is_dir():
            continue
        m = _PREFIX.match(sub.name)
        number, raw = (int(m.group(1)), m.group(2)) if m else (None, sub.name)
        found.append((number, _layer_name(raw, sub), raw, sub))
    _unique(((name, raw, sub) for _, name, raw, sub in found), "layer")
    return found


def _layer_folders(config: LayersConfig, where: str, notes: list[str]) -> list[tuple[str, Path]]:
    folder = config.dir
    found = _found_folders(folder, where)
    if config.order is None:
        unnumbered = [sub for n, _, _, sub in found if n is None]
        if unnumbered:
            names = ", ".join(name for _, name, _, _ in found)
            raise ConfigError(f"{unnumbered[0]}: no numeric prefix to order it by; list the "
                              f"layers back to front in {where} as layers.order: [{names}] "
                              "(or rename the folders like 1-Background)")
        if not found:
            raise ConfigError(f"{folder}: no layer folders in it; add folders such as "
                              "1-Background/ with Name#weight.png files")
        numbers = [n for n, _, _, _ in found]
        if len(set(numbers)) != len(numbers):
            dup = next(p for n, _, _, p in found if numbers.count(n) > 1)
            raise ConfigError(f"{dup}: two layer folders share its number; renumber one")
        return [(name, sub) for _, name, _, sub in sorted(found, key=lambda f: f[0] or 0)]
    # Numbered folders are also found by their name alone, so `layers.order` can reorder them.
    by_key = {name_key(name): (name, sub) for _, name, _, sub in found}
    for name in config.order:
        if name_key(name) not in by_key:
            names = ", ".join(sorted(n for n, _ in by_key.values()))
            raise ConfigError(f"{where}: layers.order names {name!r} but {folder} has no such "
                              f"folder; use one of: {names}")
    ordered = {name_key(name) for name in config.order}
    missing = sorted(name for key, (name, _) in by_key.items() if key not in ordered)
    if missing:
        notes.append(f"{folder}: not in layers.order, so not used: {', '.join(missing)}")
    return [by_key[name_key(name)] for name in config.order]


def numbered(folder: Path) -> bool:
    """Whether every layer folder in `folder` has a numeric prefix (``1-Background``)."""
    return all(n is not None for n, _, _, _ in _found_folders(folder, "collection.yaml"))


def suggested_order(folder: Path) -> tuple[list[str], list[str]]:
    """The order ``init`` writes for layer folders without numbers, and notes on what it left out.

    Numbered folders keep their numbers' order. Otherwise folders whose images are opaque
    (backgrounds) come first, then the others alphabetically, and then a layer that the layers
    above it would always hide (:data:`HIDDEN_SHARE` of its pixels or more under pixels that every
    image of those layers covers) is moved just above the last of them, with a note: a guess
    for the user to check, which never hides a trait the metadata names. Folders whose images
    are not of the most common size are left out (they could not be stacked without
    ``image_size``), each with a note. Raises ConfigError like :func:`load_layer_set` for a
    folder that is not a layer folder.
    """
    found = _found_folders(folder, "collection.yaml")
    if not found:
        raise ConfigError(f"{folder}: no layer folders in it; add folders such as "
                          "Background/ with Name#weight.png files")
    if all(n is not None for n, _, _, _ in found):
        return [name for _, name, _, _ in sorted(found, key=lambda f: f[0] or 0)], []
    probes: dict[str, tuple[tuple[int, int], bool]] = {}
    images: dict[str, list[Path]] = {}
    for _, name, _, sub in found:
        pngs = sorted(p for p in sub.iterdir() if p.suffix.lower() in LAYER_FORMATS
                      and not p.name.startswith("."))
        if not pngs:
            raise ConfigError(f"{sub}: empty layer folder; add Name#weight.png images or delete "
                              "the folder")
        size = _image_size(pngs[0], "export it again or move it out of the layer folder")
        with Image.open(pngs[0]) as im:
            opaque = im.convert("RGBA").getchannel("A").getextrema() == (255, 255)
        probes[name] = (size, opaque)
        images[name] = pngs
    sizes = [size for size, _ in probes.values()]
    common = max(sizes, key=lambda s: (sizes.count(s), s))
    notes = [f"{name}: left out of layers.order, its images are {size[0]}x{size[1]} and the "
             f"others {common[0]}x{common[1]} (set image_size to scale it)"
             for name, (size, _) in probes.items() if size != common]
    kept = [name for name, (size, _) in probes.items() if size == common]
    kept.sort(key=lambda name: (not probes[name][1], name.casefold()))
    kept, moved = _unhidden(kept, {name: _coverage(images[name]) for name in kept
                                   if not probes[name][1]})
    return kept, notes + moved


HIDDEN_SHARE = 0.9  # a layer this much under what the layers above always cover is moved up
_MASK_SIDE = 128  # coverage is compared on alpha masks this many pixels on the long side
_MASK_IMAGES = 32  # images read per layer folder for its masks (init reads, it never writes)


def _coverage(pngs: list[Path]) -> tuple[Any, Any]:
    """(pixels some image covers, pixels every image covers opaquely) of one layer folder: two
    boolean arrays of its alpha at most :data:`_MASK_SIDE` pixels a side, from its first
    :data:`_MASK_IMAGES` images (all of one size, checked before)."""
    import numpy as np

    some = every = None
    for png in pngs[:_MASK_IMAGES]:
        with Image.open(png) as im:
            alpha = im.convert("RGBA").getchannel("A")
        alpha.thumbnail((_MASK_SIDE, _MASK_SIDE), Image.Resampling.NEAREST)
        a = np.asarray(alpha)
        some = a > 0 if some is None else some | (a > 0)
        every = a == 255 if every is None else every & (a == 255)
    return some, every


def _unhidden(order: list[str], masks: dict[str, tuple[Any, Any]]) -> tuple[list[str], list[str]]:
    """`order` with each layer of `masks` (the layers with transparency: a background is meant
    to be covered) that the layers above would always hide moved up, one layer at a time, until
    less than :data:`HIDDEN_SHARE` of it is under them; a note for each layer moved."""
    order = list(order)
    notes: list[str] = []

    def hidden(name: str) -> float:
        some = masks[name][0]
        above = [masks[m][1] for m in order[order.index(name) + 1:] if m in masks]
        if not above or not some.any():
            return 0.0
        under = above[0].copy()
        for every in above[1:]:
            under |= every
        return float((under & some).sum() / some.sum())

    for name in [n for n in order if n in masks]:
        share = hidden(name)
        if share < HIDDEN_SHARE:
            continue
        passed = []
        while share >= HIDDEN_SHARE and order.index(name) + 1 < len(order):
            at = order.index(name)
            order[at], order[at + 1] = order[at + 1], name
            passed.append(order[at])
            share = hidden(name)
        notes.append(f"{name}: put after {passed[-1]} in layers.order: below "
                     f"{', '.join(passed)} it would never show")
    return order, notes


def load_layer_set(config: LayersConfig, config_path: Path,
                   image_size: tuple[int, int] | None = None) -> LayerSet:
    """Reads and validates the layer folders named by `config` (errors name file and fix).

    With `image_size` (width, height) the output has that size and layers of any size are
    scaled to it; without, every layer must have one size, the output's.
    """
    where = str(config_path)
    layers: list[Layer] = []
    files: list[tuple[Path, ...]] = []
    size: tuple[int, int] | None = image_size
    first: Path | None = None
    notes: list[str] = []
    for name, sub in _layer_folders(config, where, notes):
        traits: list[Trait] = []
        paths: list[Path] = []
        for path in sorted(sub.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir() or path.suffix.lower() not in LAYER_FORMATS:
                raise InputError(f"{path}: not a PNG, JPEG or WebP file; layer folders hold "
                                 "only Name#weight.png (.jpg, .webp) images, move it out")
            traits.append(_trait(path))
            this = _image_size(path, "export it again or move it out of the layer folder")
            if size is None:
                size, first = this, path
            elif this != size and image_size is None:
                raise InputError(f"{path}: {this[0]}x{this[1]} pixels but {first} is "
                                 f"{size[0]}x{size[1]}; export every layer at one size")
            paths.append(path)
        if not traits:
            raise ConfigError(f"{sub}: empty layer folder; add Name#weight.png images or delete "
                              "the folder")
        _unique(((t.name, _split(p)[0], p) for t, p in zip(traits, paths)), "trait")
        _not_standard(name, sub)
        layers.append(Layer(name, tuple(traits)))
        files.append(tuple(paths))
    assert size is not None
    exclusions = tuple((_ref(layers, a, where), _ref(layers, b, where))
                       for a, b in config.exclusions)
    options = _options_of(config, layers, where)
    layers = [Layer(o.display_name, layer.traits) if o.display_name else layer
              for layer, o in zip(layers, options)]
    _unique(((layer.name, layer.name, config.dir / layer.name) for layer in layers),
            "trait type (layers.options display_name)")
    space = TraitSpace(tuple(layers), exclusions,
                       frozenset(n for n, o in enumerate(options) if o.bypass_dna))
    for n, one in enumerate(config.one_of_ones):
        _one_of_one_attributes(one.attributes, layers, f"{where}: layers.one_of_ones[{n}]")
        if not one.image.is_file():
            raise ConfigError(f"{where}: 1-of-1 image {one.image} not found; fix its path in "
                              "layers.one_of_ones")
        this = _image_size(one.image, "export the 1-of-1 as PNG")
        if this != size and image_size is None:
            raise InputError(f"{one.image}: {this[0]}x{this[1]} pixels but the layers are "
                             f"{size[0]}x{size[1]}; export the 1-of-1 at the layers' size")
    return LayerSet(config.dir, space, tuple(files), size, tuple(notes), tuple(options),
                    config.background)


def _options_of(config: LayersConfig, layers: list[Layer], where: str) -> list[LayerOptions]:
    """Each layer's options from layers.options (by name), defaults for the rest."""
    by_key = {name_key(o.layer): o for o in config.options}
    for o in config.options:
        if not any(name_key(layer.name) == name_key(o.layer) for layer in layers):
            names = ", ".join(layer.name for layer in layers)
            raise ConfigError(f"{where}: layers.options names layer {o.layer!r}, which is not "
                              f"used; use one of: {names}")
    return [by_key.get(name_key(layer.name), LayerOptions(layer.name)) for layer in layers]


def _not_standard(name: str, sub: Path) -> None:
    """A layer may give Year, Zodiac or Element itself, spelled as the standard one; Edition is
    every token's number and never a layer (either would show two look-alike trait types)."""
    standard = {name_key(t): t for t in STANDARD_TRAITS}.get(name_key(name))
    if standard == "Edition":
        raise ConfigError(f"{sub}: layer 'Edition' would repeat the edition number every token "
                          "carries; rename the folder")
    if standard is not None and standard != name:
        raise ConfigError(f"{sub}: layer {name!r} differs from the standard trait {standard!r} "
                          f"only in spelling; rename it {standard!r} or choose another name")


def _one_of_one_attributes(attributes: tuple[tuple[str, str], ...], layers: list[Layer],
                           where: str) -> None:
    """A 1-of-1's trait type, and its value within a layer, must be spelled as the layer's and
    the trait file's own, or the rarity report counts two look-alike traits."""
    layer_of = {name_key(t): Layer(t, ()) for t in STANDARD_TRAITS if t != "Edition"}
    layer_of |= {name_key(layer.name): layer for layer in layers}
    for trait_type, value in attributes:
        if name_key(trait_type) == name_key("Edition"):
            raise ConfigError(f"{where}.attributes: 'Edition' is every token's number; remove it")
        layer = layer_of.get(name_key(trait_type))
        if layer is None:
            continue
        if layer.name != trait_type:
            raise ConfigError(f"{where}.attributes: {trait_type!r} differs from the trait type "
                              f"{layer.name!r} only in spelling; write {layer.name!r}")
        same = [t.name for t in layer.traits if name_key(t.name) == name_key(value)]
        if same and same[0] != value:
            raise ConfigError(f"{where}.attributes: {trait_type}: {value!r} differs from the "
                              f"trait {same[0]!r} only in spelling; write {same[0]!r}")


def _ref(layers: list[Layer], ref: str, where: str) -> tuple[int, int]:
    """The (layer, trait) indices an exclusion names, matched by :func:`name_key`."""
    layer_name, _, trait_name = ref.partition("/")
    for i, layer in enumerate(layers):
        if name_key(layer.name) == name_key(layer_name):
            for j, trait in enumerate(layer.traits):
                if name_key(trait.name) == name_key(trait_name):
                    return i, j
            names = ", ".join(t.name for t in layer.traits)
            raise ConfigError(f"{where}: layers.exclusions names {ref!r} but layer "
                              f"{layer.name!r} has no trait {trait_name!r}; use one of: {names}")
    raise ConfigError(f"{where}: layers.exclusions names {ref!r} but there is no layer "
                      f"{layer_name!r}; use one of: {', '.join(x.name for x in layers)}")


@dataclass
class LayerArtwork:
    """Renders items of a :class:`LayerSet`, keeping decoded, cropped layers and composited
    prefixes in memory.

    One instance per worker process: the caches are what make it fast, since an image opens
    5 to 10 files and a collection reuses each file hundreds of times. Items that share their
    first layers (the same background, body, ...) share their composite up to the deepest
    layer whose combinations fit `prefix_bytes`: it is composited once and copied.
    """

    layer_set: LayerSet
    seed: int = 0  # draws a generated background colour
    cache_bytes: int = 768 * 2**20  # per worker; the oldest decoded layers go first
    prefix_bytes: int = 256 * 2**20  # per worker; the least recently used prefix goes first
    _cache: dict[tuple[int, int], Sprite | None] = field(default_factory=dict, repr=False)
    _cached_bytes: int = field(default=0, repr=False)
    _prefixes: OrderedDict[Choice, Image.Image] = field(default_factory=OrderedDict, repr=False)
    _depth: int | None = field(default=None, repr=False)

    @property
    def space(self) -> TraitSpace:
        return self.layer_set.space

    @property
    def size(self) -> tuple[int, int]:
        return self.layer_set.size

    def __getstate__(self) -> dict[str, Any]:  # sent to workers without the caches
        return {**self.__dict__, "_cache": {}, "_cached_bytes": 0, "_prefixes": OrderedDict()}

    def _sprite(self, layer: int, trait: int) -> Sprite | None:
        key = (layer, trait)
        if key in self._cache:
            return self._cache[key]
        options = (self.layer_set.options[layer] if self.layer_set.options
                   else LayerOptions(self.space.layers[layer].name))
        sprite = Sprite.cropped(with_opacity(self._load(layer, trait), options.opacity),
                                options.blend if options.blend != "source-over" else NORMAL)
        size = 4 * sprite.image.width * sprite.image.height if sprite is not None else 0
        while self._cache and self._cached_bytes + size > self.cache_bytes:
            old = self._cache.pop(next(iter(self._cache)))
            if old is not None:
                self._cached_bytes -= 4 * old.image.width * old.image.height
        self._cache[key] = sprite
        self._cached_bytes += size
        return sprite

    def _load(self, layer: int, trait: int) -> Image.Image:
        """The layer file as RGBA at the output size (scaled with :data:`SCALING`)."""
        with Image.open(self.layer_set.files[layer][trait]) as im:
            rgba = im.convert("RGBA")
        if rgba.size != self.size:
            rgba = rgba.resize(self.size, SCALING)
        return rgba

    def sprites(self, choice: Choice, token_id: int) -> list[Sprite]:
        out = [self._sprite(n, t) for n, t in enumerate(choice)]
        return [s for s in out if s is not None]

    def prefix_depth(self) -> int:
        """How many first layers are composited once and shared: the most whose combinations
        all fit :attr:`prefix_bytes`, below the last layer (0 or 1: no sharing)."""
        each = 4 * self.size[0] * self.size[1]
        depth, combinations = 0, 1
        for layer in self.space.layers[:-1]:
            combinations *= len(layer.traits)
            if combinations * each > self.prefix_bytes:
                break
            depth += 1
        return depth if depth >= 2 else 0

    def render(self, choice: Choice, token_id: int) -> Image.Image:
        """The item's image: its shared prefix (composited once), then its other layers."""
        if self._depth is None:
            self._depth = self.prefix_depth()
        depth = self._depth
        if depth == 0:
            return self._finish(stack(self.size, self.sprites(choice, token_id)), token_id)
        key = choice[:depth]
        base = self._prefixes.get(key)
        if base is None:
            base = stack(self.size, [s for n, t in enumerate(key)
                                     if (s := self._sprite(n, t)) is not None])
            self._prefixes[key] = base
            each = 4 * self.size[0] * self.size[1]
            while len(self._prefixes) * each > self.prefix_bytes:
                self._prefixes.popitem(last=False)
        else:
            self._prefixes.move_to_end(key)
        rest = [s for n, t in enumerate(choice) if n >= depth
                and (s := self._sprite(n, t)) is not None]
        return self._finish(stack(self.size, rest, base), token_id)

    def _finish(self, canvas: Image.Image, token_id: int) -> Image.Image:
        """`canvas` over the background colour (layers.background), if any, then finished."""
        if self.layer_set.background is not None:
            colour = background_colour(self.layer_set.background, self.seed, token_id)
            canvas = Image.alpha_composite(Image.new("RGBA", self.size, colour), canvas)
        return finish(canvas)


def background_colour(background: str, seed: int, token_id: int) -> tuple[int, int, int, int]:
    """The RGBA background of an item: the fixed ``#rrggbb``, or for ``generated`` a hue drawn
    from (seed, token id) at full saturation and 80 % lightness (HashLips' default)."""
    if background != "generated":
        return (int(background[1:3], 16), int(background[3:5], 16), int(background[5:7], 16),
                255)
    digest = hashlib.sha256(f"nft-toolkit-background/{seed}/{token_id}".encode()).digest()
    hue = int.from_bytes(digest[:4], "big") % 360
    r, g, b = colorsys.hls_to_rgb(hue / 360, 0.8, 1.0)
    return (round(r * 255), round(g * 255), round(b * 255), 255)


@dataclass
class ConfiguredArtwork:
    """Several layer configurations by edition range (HashLips' layerConfigurations): token
    ids up to each part's last edition are drawn by that part's :class:`LayerArtwork`."""

    parts: tuple[tuple[int, LayerArtwork], ...]  # (last edition, artwork), ascending

    @property
    def space(self) -> TraitSpace:
        return self.parts[0][1].space

    @property
    def size(self) -> tuple[int, int]:
        return self.parts[0][1].size

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes every part makes (a folder one configuration leaves out, another may
        use)."""
        first, *others = (part.layer_set.notes for _, part in self.parts)
        return tuple(n for n in first if all(n in other for other in others))

    def part(self, token_id: int) -> LayerArtwork:
        return next((art for up_to, art in self.parts if token_id <= up_to), self.parts[-1][1])

    def sprites(self, choice: Choice, token_id: int) -> list[Sprite]:
        return self.part(token_id).sprites(choice, token_id)

    def render(self, choice: Choice, token_id: int) -> Image.Image:
        return self.part(token_id).render(choice, token_id)
