"""verify-file on copies: recall per transform, wrong tokens, false matches among pictures that
are no item, and query time, beside exact-byte matching measured in the same run.

Collections (generated, pinned to a local block store with `pin`'s own ``prepare``; no chain:
the chain's part of verify-file is the same for every picture and is measured by verify.py):

- zodiac: a Year of the Horse collection of --count items at 1024 px (look-alike cards: one
  animal, the same frame, other backgrounds, coats and charms);
- layers: HashLips Art Engine's own sample layers (tests/data/hashlips, in its config.js order,
  without Goo), --layer-count items of its 324 combinations at 512 px: one eye on black, items
  differing only in an eye colour, an iris size or a lid (near twins everywhere).

For a sample of items of each, every transform of ``tests/support/copies.TRANSFORMS`` (each kind
at several strengths); non-items (--non-items, 60 by default, so that none matching means
something): another collection's items (a Year of the Dragon collection for the zodiac index,
zodiac items for the layer index) and random art, half each; and the first
--framed-non-items (2) of each half inside each app screen (a shop page, a chat, a Moments post:
16 more); and --lookalikes (30) that look like items: the same year's cards of another seed (a
counterfeiter's, made with the same generator) for the zodiac index, and eyes of layer
combinations none of its items has (near twins of its items) for the layer index. Each picture goes through
``find_copy`` with the index read from the store and each candidate's image read through its
verified metadata (``nft_toolkit.verify.identify.image_of``), as verify-file does; the baseline
is ``find_token`` (exact bytes: sha256 and CIDs, every import profile) on the same pictures.
A picture answered as a copy of either of two near twins (``Miss.candidates``: verify-file's
``copy`` naming both) counts as a false match when it is no item, and as a wrong token when
neither is its item. For each kind, the copies named also count the transform guessed (``Match.transform``): how
often it is the kind the copy was made by, and what else it was called.

At 10,000 items: the zodiac index extended with 9,000 more generated cards (all twelve animals,
128 px, so generation stays minutes) and the same copies (every --big-every-th) and every
non-item queried against it.

Run: ``.venv/bin/python benchmarks/copies.py [--count 1000] [--sample 12] [--json]``
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nft_toolkit.art.generate import generate  # noqa: E402
from nft_toolkit.copies.index import CopiesIndex, build, encode, thumbnail  # noqa: E402
from nft_toolkit.copies.likeness import Items, Match, Query, find_copy  # noqa: E402
from nft_toolkit.copies.picture import Picture, decode  # noqa: E402
from nft_toolkit.ipfs.manifest import Manifest  # noqa: E402
from nft_toolkit.ipfs.publish import prepare  # noqa: E402
from nft_toolkit.ipfs.store import BlockStore  # noqa: E402
from nft_toolkit.project import Project  # noqa: E402
from nft_toolkit.verify.identify import find_token, image_of  # noqa: E402
from nft_toolkit.verify.sources import IpfsContent  # noqa: E402
from tests.support.copies import APP_SCREENS, TRANSFORMS, random_art  # noqa: E402


HASHLIPS = ROOT / "tests" / "data" / "hashlips" / "layers"
HASHLIPS_ORDER = ["Background", "Eyeball", "Eye color", "Iris", "Shine", "Bottom lid", "Top lid"]


def make(root: Path, count: int, image_size: int, **extra: Any) -> Project:
    """A generated project of `count` items; one already generated in `root` with the same
    configuration (``--work``) is reused."""
    data: dict[str, Any] = {"name": "Bench", "symbol": "BENCH", "year": extra.pop("year", 2026),
                            "size": count, "seed": extra.pop("seed", 1), "image_size": image_size,
                            **extra}
    config = yaml.safe_dump(data)
    project = Project(root)
    done = root / ".generated"
    if done.exists() and done.read_text() == config and project.copies_details_path.exists():
        return project  # (generated before generate wrote the details: generated again)
    root.mkdir(parents=True, exist_ok=True)
    (root / "collection.yaml").write_text(config)
    generate(project.load_config(), project.build_dir, workers=2)
    done.write_text(config)
    return project


class Collection:
    """A pinned collection as verify-file sees it: index and verified images from the store."""

    def __init__(self, project: Project) -> None:
        t0 = time.perf_counter()
        prep = prepare(project, 0)
        self.pin_s = time.perf_counter() - t0
        self.project = project
        self.manifest: Manifest = prep.manifest
        self.content = IpfsContent(BlockStore(project.store_dir))
        assert self.manifest.copies_index_cid is not None
        self.index_bytes = self.content.file(self.manifest.copies_index_cid, 64 << 20)
        self.index = CopiesIndex.parse(self.index_bytes)
        # generated here, so pinned with the details generate found
        assert self.index.details.parts, f"{project.root}: the copies index has no details"
        self.image_of = image_of(self.content, self.manifest.metadata_cid)
        self.size = len(self.manifest.tokens)


def sample_ids(n: int, k: int) -> list[int]:
    step = max(1, n // k)
    return list(range(1 + step // 2, n + 1, step))[:k]


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU milliseconds since `start`."""
    wall, cpu = _clock()
    return (wall - start[0]) * 1000, (cpu - start[1]) * 1000


