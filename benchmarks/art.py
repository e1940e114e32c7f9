"""Artwork generation speed beside a plain Pillow baseline measured in the same run.

For each image size (512 and 1024 px) and 1,000 items:

- layer set: a six-layer HashLips folder (33 RGBA PNGs, drawn procedurally into a temporary
  folder). Baseline: one process, for every item open its chosen layer files, alpha-composite
  them and save the PNG with Pillow's default settings. nft-toolkit: `generate` on a project
  using that folder, every CPU, the same trait choices, plus metadata, rarity and preview.
- zodiac theme: `generate` with the built-in theme. Baseline: one process drawing each card
  from scratch (no sprite cache) and saving it with Pillow's defaults, timed on 40 items.

nft-toolkit's figures cover the whole `generate` (plan, render, metadata, rarity report, preview
sheet, staged folder). Half of each baseline runs before the measured run and half after it.

Run: ``.venv/bin/python benchmarks/art.py [--count 1000] [--sizes 512,1024] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nft_toolkit.art.generate import default_workers, generate  # noqa: E402
from nft_toolkit.art.layers import load_layer_set  # noqa: E402
from nft_toolkit.art.render import compose  # noqa: E402
from nft_toolkit.art.sample_layers import write_sample_layers  # noqa: E402
from nft_toolkit.art.zodiac.theme import ZodiacArtwork  # noqa: E402
from nft_toolkit.config import load_config  # noqa: E402

THEME_BASELINE_SAMPLE = 40


def _project(root: Path, size: int, count: int, image_size: int, layers: Path | None) -> Path:
    root.mkdir(parents=True)
    data: dict[str, Any] = {"name": "Bench", "symbol": "BENCH", "year": 2026, "size": count,
                            "seed": 1, "image_size": image_size}
    if layers is not None:
        data["layers"] = {"dir": str(layers)}
    (root / "collection.yaml").write_text(yaml.safe_dump(data))
    return root


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def baseline_layers(layer_dir: Path, ids: range, seed: int, out: Path) -> tuple[float, int]:
    """The plain loop: open each chosen file, composite, save with Pillow's defaults."""
    from nft_toolkit.config import LayersConfig

    layer_set = load_layer_set(LayersConfig(dir=layer_dir), layer_dir / "collection.yaml")
    plan = layer_set.space.plan(seed, range(1, ids.stop))  # the same items as generate
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    for token_id in ids:
        choice = plan[token_id]
        files = [layer_set.files[n][t] for n, t in enumerate(choice)]
        image = Image.open(files[0]).convert("RGBA")
        for path in files[1:]:
            image = Image.alpha_composite(image, Image.open(path).convert("RGBA"))
        image.save(out / f"{token_id}.png")
    return time.perf_counter() - started, _folder_bytes(out)


def baseline_theme(size: int, count: int, ids: range, out: Path) -> tuple[float, int]:
    """Each card drawn from scratch in one process (no cache), saved with Pillow's defaults."""
    probe = ZodiacArtwork(2026, size, count)
    plan = probe.space.plan(1, range(1, ids.stop))
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    for token_id in ids:
        choice = plan[token_id]
        art = ZodiacArtwork(2026, size, count)
        compose(art.size, art.sprites(choice, token_id)).save(out / f"{token_id}.png")
    return time.perf_counter() - started, _folder_bytes(out)


def _halves(n: int) -> tuple[range, range]:
    return range(1, n // 2 + 1), range(n // 2 + 1, n + 1)


def run(count: int, sizes: list[int], workers: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nft-toolkit-bench-") as tmp:
        base = Path(tmp)
        for size in sizes:
            # Half of each baseline runs before and half after the measured run, so that load
            # from other processes drifting over time weighs on both alike.
            layers = write_sample_layers(base / f"layers{size}", size)
            first, second = _halves(count)
            b1 = baseline_layers(layers, first, 1, base / f"baseline{size}")
            project = _project(base / f"layers-project{size}", size, count, size, layers)
            result = generate(load_config(project / "collection.yaml"), project / "build",
                              workers=workers)
            b2 = baseline_layers(layers, second, 1, base / f"baseline{size}")
            rows.append(_row("layer set", size, count, b1[0] + b2[0], count, b2[1],
                             result.seconds, _folder_bytes(project / "build" / "images"),
                             workers))

            first, second = _halves(THEME_BASELINE_SAMPLE)
            t1 = baseline_theme(size, count, first, base / f"theme-baseline{size}")
            project = _project(base / f"theme-project{size}", size, count, size, None)
            result = generate(load_config(project / "collection.yaml"), project / "build",
                              workers=workers)
            t2 = baseline_theme(size, count, second, base / f"theme-baseline{size}")
            rows.append(_row("zodiac theme", size, count, t1[0] + t2[0], THEME_BASELINE_SAMPLE,
                             t2[1], result.seconds, _folder_bytes(project / "build" / "images"),
                             workers))
    return rows


def _row(source: str, size: int, count: int, b_seconds: float, b_items: int, b_bytes: int,
         seconds: float, total_bytes: int, workers: int) -> dict[str, Any]:
    b_rate, rate = b_items / b_seconds, count / seconds
    return {"source": source, "size": size, "items": count, "workers": workers,
            "baseline_items": b_items, "baseline_images_per_s": round(b_rate, 1),
            "images_per_s": round(rate, 1), "speedup": round(rate / b_rate, 2),
            "baseline_mean_png_bytes": b_bytes // b_items,
            "mean_png_bytes": total_bytes // count,
            "size_ratio": round((total_bytes / count) / (b_bytes / b_items), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--sizes", default="512,1024")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run(args.count, [int(s) for s in args.sizes.split(",")], args.workers)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{args.count} items per row, {args.workers} worker(s); speedup = images/s over the "
          "baseline's; PNG bytes are means per image")
    print("| source | px | baseline img/s | nft-toolkit img/s | speedup | baseline PNG bytes "
          "| PNG bytes | size ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        note = f" ({r['baseline_items']} sampled)" if r["baseline_items"] != r["items"] else ""
        print(f"| {r['source']} | {r['size']} | {r['baseline_images_per_s']}{note} | "
              f"{r['images_per_s']} | {r['speedup']}x | {r['baseline_mean_png_bytes']:,} | "
              f"{r['mean_png_bytes']:,} | {r['size_ratio']} |")


if __name__ == "__main__":
    main()
