"""HashLips Art Engine's ``src/config.js`` read into a collection.yaml
(``nft-toolkit import-hashlips CONFIG_JS LAYERS``).

config.js is a CommonJS module, so Node reads it, in a ``vm`` context whose ``require`` gives
only Node's ``path`` and HashLips' own constants (``MODE``, ``NETWORK``; any require whose file
name is ``blend_mode``/``blendMode``/``network``, as config.js of v1.0.6 onwards builds it from
``process.cwd()`` or ``process.execPath``), with a time limit; what it exports is taken as data
(JSON). Any other require is refused in one line naming the module. What maps (HashLips -> collection.yaml):

- ``namePrefix`` -> name, ``description`` -> description, ``extraMetadata`` -> extra_metadata,
  ``solanaMetadata.symbol`` -> symbol (else one made from the name);
- ``layerConfigurations[0].layersOrder`` -> layers.order, and each layer's ``options``
  (``blend``, ``opacity``, ``bypassDNA``, ``displayName``) -> layers.options; the last
  ``growEditionSizeTo`` -> size;
- ``format.width``/``height`` -> image_size (layers of another size are scaled);
- ``background`` -> layers.background: ``generate`` with ``static`` -> its ``default`` colour,
  ``generate`` alone -> generated, otherwise none.

Several layer configurations become ``layers.configurations`` (``up_to`` =
``growEditionSizeTo``); a layer's options are taken from its first configuration. Not mapped,
with a note: ``rarityDelimiter`` other than ``#`` (refused), text and pixel modes, GIF export,
``shuffleLayerConfigurations``, ``uniqueDnaTorrance`` (nft-toolkit counts the exact capacity).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from nft_toolkit.config import BLEND_MODES
from nft_toolkit.errors import InputError

_NODE_READER = r"""
const fs = require('fs'), vm = require('vm');
const file = process.argv[1];
const MODE = {sourceOver: 'source-over', multiply: 'multiply', screen: 'screen',
  overlay: 'overlay', darken: 'darken', lighten: 'lighten', colorDodge: 'color-dodge',
  colorBurn: 'color-burn', hardLight: 'hard-light', softLight: 'soft-light',
  difference: 'difference', exclusion: 'exclusion', hue: 'hue', saturation: 'saturation',
  color: 'color', luminosity: 'luminosity', lighter: 'lighter', copy: 'copy', xor: 'xor',
  sourceIn: 'source-in', sourceOut: 'source-out', sourceAtop: 'source-out',
  destinationOver: 'destination-over', destinationIn: 'destination-in',
  destinationOut: 'destination-out', destinationAtop: 'destination-atop'};
const NETWORK = {eth: 'eth', sol: 'sol'};
const path = require('path');
// config.js finds HashLips' constants from its own folder (process.cwd(), or beside the `pkg`
// binary); whatever that path looks like, its file name says which constants it wants.
const constants = {blend_mode: {MODE}, blendmode: {MODE}, network: {NETWORK}};
const module = {exports: {}};
const context = {module, exports: module.exports, console: {log() {}, warn() {}},
  process: {pkg: undefined, cwd: () => '/hashlips', execPath: '/hashlips/hashlips',
            env: {}, platform: 'linux'},
  require: (p) => {
    const wanted = String(p);
    if (wanted === 'path' || wanted === 'node:path') return path.posix;
    const base = wanted.split(/[\\/]/).pop().replace(/\.js$/i, '').toLowerCase();
    if (Object.prototype.hasOwnProperty.call(constants, base)) return constants[base];
    throw new Error('it requires ' + wanted.slice(0, 120) + '; import-hashlips gives ' +
      "config.js only path and HashLips' constants/blend_mode.js and constants/network.js");
  }};