def run_queries(coll: Collection, pictures: list[tuple[str, str, int | None, bytes]],
                index: CopiesIndex, images: Any, cold_every: int = 3) -> dict[str, Any]:
    """Every picture through find_copy and through exact-byte matching; counts and times.

    A query is: decoding the picture, ranking the index (parsed once), aligning, and confirming
    on candidates' images read from the store and verified by their CIDs. Warm: one Items for
    the whole run (a service's process: each item decoded and prepared once); cold: a fresh one
    for the query (a CLI run), on every `cold_every`-th picture, which must give the same answer.
    """
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # kind -> found, wrong, total
    guessed: dict[str, Counter[str]] = defaultdict(Counter)  # kind -> Match.transform -> copies
    false_matches, misses, exact_found = 0, [], 0
    lookalikes = [0, 0]  # false matches among the look-alikes, look-alikes
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    items = Items(images)
    for n, (kind, name, truth, data) in enumerate(pictures):
        start = _clock()
        exact = find_token(data, coll.manifest, coll.content, coll.manifest.metadata_cid)
        times["exact"].append(_since(start))
        start = _clock()
        result = find_copy(decode(data), index, items)
        times["warm"].append(_since(start))
        times["warm_non" if truth is None else "warm_copy"].append(times["warm"][-1])
        found = result.token_id if isinstance(result, Match) else None
        # a copy of either of two near twins is verify-file's `copy` too: named, if not alone
        either = () if isinstance(result, Match) else result.candidates
        if n % cold_every == 0:
            start = _clock()
            cold = find_copy(decode(data), index, Items(images))
            times["cold"].append(_since(start))
            if (cold.token_id if isinstance(cold, Match) else cold.candidates) != (
                    found if isinstance(result, Match) else either):
                misses.append(f"COLD DIFFERS {kind}/{name}")
        q = Query(decode(data))
        start = _clock()
        index.rank(q.thumbs, 6)
        times["rank"].append(_since(start))
        if truth is None:
            lookalikes[1] += kind == LOOKALIKE
            if found is not None or either:
                false_matches += 1
                lookalikes[0] += kind == LOOKALIKE
                misses.append(f"FALSE MATCH {name} -> token {found or either}")
            continue
        exact_found += exact == truth
        row = per[kind]
        row[2] += 1
        if found == truth:
            row[0] += 1
            assert isinstance(result, Match)
            guessed[kind][result.transform or "none"] += 1
        elif found is not None or (either and truth not in either):
            row[1] += 1  # a wrong token, or a pair of twins the item is not one of
        if found != truth:
            misses.append(f"{kind}/{name} of {truth}: {getattr(result, 'reason', found)}")
    copies = sum(r[2] for r in per.values())

    def stats(key: str) -> dict[str, float]:
        wall = sorted(t[0] for t in times[key]) or [float("nan")]
        cpu = sorted(t[1] for t in times[key]) or [float("nan")]
        p95 = round(0.95 * (len(wall) - 1))
        return {"wall_median": statistics.median(wall), "wall_p95": wall[p95],
                "cpu_median": statistics.median(cpu), "cpu_p95": cpu[p95], "n": len(times[key])}
    return {"per_kind": {k: {"recall": r[0] / r[2], "wrong": r[1], "n": r[2]}
                         for k, r in sorted(per.items())},
            "recall": sum(r[0] for r in per.values()) / max(copies, 1),
            "wrong_token": sum(r[1] for r in per.values()), "copies": copies,
            "non_items": sum(1 for p in pictures if p[2] is None), "false_matches": false_matches,
            "lookalike_false_matches": lookalikes[0], "lookalikes": lookalikes[1],
            "exact_recall": exact_found / max(copies, 1),
            "ms": {k: stats(k) for k in ("warm", "warm_copy", "warm_non", "cold", "rank", "exact")},
            "guessed": {k: dict(c.most_common()) for k, c in sorted(guessed.items())},
            "load": os.getloadavg()[0], "misses": misses}


def pictures_of(coll: Collection, ids: list[int], others: list[tuple[str, bytes]]) -> list[
        tuple[str, str, int | None, bytes]]:
    out: list[tuple[str, str, int | None, bytes]] = []
    for tid in ids:
        im = Image.open(coll.project.images_dir / f"{tid}.png").convert("RGB")
        out += [(kind, name, tid, t(im)) for kind, name, t in TRANSFORMS]
    out += [(LOOKALIKE if name.startswith(LOOKALIKE) else "non-item", name, None, data)
            for name, data in others]
    return out


