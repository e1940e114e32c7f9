"""Generating a collection: plan every item's traits, render in parallel, write build/.

Besides the images and metadata, the collection's details (the small parts its items differ
by, :mod:`nft_toolkit.art.details`) go into build/copies-details.bin, which `pin` embeds in the
copies index: only the generator knows them.

Every check (config, layers, trait space) runs before anything is written. The whole build/
folder is then built in a staged temporary folder beside it and renamed into place when
complete, so an error or an interrupt leaves the previous build untouched. Items are rendered
by worker processes, each on an interleaved share of the ids and with its own artwork caches;
an item's bytes depend only on the config, the seed and its id, never on the worker count.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import queue as queue_module
import shutil
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image

from nft_toolkit.art.details import collection_details
from nft_toolkit.art.layers import SCALING, ConfiguredArtwork, LayerArtwork, load_layer_set
from nft_toolkit.art.metadata import contract_metadata, token_metadata
from nft_toolkit.art.preview import GIF_ITEMS, MAX_ITEMS, contact_sheet, preview_gif
from nft_toolkit.art.rarity import RarityReport, rarity_of, trait_pairs
from nft_toolkit.art.render import Artwork, encode_png, finish
from nft_toolkit.art.traits import Choice
from nft_toolkit.atomic import staged_dir, write_bytes, write_json, write_text
from nft_toolkit.copies.index import encode as encode_index
from nft_toolkit.config import CollectionConfig, OneOfOne
from nft_toolkit.errors import ConfigError, GenerationError, InputError
from nft_toolkit.project import COPIES_DETAILS

Progress = Callable[[int, int], None]  # (items done, items in total)


@dataclass(frozen=True, slots=True)  # slots: a plan holds one per token
class Item:
    """One planned token: its traits and DNA, and either a trait choice or a 1-of-1."""

    token_id: int
    traits: tuple[tuple[str, str], ...]
    dna: str
    choice: Choice | None = None
    one_of_one: OneOfOne | None = None


@dataclass(frozen=True)
class GenerationResult:
    build_dir: Path
    count: int
    seed: int
    workers: int
    seconds: float
    rarity: RarityReport
    notes: tuple[str, ...] = ()  # what the layer folders had that was not used

    def to_json(self) -> dict[str, Any]:
        rarest = sorted(self.rarity.ranks, key=lambda i: (self.rarity.ranks[i], i))[:5]
        return {"build_dir": str(self.build_dir), "count": self.count, "seed": self.seed,
                "workers": self.workers, "seconds": round(self.seconds, 3),
                "images_per_second": round(self.count / self.seconds, 2) if self.seconds else None,
                "rarest": rarest, "encoders": encoder_versions(), "notes": list(self.notes)}


def encoder_versions() -> dict[str, str | None]:
    """The libraries the output bytes depend on: equal versions, equal bytes on any machine."""
    import numpy
    from PIL import __version__ as pillow, features

    from nft_toolkit.art.png import deflate_version

    return {"pillow": pillow, "deflate": deflate_version(), "numpy": str(numpy.__version__),
            "freetype": features.version("freetype2")}


def default_workers() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def artwork_for(config: CollectionConfig, count: int, seed: int | None = None) -> Artwork:
    """The configured artwork: the layer set (validated now) or the built-in zodiac theme."""
    if config.layers is not None:
        size = config.image_size
        square = (size, size) if isinstance(size, int) else size
        seed = config.seed if seed is None else seed
        if not config.layers.configurations:
            return LayerArtwork(load_layer_set(config.layers, config.path, square), seed=seed)
        parts = tuple((c.up_to, LayerArtwork(load_layer_set(
            replace(config.layers, order=c.order, configurations=()), config.path, square),
            seed=seed)) for c in config.layers.configurations)
        sizes = {art.size for _, art in parts}
        if len(sizes) > 1:
            raise InputError(f"{config.path}: the layer configurations' layers differ in size "
                             f"({', '.join(f'{w}x{h}' for w, h in sorted(sizes))}); set "
                             "image_size to scale them to one")
        return ConfiguredArtwork(parts)
    from nft_toolkit.art.zodiac.theme import ZodiacArtwork

    return ZodiacArtwork.for_config(config, count)


def plan_items(config: CollectionConfig, artwork: Artwork, count: int, seed: int) -> list[Item]:
    """Every token's traits: generated items first, the hand-made 1-of-1s on the last ids."""
    ones = config.layers.one_of_ones if config.layers is not None else ()
    generated = count - len(ones)
    if generated < 0:
        raise ConfigError(f"{config.path}: {len(ones)} 1-of-1 items do not fit in {count} items; "
                          f"ask for at least {len(ones)}")
    parts: tuple[tuple[int, Artwork], ...] = (
        artwork.parts if isinstance(artwork, ConfiguredArtwork) else ((generated, artwork),))
    items: list[Item] = []
    start = 1
    for n, (up_to, part) in enumerate(parts):
        end = generated if n == len(parts) - 1 else min(up_to, generated)
        ids = range(start, end + 1)
        if not ids:
            break
        space = part.space
        capacity = space.capacity()
        if len(ids) > capacity:
            what = (f"editions {ids.start}-{ids.stop - 1} (layers.configurations[{n}])"
                    if len(parts) > 1 else f"{generated} items")
            hint = (f"lower size/--count to {capacity + len(ones)}" if ones else
                    f"lower size/--count to {capacity}")
            raise ConfigError(f"{config.path}: {what} asked for but the traits allow at "
                              f"most {capacity} distinct ones; "
                              f"{hint if len(parts) == 1 else 'lower its up_to'} or add traits")
        try:
            plan = space.plan(seed, ids, frozenset(i.dna for i in items))
        except ValueError as exc:
            raise ConfigError(f"{config.path}: {exc}; add traits") from None
        items += [Item(i, tuple(space.describe(c)), space.dna(c), choice=c)
                  for i, c in plan.items()]
        start = end + 1
    for n, one in enumerate(ones):
        digest = hashlib.sha256(one.image.read_bytes()).hexdigest()
        text = f"1-of-1\nname={one.name}\nimage={digest}\n" + "".join(
            f"{k}={v}\n" for k, v in one.attributes)
        items.append(Item(generated + n + 1, one.attributes,
                          hashlib.sha256(text.encode()).hexdigest(), one_of_one=one))
    return items