try {
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), context, {filename: file, timeout: 2000});
  process.stdout.write(JSON.stringify(module.exports));
} catch (e) {
  process.stderr.write(String((e && e.message) || e).split('\n')[0]);
  process.exit(3);
}
"""


def read_config_js(path: Path) -> dict[str, Any]:
    """What HashLips' config.js at `path` exports, as JSON data. InputError (one line) when
    Node is missing or the file does not run."""
    node = shutil.which("node")
    if node is None:
        raise InputError("import-hashlips needs Node.js to read config.js; install it (the "
                         "repository's `make setup` does)")
    if not path.is_file():
        raise InputError(f"{path}: not found; give HashLips' src/config.js")
    try:
        out = subprocess.run([node, "-e", _NODE_READER, str(path)], capture_output=True,
                             text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"{path}: Node did not finish reading it in 30 s") from None
    if out.returncode != 0:
        reason = " ".join(out.stderr.split())[:200] if out.returncode == 3 else \
            f"node exited with {out.returncode}"
        raise InputError(f"{path}: not a HashLips config.js Node can run ({reason})")
    data = json.loads(out.stdout or "{}")
    if not isinstance(data, dict) or "layerConfigurations" not in data:
        raise InputError(f"{path}: exports no layerConfigurations; give HashLips' src/config.js")
    return data


def collection_from_hashlips(data: dict[str, Any], layers_dir: str, seed: int
                             ) -> tuple[dict[str, Any], list[str]]:
    """The collection.yaml mapping for HashLips' config `data`, and notes on what was left."""
    notes: list[str] = []
    configs = data.get("layerConfigurations") or []
    if not isinstance(configs, list) or not configs:
        raise InputError("config.js: layerConfigurations is empty; add one")
    delimiter = data.get("rarityDelimiter", "#")
    if delimiter != "#":
        raise InputError(f"config.js: rarityDelimiter {delimiter!r}: nft-toolkit reads weights "
                         "after '#'; rename the files Name#weight.png")
    orders: list[tuple[int, list[str]]] = []
    options: list[dict[str, Any]] = []
    for configuration in configs:
        order = [_layer_entry(entry, options, notes)
                 for entry in configuration.get("layersOrder") or []]
        orders.append((int(configuration.get("growEditionSizeTo", 0)), order))
    size = orders[-1][0]
    name = str(data.get("namePrefix") or "My Collection").strip()
    symbol = str((data.get("solanaMetadata") or {}).get("symbol") or "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,16}", symbol):
        symbol = "".join(c for c in name.upper() if c.isascii() and c.isalnum())[:16] or "NFT"
    layers: dict[str, Any] = {"dir": layers_dir}
    if len(orders) == 1:
        layers["order"] = orders[0][1]
    else:
        layers["configurations"] = [{"up_to": up_to, "order": order} for up_to, order in orders]
    if options:
        layers["options"] = options
    background = data.get("background") or {}
    if background.get("generate"):
        colour = str(background.get("default", "#000000"))
        if background.get("static") and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            layers["background"] = colour.lower()
        else:
            layers["background"] = "generated"
            if background.get("static"):
                notes.append(f"background.default {colour!r} is not #rrggbb: generated instead")
    out: dict[str, Any] = {"name": name, "symbol": symbol, "size": size, "seed": seed,
                           "description": str(data.get("description") or "")}
    fmt = data.get("format") or {}
    if fmt.get("width") and fmt.get("height"):
        out["image_size"] = [int(fmt["width"]), int(fmt["height"])]
    out["layers"] = layers
    extra = data.get("extraMetadata") or {}
    if extra:
        out["extra_metadata"] = extra
    out["royalty"] = {"bps": 500}
    for key, what in (("gif", "GIF export"), ("text", "text mode"),
                      ("pixelFormat", "pixel mode")):
        if isinstance(data.get(key), dict) and (data[key].get("export") or data[key].get("only")):
            notes.append(f"config.js {what} is not imported")
    return out, notes


def _layer_entry(entry: dict[str, Any], options: list[dict[str, Any]], notes: list[str]) -> str:
    """The name of one layersOrder entry; its options appended to `options` (once a layer)."""
    name = str(entry.get("name", "")).strip()
    if not name:
        raise InputError("config.js: a layersOrder entry has no name")
    given = entry.get("options") or {}
    option: dict[str, Any] = {}
    blend = given.get("blend")
    if blend is not None and blend != "source-over":
        if blend not in BLEND_MODES:
            raise InputError(f"config.js: layer {name!r} blend {blend!r} is not supported; "
                             f"use one of: {', '.join(BLEND_MODES)}")
        option["blend"] = blend
    if given.get("opacity") is not None and float(given["opacity"]) < 1:
        option["opacity"] = float(given["opacity"])
    if given.get("bypassDNA"):
        option["bypass_dna"] = True
    if given.get("displayName"):
        option["display_name"] = str(given["displayName"])
    earlier = next((o for o in options if o["layer"] == name), None)
    if earlier is None and option:
        options.append({"layer": name, **option})
    elif earlier is not None and {k: v for k, v in earlier.items() if k != "layer"} != option:
        notes.append(f"layer {name!r} has other options in another configuration; the first "
                     "are imported")
    return name


def collection_yaml(mapping: dict[str, Any], notes: list[str]) -> str:
    """The text of the imported collection.yaml: the notes as comments, then the mapping."""
    head = "# nft-toolkit collection imported from HashLips' config.js\n" + "".join(
        f"# note: {n}\n" for n in notes)
    return head + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)
