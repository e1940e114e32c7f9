"""HashLips Art Engine's sample eyes (tests/data/hashlips), composed layer by layer as the art
engine does: near twins differing in one layer (an eye colour, an iris, a lid)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

LAYERS = Path(__file__).resolve().parent.parent / "data" / "hashlips" / "layers"


def _layer(folder: str, name: str) -> Image.Image:
    """The layer `name` of `folder`, its rarity weight (``#N``) left out of the name."""
    return Image.open(next((LAYERS / folder).glob(f"{name}#*.png"))).convert("RGBA")


def eye(eyeball: str, colour: str, *, iris: str = "Large", bottom: str = "Middle",
        top: str = "Middle", lids_first: bool = False) -> Image.Image:
    """An eye on black with the layers named; `lids_first`: the bottom lid drawn under the
    eyeball (the order a customer trial's project gave its layers), else HashLips' own order
    (Background, Eyeball, Eye color, Iris, Shine, Bottom lid, Top lid)."""
    bottom_lid = [("Bottom lid", bottom)]
    layers = [*(bottom_lid if lids_first else []), ("Eyeball", eyeball), ("Eye color", colour),
              ("Iris", iris), ("Shine", "Shapes"), *([] if lids_first else bottom_lid),
              ("Top lid", top)]
    image = _layer("Background", "Black")
    for folder, name in layers:
        image = Image.alpha_composite(image, _layer(folder, name))
    return image.convert("RGB")