def other_eyes(layer: Collection, count: int) -> list[tuple[str, bytes]]:
    """Up to `count` HashLips eyes (the sample layers, HashLips' order) of layer combinations
    none of the collection's items has: near twins of its items, no item of it."""
    from tests.support.eyes import eye
    held = set()
    for path in (layer.project.build_dir / "metadata").glob("*.json"):
        traits = json.loads(path.read_text())["attributes"]
        held.add(tuple(a["value"] for a in traits if a["trait_type"] in LIDS_AND_EYES))
    out: list[tuple[str, bytes]] = []
    for combo in itertools.product(("White", "Red"), ("Cyan", "Green", "Pink", "Purple", "Red",
                                                      "Yellow"), ("Large", "Medium", "Small"),
                                   ("High", "Low", "Middle"), ("High", "Low", "Middle")):
        if combo in held or len(out) >= count:
            continue
        ball, colour, iris, bottom, top = combo
        buf = io.BytesIO()
        eye(ball, colour, iris=iris, bottom=bottom, top=top).save(buf, "PNG")
        out.append((f"{LOOKALIKE}: eye {'/'.join(combo)} (no item's layers)", buf.getvalue()))
    return out


LOOKALIKE = "look-alike"  # the kind, and the name's start, of a non-item made to look like items
LIDS_AND_EYES = ("Eyeball", "Eye color", "Iris", "Bottom lid", "Top lid")  # in HASHLIPS_ORDER