def _render(artwork: Artwork, item: Item, images: Path) -> None:
    target = images / f"{item.token_id}.png"
    if item.one_of_one is not None:
        with Image.open(item.one_of_one.image) as im:
            as_is = im.format == "PNG" and im.size == artwork.size
            if not as_is:  # a JPEG or WebP, or another size than image_size: made to fit
                image = im.convert("RGBA").resize(artwork.size, SCALING)
        if as_is:
            shutil.copyfile(item.one_of_one.image, target)
        else:
            target.write_bytes(encode_png(finish(image)))
        return
    assert item.choice is not None
    target.write_bytes(encode_png(artwork.render(item.choice, item.token_id)))


def _worker(artwork: Artwork, items: Sequence[Item], images: Path, out: Any) -> None:
    """A worker process: renders its share, reporting each item (or its error) on `out`."""
    try:
        for item in items:
            _render(artwork, item, images)
            out.put(("done", item.token_id))
    except BaseException as exc:  # reported to the parent, which raises
        out.put(("error", f"token {item.token_id}: {type(exc).__name__}: {exc}"))
    finally:
        out.put(("exit", os.getpid()))


def render_items(artwork: Artwork, items: Sequence[Item], images: Path, workers: int,
                 progress: Progress | None = None) -> None:
    """Renders `items` into `images` with `workers` processes (in-process when 1)."""
    total = len(items)
    if workers <= 1 or total <= 1:
        for n, item in enumerate(items, start=1):
            try:
                _render(artwork, item, images)
            except (OSError, ValueError) as exc:
                raise GenerationError(f"rendering failed at token {item.token_id}: "
                                      f"{type(exc).__name__}: {exc}; nothing was written") from exc
            if progress:
                progress(n, total)
        return
    ctx = (mp.get_context("fork") if "fork" in mp.get_all_start_methods()
           else mp.get_context("spawn"))
    out = ctx.Queue()
    shares = [items[w::workers] for w in range(min(workers, total))]
    procs = [ctx.Process(target=_worker, args=(artwork, share, images, out), daemon=True)
             for share in shares]
    try:
        for p in procs:
            p.start()
        done, running = 0, len(procs)
        while running:
            try:
                kind, value = out.get(timeout=1.0)
            except queue_module.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise GenerationError(f"a render worker died (exit code {dead[0].exitcode}); "
                                          "nothing was written, run generate again") from None
                continue
            if kind == "done":
                done += 1
                if progress:
                    progress(done, total)
            elif kind == "error":
                raise GenerationError(f"rendering failed at {value}; nothing was written")
            else:
                running -= 1
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        out.close()


