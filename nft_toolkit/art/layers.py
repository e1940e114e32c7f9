"""Custom artwork from HashLips-style layer folders.

Layout: one folder per layer, ``<number>-<Layer name>``, stacked back to front by the numbers
(or by ``layers.order`` in collection.yaml, which names layers without their prefix); in each,
``<Trait name>#<weight>.png`` files, the weight being the relative chance (1 when left out).
Everything is checked before anything is written: folders, file types, sizes, weights, the
names used by exclusions, and the hand-made 1-of-1 images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from nft_toolkit.art.render import Sprite
from nft_toolkit.art.traits import Choice, Layer, Trait, TraitSpace
from nft_toolkit.config import LayersConfig
from nft_toolkit.errors import ConfigError, InputError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PREFIX = re.compile(r"^(\d+)[-_ ]+(.+)$")


@dataclass(frozen=True)
class LayerSet:
    """A validated layer folder: the trait space and the file behind every trait."""

    folder: Path
    space: TraitSpace
    files: tuple[tuple[Path, ...], ...]  # files[layer][trait]
    size: tuple[int, int]


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


def _trait(path: Path) -> Trait:
    stem = path.stem
    name, sep, raw = stem.rpartition("#")
    if not sep:
        return Trait(stem, 1.0)
    try:
        weight = Decimal(raw)
    except InvalidOperation:
        raise ConfigError(f"{path}: weight {raw!r} is not a number; name the file "
                          f"{name}#10.png (higher weight, more common)") from None
    if not weight.is_finite() or weight <= 0:
        raise ConfigError(f"{path}: weight {raw} must be above zero; give it a positive weight "
                          f"such as {name}#1.png, or delete the file to drop the trait")
    if not name.strip():
        raise ConfigError(f"{path}: the trait has no name; rename it Name#{raw}.png")
    return Trait(name, float(weight))


def _layer_folders(config: LayersConfig, where: str) -> list[tuple[str, Path]]:
    folder = config.dir
    if not folder.is_dir():
        raise ConfigError(f"{folder}: layer folder not found; create it or fix layers.dir in "
                          f"{where}")
    found: list[tuple[int, str, Path]] = []
    unnumbered: list[Path] = []
    for sub in sorted(folder.iterdir()):
        if sub.name.startswith(".") or not sub.is_dir():
            continue
        m = _PREFIX.match(sub.name)
        if m:
            found.append((int(m.group(1)), m.group(2), sub))
        else:
            unnumbered.append(sub)
    if config.order is None:
        if unnumbered:
            raise ConfigError(f"{unnumbered[0]}: no numeric prefix to order it by; rename it "
                              f"like 1-Background, or list the order in layers.order in {where}")
        if not found:
            raise ConfigError(f"{folder}: no layer folders in it; add folders such as "
                              "1-Background/ with Name#weight.png files")
        numbers = [n for n, _, _ in found]
        if len(set(numbers)) != len(numbers):
            dup = next(p for n, _, p in found if numbers.count(n) > 1)
            raise ConfigError(f"{dup}: two layer folders share its number; renumber one")
        return [(name, path) for _, name, path in sorted(found)]
    by_name = {name: path for _, name, path in found} | {p.name: p for p in unnumbered}
    for name in config.order:
        if name not in by_name:
            raise ConfigError(f"{where}: layers.order names {name!r} but {folder} has no such "
                              f"folder; use one of: {', '.join(sorted(by_name))}")
    missing = sorted(set(by_name) - set(config.order))
    if missing:
        raise ConfigError(f"{where}: layers.order leaves out {missing[0]!r}; list every layer "
                          "folder, or remove the folder")
    return [(name, by_name[name]) for name in config.order]


def load_layer_set(config: LayersConfig, config_path: Path) -> LayerSet:
    """Reads and validates the layer folders named by `config` (errors name file and fix)."""
    where = str(config_path)
    layers: list[Layer] = []
    files: list[tuple[Path, ...]] = []
    size: tuple[int, int] | None = None
    first: Path | None = None
    for name, sub in _layer_folders(config, where):
        traits: list[Trait] = []
        paths: list[Path] = []
        for path in sorted(sub.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir() or path.suffix.lower() != ".png":
                raise InputError(f"{path}: not a PNG file; layer folders hold only "
                                 "Name#weight.png images, move it out")
            this = _png_size(path, "export it again as PNG or move it out of the layer folder")
            if size is None:
                size, first = this, path
            elif this != size:
                raise InputError(f"{path}: {this[0]}x{this[1]} pixels but {first} is "
                                 f"{size[0]}x{size[1]}; export every layer at one size")
            trait = _trait(path)
            if any(t.name == trait.name for t in traits):
                raise ConfigError(f"{path}: trait {trait.name!r} appears twice in {sub}; "
                                  "rename or delete one")
            traits.append(trait)
            paths.append(path)
        if not traits:
            raise ConfigError(f"{sub}: empty layer folder; add Name#weight.png images or delete "
                              "the folder")
        layers.append(Layer(name, tuple(traits)))
        files.append(tuple(paths))
    assert size is not None
    space = TraitSpace(tuple(layers), tuple(
        (_ref(layers, a, where), _ref(layers, b, where)) for a, b in config.exclusions))
    for one in config.one_of_ones:
        if not one.image.is_file():
            raise ConfigError(f"{where}: 1-of-1 image {one.image} not found; fix its path in "
                              "layers.one_of_ones")
        this = _png_size(one.image, "export the 1-of-1 as PNG")
        if this != size:
            raise InputError(f"{one.image}: {this[0]}x{this[1]} pixels but the layers are "
                             f"{size[0]}x{size[1]}; export the 1-of-1 at the layers' size")
    return LayerSet(config.dir, space, tuple(files), size)


def _ref(layers: list[Layer], ref: str, where: str) -> tuple[int, int]:
    layer_name, _, trait_name = ref.partition("/")
    for i, layer in enumerate(layers):
        if layer.name == layer_name:
            try:
                return i, layer.index(trait_name)
            except KeyError:
                names = ", ".join(t.name for t in layer.traits)
                raise ConfigError(f"{where}: layers.exclusions names {ref!r} but layer "
                                  f"{layer_name!r} has no trait {trait_name!r}; use one of: "
                                  f"{names}") from None
    raise ConfigError(f"{where}: layers.exclusions names {ref!r} but there is no layer "
                      f"{layer_name!r}; use one of: {', '.join(x.name for x in layers)}")


@dataclass
class LayerArtwork:
    """Renders items of a :class:`LayerSet`, keeping each decoded, cropped layer in memory.

    One instance per worker process: the cache is what makes it fast, since an image opens
    5 to 10 files and a collection reuses each file hundreds of times.
    """

    layer_set: LayerSet
    cache_bytes: int = 768 * 2**20  # per worker; the oldest decoded layers go first
    _cache: dict[tuple[int, int], Sprite | None] = field(default_factory=dict, repr=False)
    _cached_bytes: int = field(default=0, repr=False)

    @property
    def space(self) -> TraitSpace:
        return self.layer_set.space

    @property
    def size(self) -> tuple[int, int]:
        return self.layer_set.size

    def _sprite(self, layer: int, trait: int) -> Sprite | None:
        key = (layer, trait)
        if key in self._cache:
            return self._cache[key]
        with Image.open(self.layer_set.files[layer][trait]) as im:
            sprite = Sprite.cropped(im.convert("RGBA"))
        size = 4 * sprite.image.width * sprite.image.height if sprite is not None else 0
        while self._cache and self._cached_bytes + size > self.cache_bytes:
            old = self._cache.pop(next(iter(self._cache)))
            if old is not None:
                self._cached_bytes -= 4 * old.image.width * old.image.height
        self._cache[key] = sprite
        self._cached_bytes += size
        return sprite

    def sprites(self, choice: Choice, token_id: int) -> list[Sprite]:
        out = [self._sprite(n, t) for n, t in enumerate(choice)]
        return [s for s in out if s is not None]
