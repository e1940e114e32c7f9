"""PNG encoding: lossless and deterministic; smaller than Pillow's on generated art, and on
noise (where PNG filters pay) no larger than Pillow's thanks to the fallback."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image

from nft_toolkit.art.render import Sprite, compose, encode_png


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def pillow_png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def noise(mode: str, size: tuple[int, int]) -> Image.Image:
    rng = random.Random(5)
    return Image.frombytes(mode, size, bytes(rng.randrange(256)
                                             for _ in range(size[0] * size[1] * len(mode))))


@pytest.mark.parametrize("image", [
    Image.linear_gradient("L").convert("RGB").resize((97, 61)).rotate(30),
    Image.radial_gradient("L").convert("RGBA").resize((64, 64)),
    noise("RGB", (80, 40)),
    noise("RGBA", (33, 17)),
    Image.new("LA", (10, 10), (100, 50)),
], ids=["gradient-rgb", "radial-rgba", "noise-rgb", "noise-rgba", "la-converted"])
def test_encoding_is_lossless_and_deterministic(image: Image.Image) -> None:
    data = encode_png(image)
    back = decode(data)
    expected = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
    assert back.mode == expected.mode and back.tobytes() == expected.tobytes()
    assert encode_png(image.copy()) == data


def test_generated_art_is_smaller_than_pillows_png(sample_layers: Path) -> None:
    from nft_toolkit.art.layers import LayerArtwork, load_layer_set
    from nft_toolkit.art.zodiac.theme import ZodiacArtwork
    from nft_toolkit.config import LayersConfig

    layers = LayerArtwork(load_layer_set(LayersConfig(dir=sample_layers), sample_layers))
    theme = ZodiacArtwork(2026, 128, 10)
    for art in (layers, theme):
        for token_id, choice in art.space.plan(3, range(1, 6)).items():
            image = compose(art.size, art.sprites(choice, token_id))
            # no larger than Pillow's PNG of the same pixels, smaller than the baseline's RGBA
            assert len(encode_png(image)) <= len(pillow_png(image))
            assert len(encode_png(image)) < len(pillow_png(image.convert("RGBA")))


def test_noise_is_no_larger_than_pillows_png() -> None:
    for mode in ("RGB", "RGBA"):
        rough = noise(mode, (64, 64))
        assert len(encode_png(rough)) <= len(pillow_png(rough))


def test_compose_crops_and_places_sprites() -> None:
    base = Image.new("RGBA", (8, 8), (10, 20, 30, 255))
    dot = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    dot.putpixel((5, 6), (255, 0, 0, 255))
    sprite = Sprite.cropped(dot)
    assert sprite is not None and sprite.position == (5, 6) and sprite.image.size == (1, 1)
    assert Sprite.cropped(Image.new("RGBA", (4, 4))) is None
    out = compose((8, 8), [Sprite(base), sprite])
    assert out.mode == "RGB"  # opaque result
    assert out.getpixel((5, 6)) == (255, 0, 0) and out.getpixel((0, 0)) == (10, 20, 30)
    assert compose((8, 8), [sprite]).mode == "RGBA"


def test_layer_cache_is_bounded_and_does_not_change_the_output(sample_layers: Path) -> None:
    from nft_toolkit.art.layers import LayerArtwork, load_layer_set
    from nft_toolkit.config import LayersConfig

    layer_set = load_layer_set(LayersConfig(dir=sample_layers), sample_layers)
    roomy, tight = LayerArtwork(layer_set), LayerArtwork(layer_set, cache_bytes=3 * 64 * 64 * 4)
    for token_id, choice in layer_set.space.plan(1, range(1, 40)).items():
        a = encode_png(compose(roomy.size, roomy.sprites(choice, token_id)))
        b = encode_png(compose(tight.size, tight.sprites(choice, token_id)))
        assert a == b
        assert tight._cached_bytes <= 3 * 64 * 64 * 4
    assert len(roomy._cache) > len(tight._cache)