def generate(config: CollectionConfig, build_dir: Path, *, count: int | None = None,
             seed: int | None = None, workers: int | None = None,
             progress: Progress | None = None) -> GenerationResult:
    """Writes images, metadata (each token's and HashLips' aggregate _metadata.json), rarity
    report, previews (preview.png, preview.gif), contract metadata and the collection's details
    (copies-details.bin: a copies index of no tokens) into build_dir."""
    count = config.size if count is None else count
    seed = config.seed if seed is None else seed
    workers = default_workers() if workers is None else workers
    if count < 1:
        raise ConfigError(f"--count {count}: ask for at least 1 item")
    if count > config.contract.max_supply:
        raise ConfigError(f"{config.path}: {count} items exceed contract.max_supply "
                          f"{config.contract.max_supply}; raise max_supply or lower the count")
    if workers < 1:
        raise ConfigError(f"--workers {workers}: use at least 1 worker")
    started = time.perf_counter()
    artwork = artwork_for(config, count, seed)
    items = plan_items(config, artwork, count, seed)
    # before rendering: what it holds per item is freed before the metadata's is made
    details = encode_index([], collection_details(artwork, items))
    with staged_dir(build_dir) as stage:
        images, metadata = stage / "images", stage / "metadata"
        images.mkdir()
        metadata.mkdir()
        render_items(artwork, items, images, workers, progress)
        traits: dict[int, list[tuple[str, str]]] = {}
        shared: dict[tuple[str, str], tuple[str, str]] = {}  # one tuple per distinct pair
        # HashLips' aggregate of every token's metadata, which its tools read (as generated:
        # `pin` fills `image` into metadata/<id>.json only), written as each token's file is,
        # so no whole-collection list is held: the bytes json.dumps(list, indent=2) would give.
        # Inside the staged folder plain writes suffice: the folder is renamed as a whole.
        with (stage / "_metadata.json").open("w", encoding="utf-8") as aggregate:
            aggregate.write("[")
            for n, item in enumerate(items):
                one = item.one_of_one
                meta = token_metadata(config, item.token_id, count, list(item.traits), item.dna,
                                      name=one.name if one else None,
                                      description=one.description if one else None)
                traits[item.token_id] = [shared.setdefault(pair, pair)
                                         for pair in trait_pairs(meta["attributes"])]
                text = json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False)
                (metadata / f"{item.token_id}.json").write_text(text + "\n", encoding="utf-8")
                aggregate.write(("\n" if n == 0 else ",\n") + textwrap.indent(text, "  "))
            aggregate.write("\n]\n")
        report = rarity_of(traits)
        write_json(stage / "rarity.json", report.to_json())
        write_text(stage / "rarity.txt", report.to_text())
        write_json(stage / "collection.json", contract_metadata(config))
        write_bytes(stage / COPIES_DETAILS, details)
        sheet = contact_sheet([(i.token_id, images / f"{i.token_id}.png")
                               for i in items[:MAX_ITEMS]])
        (stage / "preview.png").write_bytes(encode_png(sheet))
        (stage / "preview.gif").write_bytes(preview_gif(
            [(i.token_id, images / f"{i.token_id}.png") for i in items[:GIF_ITEMS]]))
    notes = (artwork.layer_set.notes if isinstance(artwork, LayerArtwork) else
             artwork.notes if isinstance(artwork, ConfiguredArtwork) else ())
    return GenerationResult(build_dir, count, seed, workers, time.perf_counter() - started,
                            report, notes)
