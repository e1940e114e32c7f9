"""PNG encoders and deflate libraries compared on real art, CPU-ms per image and bytes.

Images: the first N items of HashLips' sample (tests/data/hashlips, in its config.js order, at
512 px) and of the built-in zodiac theme (512 px), composited once, then encoded by:

- Pillow's default PNG (its zlib-ng, level 6, adaptive filters): the baseline;
- Pillow at compress_level 1;
- nft-toolkit's encoder (nft_toolkit/art/png.py);
- the stream nft-toolkit chose, deflated at level 6 by Python's zlib (the system's), by the
  PyPI `zlib-ng` package (when installed: `pip install zlib-ng`) and by libdeflate (`deflate`).

Run: ``.venv/bin/python benchmarks/png.py [--items 40]``
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import deflate
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nft_toolkit.art import png  # noqa: E402
from nft_toolkit.art.layers import LayerArtwork, load_layer_set  # noqa: E402
from nft_toolkit.art.zodiac.theme import ZodiacArtwork  # noqa: E402
from nft_toolkit.config import LayersConfig  # noqa: E402

HASHLIPS = ROOT / "tests" / "data" / "hashlips" / "layers"
ORDER = ("Background", "Eyeball", "Eye color", "Iris", "Shine", "Bottom lid", "Top lid")


def images(items: int) -> dict[str, list[Image.Image]]:
    layers = LayerArtwork(load_layer_set(LayersConfig(dir=HASHLIPS, order=ORDER), HASHLIPS))
    theme = ZodiacArtwork(2026, 512, 1000)
    out = {}
    for label, art in (("HashLips sample 512", layers), ("zodiac theme 512", theme)):
        plan = art.space.plan(1, range(1, items + 1))
        out[label] = [art.render(choice, token_id) for token_id, choice in plan.items()]
    return out


def encoders() -> dict[str, Callable[[Image.Image], int]]:
    def pillow(level: int | None) -> Callable[[Image.Image], int]:
        def run(image: Image.Image) -> int:
            buf = io.BytesIO()
            image.save(buf, "PNG", **({} if level is None else {"compress_level": level}))
            return len(buf.getvalue())
        return run

    table: dict[str, Callable[[Image.Image], int]] = {
        "Pillow default (zlib-ng 6)": pillow(None),
        "Pillow compress_level 1": pillow(1),
        "nft-toolkit encode_png": lambda im: len(png.encode_png(im)),
    }
    return table


def deflaters() -> dict[str, Callable[[bytes], int]]:
    table: dict[str, Callable[[bytes], int]] = {
        f"zlib {zlib.ZLIB_RUNTIME_VERSION} level 6": lambda b: len(zlib.compress(b, 6)),
        "libdeflate (deflate) level 6": lambda b: len(deflate.zlib_compress(b, 6)),
    }
    try:
        from zlib_ng import zlib_ng

        table["zlib-ng (PyPI) level 6"] = lambda b: len(zlib_ng.compress(b, 6))
    except ImportError:
        pass
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    args = parser.parse_args()
    print("| art | encoder | CPU-ms/image | mean bytes |")
    print("|---|---|---|---|")
    for label, ims in images(args.items).items():
        for name, encode in encoders().items():
            cpu = time.process_time()
            sizes = [encode(im) for im in ims]
            ms = 1000 * (time.process_time() - cpu) / len(ims)
            print(f"| {label} | {name} | {ms:.1f} | {sum(sizes) // len(sizes):,} |")
        streams = [png.filtered_rows(im) for im in ims]
        for name, squeeze in deflaters().items():
            cpu = time.process_time()
            sizes = [squeeze(s) for s in streams]
            ms = 1000 * (time.process_time() - cpu) / len(ims)
            print(f"| {label} | deflate only: {name} | {ms:.1f} | {sum(sizes) // len(sizes):,} |")


if __name__ == "__main__":
    main()
