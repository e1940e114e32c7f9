"""Artwork generation speed beside a plain Pillow baseline measured in the same run.

For each image size (512 and 1024 px) and 1,000 items:

- HashLips sample: HashLips Art Engine's own sample layers (tests/data/hashlips, MIT), in its
  config.js order, 7 layers without Goo. Its 324 combinations are widened here to 7,776 from the
  sample files themselves: the Background in 6 solid colours (its black and 5 others) and Shine
  in 4 orientations (as drawn, mirrored, flipped, both), written to a temporary folder.
- layer set: the built-in six-layer sample folder (33 RGBA PNGs, drawn procedurally).
- zodiac theme: `generate` with the built-in theme.

Baselines (one process): for layers, for every item open its chosen layer files,
alpha-composite them and save the PNG with Pillow's default settings; for the theme, each card
drawn from scratch (no sprite cache) and saved with Pillow's defaults, timed on 40 items.
nft-toolkit: `generate` on a project of the same items, `--workers` processes; its figures cover
the whole `generate` (plan, render, metadata, rarity report, preview sheet, staged folder).

CPU-ms per image is the CPU time of the process and its finished children (the workers) per
item, so it compares work per core whatever the machine's load; images/s is wall time. Half of
each baseline runs before the measured run and half after it.

Run: ``.venv/bin/python benchmarks/art.py [--count 1000] [--sizes 512,1024] [--json]``
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nft_toolkit.art.generate import default_workers, generate  # noqa: E402
from nft_toolkit.art.layers import load_layer_set  # noqa: E402
from nft_toolkit.art.render import compose  # noqa: E402
from nft_toolkit.art.sample_layers import write_sample_layers  # noqa: E402
from nft_toolkit.art.zodiac.theme import ZodiacArtwork  # noqa: E402
from nft_toolkit.config import load_config  # noqa: E402

THEME_BASELINE_SAMPLE = 40
HASHLIPS = ROOT / "tests" / "data" / "hashlips" / "layers"
HASHLIPS_ORDER = ["Background", "Eyeball", "Eye color", "Iris", "Shine", "Bottom lid", "Top lid"]
BACKGROUNDS = {"Black": (0, 0, 0), "Navy": (18, 32, 74), "Teal": (20, 110, 110),
               "Plum": (90, 40, 90), "Sand": (200, 180, 140), "Coral": (230, 110, 90)}


def widen_hashlips(target: Path, size: int) -> Path:
    """HashLips' sample widened to 7,776 combinations (see the module docstring), at `size`."""
    for layer in HASHLIPS_ORDER:
        (target / layer).mkdir(parents=True)
        for path in sorted((HASHLIPS / layer).glob("*.png")):
            with Image.open(path) as im:
                image = im.convert("RGBA").resize((size, size), Image.Resampling.LANCZOS)
            if layer == "Background":
                for name, rgb in BACKGROUNDS.items():
                    Image.new("RGBA", (size, size), (*rgb, 255)).save(target / layer / f"{name}#1.png")
            elif layer == "Shine":
                turns = {"Shapes": image, "Mirrored": ImageOps.mirror(image),
                         "Flipped": ImageOps.flip(image),
                         "Turned": ImageOps.flip(ImageOps.mirror(image))}
                for name, turned in turns.items():
                    turned.save(target / layer / f"{name}#25.png")
            else:
                image.save(target / layer / path.name)
    return target


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (render workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _project(root: Path, size: int, count: int, image_size: int, layers: Path | None,
             order: list[str] | None = None) -> Path:
    root.mkdir(parents=True)
    data: dict[str, Any] = {"name": "Bench", "symbol": "BENCH", "year": 2026, "size": count,
                            "seed": 1, "image_size": image_size}
    if layers is not None:
        data["layers"] = {"dir": str(layers)}
        if order is not None:
            data["layers"]["order"] = order
    (root / "collection.yaml").write_text(yaml.safe_dump(data))
    return root


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def baseline_layers(layer_dir: Path, ids: range, seed: int, out: Path,
                    order: list[str] | None = None) -> tuple[float, int, float]:
    """The plain loop: open each chosen file, composite, save with Pillow's defaults."""
    from nft_toolkit.config import LayersConfig

    layer_set = load_layer_set(LayersConfig(dir=layer_dir, order=tuple(order) if order else None),
                               layer_dir / "collection.yaml")
    plan = layer_set.space.plan(seed, range(1, ids.stop))  # the same items as generate
    out.mkdir(exist_ok=True)
    cpu = time.process_time()
    started = time.perf_counter()
    for token_id in ids:
        choice = plan[token_id]
        files = [layer_set.files[n][t] for n, t in enumerate(choice)]
        image = Image.open(files[0]).convert("RGBA")
        for path in files[1:]:
            image = Image.alpha_composite(image, Image.open(path).convert("RGBA"))
        image.save(out / f"{token_id}.png")
    return time.perf_counter() - started, _folder_bytes(out), time.process_time() - cpu


def baseline_theme(size: int, count: int, ids: range, out: Path) -> tuple[float, int, float]:
    """Each card drawn from scratch in one process (no cache), saved with Pillow's defaults."""
    probe = ZodiacArtwork(2026, size, count)
    plan = probe.space.plan(1, range(1, ids.stop))
    out.mkdir(exist_ok=True)
    cpu = time.process_time()
    started = time.perf_counter()
    for token_id in ids:
        choice = plan[token_id]
        art = ZodiacArtwork(2026, size, count)
        compose(art.size, art.sprites(choice, token_id)).save(out / f"{token_id}.png")
    return time.perf_counter() - started, _folder_bytes(out), time.process_time() - cpu


def _halves(n: int) -> tuple[range, range]:
    return range(1, n // 2 + 1), range(n // 2 + 1, n + 1)


def _measured(project: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of `generate` on `project`."""
    cpu = _cpu()
    result = generate(load_config(project / "collection.yaml"), project / "build",
                      workers=workers)
    return result.seconds, _cpu() - cpu


def run(count: int, sizes: list[int], workers: int, kinds: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nft-toolkit-bench-") as tmp:
        base = Path(tmp)
        for size in sizes:
            # Half of each baseline runs before and half after the measured run, so that load
            # from other processes drifting over time weighs on both alike.
            for kind in kinds:
                if kind == "theme":
                    first, second = _halves(THEME_BASELINE_SAMPLE)
                    t1 = baseline_theme(size, count, first, base / f"theme-baseline{size}")
                    project = _project(base / f"theme-project{size}", size, count, size, None)
                    wall, cpu = _measured(project, workers)
                    t2 = baseline_theme(size, count, second, base / f"theme-baseline{size}")
                    rows.append(_row("zodiac theme", size, count, t1, t2, THEME_BASELINE_SAMPLE,
                                     wall, cpu, _folder_bytes(project / "build" / "images"),
                                     workers))
                    continue
                if kind == "hashlips":
                    layers = widen_hashlips(base / f"hashlips{size}", size)
                    order: list[str] | None = HASHLIPS_ORDER
                else:
                    layers = write_sample_layers(base / f"layers{size}", size)
                    order = None
                first, second = _halves(count)
                out = base / f"baseline-{kind}{size}"
                b1 = baseline_layers(layers, first, 1, out, order)
                project = _project(base / f"{kind}-project{size}", size, count, size, layers,
                                   order)
                wall, cpu = _measured(project, workers)
                b2 = baseline_layers(layers, second, 1, out, order)
                rows.append(_row("HashLips sample" if kind == "hashlips" else "layer set", size,
                                 count, b1, b2, count, wall, cpu,
                                 _folder_bytes(project / "build" / "images"), workers))
                shutil.rmtree(out)
    return rows


def _row(source: str, size: int, count: int, b1: tuple[float, int, float],
         b2: tuple[float, int, float], b_items: int, seconds: float, cpu: float,
         total_bytes: int, workers: int) -> dict[str, Any]:
    b_seconds, b_bytes, b_cpu = b1[0] + b2[0], b2[1], b1[2] + b2[2]
    b_rate, rate = b_items / b_seconds, count / seconds
    b_ms, ms = 1000 * b_cpu / b_items, 1000 * cpu / count
    return {"source": source, "size": size, "items": count, "workers": workers,
            "baseline_items": b_items, "baseline_images_per_s": round(b_rate, 1),
            "images_per_s": round(rate, 1), "speedup": round(rate / b_rate, 2),
            "baseline_cpu_ms_per_image": round(b_ms, 1), "cpu_ms_per_image": round(ms, 1),
            "per_core_speedup": round(b_ms / ms, 2),
            "baseline_mean_png_bytes": b_bytes // b_items,
            "mean_png_bytes": total_bytes // count,
            "size_ratio": round((total_bytes / count) / (b_bytes / b_items), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--sizes", default="512,1024")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--kinds", default="hashlips,layers,theme",
                        help="which rows: hashlips, layers, theme (comma-separated)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run(args.count, [int(s) for s in args.sizes.split(",")], args.workers,
               args.kinds.split(","))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{args.count} items per row, {args.workers} worker(s); per core = baseline CPU-ms "
          "per image over nft-toolkit's; speedup = images/s over the baseline's (wall); PNG "
          "bytes are means per image")
    print("| source | px | baseline CPU-ms/img | nft-toolkit CPU-ms/img | per core | baseline "
          "img/s | nft-toolkit img/s | speedup | baseline PNG bytes | PNG bytes | size ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        note = f" ({r['baseline_items']} sampled)" if r["baseline_items"] != r["items"] else ""
        print(f"| {r['source']} | {r['size']} | {r['baseline_cpu_ms_per_image']}{note} | "
              f"{r['cpu_ms_per_image']} | {r['per_core_speedup']}x | "
              f"{r['baseline_images_per_s']} | {r['images_per_s']} | {r['speedup']}x | "
              f"{r['baseline_mean_png_bytes']:,} | {r['mean_png_bytes']:,} | "
              f"{r['size_ratio']} |")


if __name__ == "__main__":
    main()
