"""Small collections made in memory for the copies tests: their images, copies index and
prepared items (no chain, no store: the images are their own verified files)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from nft_toolkit.art.generate import generate
from nft_toolkit.copies.details import NONE, Details
from nft_toolkit.copies.index import CopiesIndex, encode, thumbnail
from nft_toolkit.copies.likeness import Items
from nft_toolkit.copies.picture import Picture, decode
from nft_toolkit.project import Project
from tests.support.art import make_project
from tests.support.copies import png

Collection = tuple[dict[int, Image.Image], CopiesIndex, Items]  # token ID -> image, ...


def collection_of(images: dict[int, Image.Image], details: Details = NONE) -> Collection:
    """`images` (token ID -> image, IDs 1..n) as a collection: each saved as PNG and decoded,
    the index of their thumbnails (and the collection's `details`, when known), the items
    prepared from the decoded files."""
    decoded: dict[int, Picture] = {t: decode(png(im)) for t, im in images.items()}
    index = CopiesIndex.parse(encode([thumbnail(decoded[t].rgb) for t in sorted(decoded)],
                                     details))
    return images, index, Items(decoded.get)


def zodiac_cards(root: Path, count: int = 6, seed: int = 11, image_size: int = 384,
                 year: int = 2026) -> Collection:
    """`count` zodiac cards of `year` (2026: horses) generated at `image_size` px (by `seed`) in
    a project at `root`, with the details `generate` found."""
    project = Project(make_project(root, size=count, image_size=image_size, seed=seed,
                                   year=year))
    generate(project.load_config(), project.build_dir, workers=1)
    details = CopiesIndex.parse(project.copies_details_path.read_bytes()).details
    return collection_of({t: Image.open(project.images_dir / f"{t}.png").convert("RGB")
                          for t in range(1, count + 1)}, details)