def in_app_screens(pictures: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each of `pictures` inside each app screen (tests/support/copies.APP_SCREENS): a frame
    around no item must not make it one."""
    return [(f"{name} in {screen}", t(Image.open(io.BytesIO(data)).convert("RGB")))
            for name, data in pictures for screen, t in APP_SCREENS.items()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--layer-count", type=int, default=300)
    ap.add_argument("--sample", type=int, default=12, help="items copied per collection")
    ap.add_argument("--big", type=int, default=10000, help="index size for the second timing")
    ap.add_argument("--big-every", type=int, default=3,
                    help="at --big items, every n-th zodiac copy is queried (and every non-item)")
    ap.add_argument("--non-items", type=int, default=60,
                    help="pictures that are no item, per collection (half another collection's "
                    "items, half random art); every one is queried at --big items too")
    ap.add_argument("--lookalikes", type=int, default=30,
                    help="non-items that look like items: cards of another seed, eyes of other "
                         "layer combinations")
    ap.add_argument("--framed-non-items", type=int, default=2,
                    help="of each half of the non-items, this many also inside each app screen")
    ap.add_argument("--cold-every", type=int, default=4,
                    help="every n-th picture is queried cold too")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--work", type=Path, help="generate the collections here and reuse them "
                    "on the next run (default: a temporary directory)")
    args = ap.parse_args()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nft-bench-copies-") as tmp:
        base = args.work or Path(tmp)
        t0 = time.perf_counter()
        zodiac = Collection(make(base / "zodiac", args.count, 1024))
        dragon = make(base / "dragon", max(40, args.non_items // 2), 1024, year=2024, seed=5)
        # look-alikes: the same year's cards of another seed (a counterfeiter's, with the same
        # generator), and HashLips eyes of layer combinations the collection does not hold
        alike = make(base / "lookalike", args.lookalikes, 1024, seed=31)
        layer = Collection(make(base / "layer", args.layer_count, 512,
                                layers={"dir": str(HASHLIPS), "order": HASHLIPS_ORDER}))
        t1 = time.perf_counter()
        images = zodiac.project.images_dir
        build(((f"{i}.png", (images / f"{i}.png").read_bytes())
               for i in range(1, zodiac.size + 1)), zodiac.index.details)
        print(f"built in {time.perf_counter() - t0:.0f} s; pin of {args.count} zodiac items: "
              f"{zodiac.pin_s:.1f} s, of which the copies index {time.perf_counter() - t1:.1f} s")
        for name, coll in (("zodiac", zodiac), ("layers", layer)):
            d = coll.index.details
            print(f"{name} details: {len(d.variants)} variants, {len(d.marks)} own marks in "
                  f"{d.size[0]}x{d.size[1]}; index {len(coll.index_bytes):,} bytes, "
                  f"{len(encode(list(coll.index.thumbs))):,} without the details")
        half = args.non_items // 2
        dragons = [(f"dragon-2024 #{i}", (dragon.images_dir / f"{i}.png").read_bytes())
                   for i in range(1, half + 1)]
        arts = [(f"random art {s}", random_art(s, 400 + 37 * (s % 16))) for s in range(half)]
        horses = [(f"horse #{i}", (zodiac.project.images_dir / f"{i}.png").read_bytes())
                  for i in range(1, half + 1)]
        framed = args.framed_non_items
        lookalikes = [(f"{LOOKALIKE}: horse-2026 of seed 31 #{i}",
                       (alike.images_dir / f"{i}.png").read_bytes())
                      for i in range(1, args.lookalikes + 1)]
        z_pics = pictures_of(zodiac, sample_ids(zodiac.size, args.sample), dragons + arts
                             + in_app_screens(dragons[:framed] + arts[:framed]) + lookalikes)
        l_pics = pictures_of(layer, sample_ids(layer.size, args.sample), horses + arts
                             + in_app_screens(horses[:framed] + arts[:framed])
                             + other_eyes(layer, args.lookalikes))
        out["zodiac"] = run_queries(zodiac, z_pics, zodiac.index, zodiac.image_of, args.cold_every)
        if not args.json:
            print_table("zodiac", out["zodiac"])
        out["layers"] = run_queries(layer, l_pics, layer.index, layer.image_of, args.cold_every)
        if not args.json:
            print_table("layers", out["layers"])
        # 10,000: the zodiac index and 9,000 more generated cards (all animals, 128 px)
        extra = make(base / "more", args.big - zodiac.size, 128, year=2026, seed=9,
                     zodiac={"animals": "all"})
        more = [thumbnail(decode((extra.images_dir / f"{i}.png").read_bytes()).rgb)
                for i in range(1, args.big - zodiac.size + 1)]
        # the zodiac index's details kept (the 9,000 more are another collection's cards)
        big = CopiesIndex.parse(encode([t.reshape(16, 16) for t in zodiac.index.thumbs] + more,
                                       zodiac.index.details))
        assert len(big.details.parts) == len(zodiac.index.details.parts)

        def big_images(tid: int) -> Picture | None:
            if tid <= zodiac.size:
                return zodiac.image_of(tid)
            return decode((extra.images_dir / f"{tid - zodiac.size}.png").read_bytes())
        copies = [p for p in z_pics if p[2] is not None]
        non_items = [p for p in z_pics if p[2] is None]
        out["zodiac_10k"] = run_queries(zodiac, copies[::args.big_every] + non_items, big,
                                        big_images, args.cold_every)
        if not args.json:
            print_table(f"zodiac, index of {big.size}", out["zodiac_10k"])
        out["index_bytes"] = {
            "1k": len(zodiac.index_bytes), "10k": len(encode(
                [t.reshape(16, 16) for t in big.thumbs], big.details)),
            "1k_without_details": len(encode(list(zodiac.index.thumbs))),
            "layers": len(layer.index_bytes)}
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"\nindex size: {out['index_bytes']}")


def print_table(name: str, r: dict[str, Any]) -> None:
    """One section's table (printed as soon as it is measured)."""
    print(f"\n## {name}: {r['copies']} copies, {r['non_items']} non-items")
    print("| transform kind | copies | recall | wrong token |")
    print("|---|---:|---:|---:|")
    for kind, k in r["per_kind"].items():
        print(f"| {kind} | {k['n']} | {k['recall']:.1%} | {k['wrong']} |")
    print(f"| **all** | {r['copies']} | **{r['recall']:.1%}** | **{r['wrong_token']}** |")
    print(f"| exact bytes (baseline) | {r['copies']} | {r['exact_recall']:.1%} | 0 |")
    print(f"\nfalse matches among non-items: {r['false_matches']} of {r['non_items']} (among the "
          f"look-alikes: {r['lookalike_false_matches']} of {r['lookalikes']})")
    print("\n| transform kind | copies named | guessed as the kind | guesses (`transform`) |")
    print("|---|---:|---:|---|")
    for kind, guesses in r["guessed"].items():
        named = sum(guesses.values())
        print(f"| {kind} | {named} | {guesses.get(kind, 0) / named:.1%} | "
              + ", ".join(f"{g} {n}" for g, n in guesses.items()) + " |")
    print(f"\n| per picture, ms (load average {r['load']:.1f} on {os.cpu_count()} cores) "
          "| CPU median | CPU p95 | wall median | wall p95 |")
    print("|---|---:|---:|---:|---:|")
    names = {"warm": "query, warm (items prepared once per process): all pictures",
             "warm_copy": "... copies", "warm_non": "... non-items",
             "cold": "copy query, cold (a fresh process's first query)",
             "rank": "index ranking alone", "exact": "exact bytes (baseline: sha256, CIDs)"}
    for key, label in names.items():
        m = r["ms"][key]
        print(f"| {label} (n={m['n']}) | {m['cpu_median']:.1f} | {m['cpu_p95']:.1f} | "
              f"{m['wall_median']:.1f} | {m['wall_p95']:.1f} |")
    for m in r["misses"][:40]:
        print("  miss:", m)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
