"""A collection's image, verified by its CID, is decoded by OpenCV when it is an 8-bit RGB or
RGBA PNG (half the time), to exactly the pixels Pillow gives; anything else, and every upload,
by Pillow, whose words for a damaged file stay the one line said."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from nft_toolkit.copies import picture
from nft_toolkit.copies.picture import decode
from nft_toolkit.errors import InputError


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _pillow(image: Image.Image) -> np.ndarray:
    """What Pillow makes of it: alpha over white, RGB."""
    if image.mode == "RGBA":
        image = Image.alpha_composite(Image.new("RGBA", image.size, (255, 255, 255, 255)), image)
    return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_a_verified_png_decodes_to_pillows_pixels(mode: str, monkeypatch) -> None:
    rng = np.random.default_rng(7)
    channels = {"RGB": 3, "RGBA": 4}.get(mode)
    pixels = rng.integers(0, 256, (90, 130) + ((channels,) if channels else ()), dtype=np.uint8)
    image = Image.fromarray(pixels, "L" if mode in ("L", "P") else mode)
    if mode == "P":
        image = image.convert("P")
    data = _png(image)
    opened = []
    real = picture._png
    monkeypatch.setattr(picture, "_png", lambda *a: opened.append(a) or real(*a))
    fast = decode(data, verified=True)
    assert (fast.width, fast.height, fast.format) == (130, 90, "PNG")
    assert np.array_equal(fast.rgb, _pillow(image)), "not the pixels Pillow decodes"
    assert np.array_equal(decode(data).rgb, fast.rgb)
    assert len(opened) == (1 if mode in ("RGB", "RGBA") else 0)  # uploads never come here


def _corrupt(data: bytes) -> bytes:
    """`data` with its IDAT's deflate stream broken, the chunk's CRC still right."""
    out = bytearray(data)
    at = out.index(b"IDAT")
    size = struct.unpack(">I", out[at - 4:at])[0]
    payload = bytearray(out[at + 4:at + 4 + size])
    payload[20:40] = b"\xff" * 20
    out[at + 4:at + 4 + size] = payload
    out[at + 4 + size:at + 8 + size] = struct.pack(">I", zlib.crc32(b"IDAT" + payload))
    return bytes(out)


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_damaged_verified_png_is_said_as_pillow_says_it(damage: str) -> None:
    data = _png(Image.effect_noise((200, 200), 60).convert("RGB"))
    data = data[:3000] if damage == "truncated" else _corrupt(data)
    with pytest.raises(InputError) as upload:
        decode(data, "the image of token 3")
    with pytest.raises(InputError) as verified:
        decode(data, "the image of token 3", verified=True)
    assert str(verified.value) == str(upload.value)
    assert str(upload.value).startswith("the image of token 3 is damaged or truncated")
