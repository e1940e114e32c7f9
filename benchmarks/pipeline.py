"""The whole job at size, stage by stage, as an issuer runs it: wall time, CPU time and peak memory
of each `nft-toolkit` command, and for the airdrop the chain's own busy time beside the tool's.

    .venv/bin/python benchmarks/pipeline.py --items 1000 [--chain ganache|anvil]
        [--batch-size 200] [--max-in-flight K] [--sample 50] [--keep DIR] [--json]

Stages, each one `nft-toolkit` process in a throwaway project: `init` (zodiac theme, seed 7),
`generate`, `pin` (local store and CAR), `deploy` (on a fresh `chain start --client CHAIN`),
`airdrop` (`mint --airdrop` of one token to each of N distinct generated addresses, batches of
`--batch-size`, with `--max-in-flight` when this `mint` has it), `audit`, and `serve` (the service
started, a sample of tokens verified over HTTP through `GET /api/v1/tokens/ID`, then stopped).

Figures per stage:
- wall: seconds from the process's start to its exit (serve: to the last answer);
- cpu: user+sys seconds of the process and the children it waited for (``os.wait4``: exact,
  per process, so stages never mix);
- rss: the peak resident set of the stage's largest single process (``ru_maxrss`` from
  ``os.wait4``: a maximum over the process and its reaped children, not a sum), and `tree`, the
  largest sum of RSS over the process and its live descendants sampled every 50 ms (psutil; an
  upper bound where forked workers share pages);
- chain cpu: user+sys seconds the chain process spent during the stage (/proc).

**The airdrop's bound** is the chain's busy time for the very same transactions: after the other
stages the chain is reverted to its snapshot from just before the airdrop, block production is
stopped, the airdrop's signed transactions (from the mint journal) are submitted again, and
blocks are mined one `evm_mine` at a time until all are in; `busy` is the sum of those calls'
durations: the node's time to execute and seal the airdrop in blocks as full as its gas limit
allows, with no client waiting on it. The tool's overhead is `airdrop wall / busy`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests
from eth_utils import keccak, to_checksum_address

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nft_toolkit.chain.local import free_port  # noqa: E402

NFT_TOOLKIT = str(Path(sys.executable).parent / "nft-toolkit")
STAGES = ("init", "generate", "pin", "deploy", "airdrop", "audit", "serve")


@dataclass
class Stage:
    """One stage's figures (seconds, MiB)."""

    name: str
    wall_s: float
    cpu_s: float
    rss_mib: float
    tree_rss_mib: float
    chain_cpu_s: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def recipient(i: int) -> str:
    """The i-th generated customer address: distinct, deterministic, no known key."""
    return to_checksum_address(keccak(b"nft-toolkit pipeline recipient %d" % i)[12:])


def chain_cpu(pid: int | None) -> float | None:
    """user+sys seconds of the chain process `pid` and its descendants so far, None when
    unknown."""
    if pid is None:
        return None
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def chain_peak_rss(pid: int | None) -> float | None:
    """The chain process's peak RSS so far (VmHWM), MiB."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class TreeSampler(threading.Thread):
    """The largest sum of RSS over a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            self._halt.wait(0.05)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


class Runner:
    """Runs `nft-toolkit` commands in the project as stages and keeps their figures."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.cwd, self.env = cwd, env
        self.logs = cwd / "logs"  # each command's output, by command name
        self.logs.mkdir(parents=True, exist_ok=True)
        self.chain_pid: int | None = None
        self.stages: list[Stage] = []

    def start(self, *args: str) -> tuple[subprocess.Popen[bytes], TreeSampler, float, float | None]:
        out = open(self.logs / f"{args[0]}.out", "wb")  # noqa: SIM115
        proc = subprocess.Popen([NFT_TOOLKIT, *args], cwd=self.cwd, env=self.env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        sampler = TreeSampler(proc.pid)
        sampler.start()
        return proc, sampler, time.perf_counter(), chain_cpu(self.chain_pid)

    def finish(self, name: str, proc: subprocess.Popen[bytes], sampler: TreeSampler, t0: float,
               c0: float | None, wall_s: float | None = None) -> tuple[Stage, str]:
        """Waits for `proc` (os.wait4: its own rusage) and records the stage; its output."""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0 if wall_s is None else wall_s
        tree = sampler.stop()
        c1 = chain_cpu(self.chain_pid)
        stage = Stage(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                      max(tree, usage.ru_maxrss * 1024) / 2**20,
                      None if c0 is None or c1 is None else c1 - c0)
        text = (self.logs / f"{proc.args[1]}.out").read_text(errors="replace")  # type: ignore[index]
        return stage, text

    def run(self, name: str, *args: str, record: bool = True) -> tuple[Stage, str]:
        proc, sampler, t0, c0 = self.start(*args)
        stage, text = self.finish(name, proc, sampler, t0, c0)
        if proc.returncode != 0:
            raise RuntimeError(f"`nft-toolkit {' '.join(args)}` exited {proc.returncode}:\n"
                               f"{text[-3000:]}")
        if record:
            self.stages.append(stage)
        return stage, text


def rpc(url: str, method: str, *params: Any) -> Any:
    answer = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                      "params": list(params)}, timeout=600).json()
    if "error" in answer:
        raise RuntimeError(f"{method}: {answer['error']}")
    return answer["result"]


def last_json(text: str) -> Any:
    """The last line of `text` that is a JSON object (a command's --json answer)."""
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON answer in: {text[-2000:]}")


def serve_stage(runner: Runner, n: int, sample: int) -> Stage:
    """`serve` started, `sample` tokens spread over 1..n verified over HTTP, then stopped."""
    port = free_port()
    proc, sampler, t0, c0 = runner.start("serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    ids = sorted({1 + (i * n) // sample for i in range(sample)} | {n})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                session.get(base + "/static/style.css", timeout=2)
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("serve did not start") from None
                time.sleep(0.05)
        ready = time.perf_counter() - t0
        answers = []
        t1 = time.perf_counter()
        for token in ids:
            answer = session.get(f"{base}/api/v1/tokens/{token}", timeout=120)
            answers.append((token, answer.status_code, answer.json()))
        asked = time.perf_counter() - t1
        wall = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGTERM)
    stage, _ = runner.finish("serve", proc, sampler, t0, c0, wall_s=wall)
    wrong = [(t, s, a.get("verdict"), a.get("owner")) for t, s, a in answers
             if s != 200 or a.get("verdict") != "authentic" or a.get("owner") != recipient(t)]
    stage.extra = {"tokens": len(ids), "authentic": len(ids) - len(wrong), "wrong": wrong[:5],
                   "ready_s": round(ready, 3), "per_token_ms": round(1000 * asked / len(ids), 1)}
    runner.stages.append(stage)
    return stage


def replay_busy(url: str, snapshot: str, journal: Path, hashes: list[str],
                client: str) -> dict[str, Any]:
    """The chain's busy time for the airdrop's transactions (module docstring): reverted to
    `snapshot`, mining stopped, the signed transactions of `hashes` (from the journal) sent
    again, then `evm_mine` until all are mined; the sum of the mining calls' durations."""
    raws: dict[str, str] = {}
    for line in journal.read_text().splitlines():
        record = json.loads(line) if line.strip() else {}
        if record.get("type") == "sent":
            raws[str(record.get("hash", "")).lower()] = record.get("raw")
    # the journal's copy, else the node's (another journal format): fetched before the revert
    signed = [raws.get(h.lower()) or rpc(url, "eth_getRawTransactionByHash", h) for h in hashes]
    if not rpc(url, "evm_revert", snapshot):
        raise RuntimeError("the chain refused to revert to the snapshot before the airdrop")
    if client == "anvil":
        rpc(url, "evm_setAutomine", False)
    else:
        rpc(url, "miner_stop")
    t0 = time.perf_counter()
    for raw in signed:
        rpc(url, "eth_sendRawTransaction", raw)
    submit = time.perf_counter() - t0
    busy, mined, blocks, gas = 0.0, 0, 0, 0
    while mined < len(signed):
        t0 = time.perf_counter()
        rpc(url, "evm_mine")
        busy += time.perf_counter() - t0
        block = rpc(url, "eth_getBlockByNumber", "latest", False)
        if not block["transactions"]:
            raise RuntimeError(f"a mined block took none of the {len(signed) - mined} pending "
                               "transactions")
        mined += len(block["transactions"])
        blocks += 1
        gas += int(block["gasUsed"], 16)
    gas_limit = int(block["gasLimit"], 16)
    for h in hashes:
        receipt = rpc(url, "eth_getTransactionReceipt", h)
        if receipt is None or int(receipt["status"], 16) != 1:
            raise RuntimeError(f"the replayed transaction {h} failed")
    return {"busy_s": busy, "submit_s": submit, "blocks": blocks, "transactions": len(signed),
            "gas": gas, "block_gas_limit": gas_limit}


def run(items: int, client: str, batch_size: int, in_flight: int | None, sample: int,
        work: Path, image_size: int | None = None) -> dict[str, Any]:
    """The pipeline in `work`; every figure, as a dict."""
    project = work / "collection"
    env = dict(os.environ, COLUMNS="200")
    for secret in ("NFT_TOOLKIT_PRIVATE_KEY", "NFT_TOOLKIT_KEYSTORE_PASSWORD"):
        env.pop(secret, None)
    runner = Runner(work, env)
    runner.run("init", "init", str(project), "--year", "2026", "--size", str(items),
               "--seed", "7")
    runner.cwd = project
    if image_size is not None:  # the theme draws at 1024 px; a smaller size for a quicker run
        config = project / "collection.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r"(?m)^image_size: .*$", f"image_size: {image_size}", text),
                          encoding="utf-8")
    runner.run("generate", "generate")
    runner.run("pin", "pin")
    port = free_port()
    _, started = runner.run("chain", "chain", "start", "--client", client, "--port", str(port),
                            "--json", record=False)
    url = last_json(started)["url"]
    try:
        _, status = runner.run("chain", "chain", "status", "--json", record=False)
        runner.chain_pid = last_json(status).get("pid")
        runner.run("deploy", "deploy", "--json")

        recipients = project / "recipients.csv"
        with recipients.open("w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["address", "count"])
            out.writerows([recipient(i), 1] for i in range(1, items + 1))
        mint_help = subprocess.run([NFT_TOOLKIT, "mint", "--help"], capture_output=True,
                                   text=True, env=env, check=True).stdout
        has_in_flight = "--max-in-flight" in mint_help
        args = ["mint", "--airdrop", str(recipients), "--batch-size", str(batch_size), "--json"]
        if has_in_flight and in_flight is not None:
            args += ["--max-in-flight", str(in_flight)]
        snapshot = rpc(url, "evm_snapshot")
        stage, text = runner.run("airdrop", *args)
        minted = last_json(text)
        if minted["count"] != items:
            raise RuntimeError(f"the airdrop minted {minted['count']} tokens, not {items}")
        stage.extra = {"transactions": len(minted["transactions"]), "gas": minted["gas_used"],
                       "gas_per_recipient": minted["gas_used"] / items,
                       "batch_size": batch_size,
                       "max_in_flight": (in_flight if has_in_flight and in_flight else None),
                       "max_in_flight_option": has_in_flight}

        stage, text = runner.run("audit", "audit", "--json")
        report = last_json(text)
        stage.extra = {"counts": report["counts"], "verdict": report["verdict"],
                       "seconds": report["seconds"]}
        if report["counts"].get("authentic") != items:
            raise RuntimeError(f"audit: {report['counts']}, not {items} authentic")

        serve_stage(runner, items, sample)
        chain_rss = chain_peak_rss(runner.chain_pid)
        busy = replay_busy(url, snapshot, project / ".nft-toolkit" / "journal" /
                           "mint-development.jsonl", minted["transactions"], client)
    finally:
        subprocess.run([NFT_TOOLKIT, "chain", "stop"], cwd=project, env=env,
                       capture_output=True, timeout=120)
    airdrop = next(s for s in runner.stages if s.name == "airdrop")
    busy["tool_overhead"] = airdrop.wall_s / busy["busy_s"] if busy["busy_s"] else None
    return {"items": items, "chain": client, "cpus": os.cpu_count(), "image_size": image_size,
            "stages": [asdict(s) for s in runner.stages], "airdrop_chain": busy,
            "chain_peak_rss_mib": chain_rss,
            "total_wall_s": sum(s.wall_s for s in runner.stages)}


def table(result: dict[str, Any]) -> str:
    size = f", {result['image_size']} px" if result.get("image_size") else ""
    lines = [f"{result['items']:,} items{size} on {result['chain']} ({result['cpus']} CPUs)", "",
             "| stage | wall s | cpu s | peak RSS MiB (process) | peak RSS MiB (tree) | chain cpu s |"
             " notes |", "|---|---:|---:|---:|---:|---:|---|"]
    for s in result["stages"]:
        notes = ""
        extra = s["extra"]
        if s["name"] == "airdrop":
            notes = (f"{extra['transactions']} tx of {extra['batch_size']}, "
                     f"{extra['gas_per_recipient']:,.0f} gas/recipient, max-in-flight "
                     + (str(extra["max_in_flight"]) if extra["max_in_flight"] else
                        "(option absent)" if not extra["max_in_flight_option"] else "default"))
        elif s["name"] == "audit":
            # two rates, named apart: the CLI's own (the audit loop) and the whole process's
            tokens = sum(extra["counts"].values())
            loop = f"{tokens / extra['seconds']:,.0f} tokens/s audit loop, " if extra["seconds"] else ""
            notes = (", ".join(f"{k} {v}" for k, v in extra["counts"].items())
                     + f"; {loop}{tokens / s['wall_s']:,.0f} tokens/s incl. start-up")
        elif s["name"] == "serve":
            notes = (f"{extra['authentic']}/{extra['tokens']} authentic over HTTP, ready in "
                     f"{extra['ready_s']} s, {extra['per_token_ms']} ms/token")
        chain = "" if s["chain_cpu_s"] is None else f"{s['chain_cpu_s']:.2f}"
        lines.append(f"| {s['name']} | {s['wall_s']:.1f} | {s['cpu_s']:.1f} | {s['rss_mib']:.0f}"
                     f" | {s['tree_rss_mib']:.0f} | {chain} | {notes} |")
    b = result["airdrop_chain"]
    lines += ["", f"total {result['total_wall_s']:.1f} s; chain peak RSS "
              f"{result['chain_peak_rss_mib'] or 0:.0f} MiB",
              f"airdrop bound (baseline, same run): the chain's busy time for its "
              f"{b['transactions']} transactions replayed = {b['busy_s']:.3f} s in {b['blocks']} "
              f"blocks of {b['block_gas_limit']:,} gas limit ({b['gas']:,} gas; submitting them "
              f"took {b['submit_s']:.3f} s more); airdrop wall / busy = {b['tool_overhead']:.2f}x"]
    return "\n".join(lines)


def check(result: dict[str, Any]) -> list[str]:
    """What is wrong with a result (empty when complete and sane)."""
    problems = []
    names = [s["name"] for s in result["stages"]]
    if names != list(STAGES):
        problems.append(f"stages {names}, not {list(STAGES)}")
    for s in result["stages"]:
        if not (s["wall_s"] > 0 and s["cpu_s"] > 0 and s["rss_mib"] > 10):
            problems.append(f"{s['name']}: implausible figures {s}")
    serve = next((s for s in result["stages"] if s["name"] == "serve"), None)
    if serve and serve["extra"]["authentic"] != serve["extra"]["tokens"]:
        problems.append(f"serve: {serve['extra']}")
    if result["airdrop_chain"]["busy_s"] <= 0:
        problems.append("no chain busy time")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--chain", choices=["ganache", "anvil"], default="ganache")
    ap.add_argument("--batch-size", type=int, default=200, help="tokens per mint transaction")
    ap.add_argument("--max-in-flight", type=int, default=None,
                    help="passed to mint when it has the option")
    ap.add_argument("--sample", type=int, default=50, help="tokens verified through serve")
    ap.add_argument("--keep", type=Path, default=None, help="work here and keep the project")
    ap.add_argument("--image-size", type=int, default=None,
                    help="pixels a side (default: the theme's, 1024)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.items < 1 or args.batch_size < 1 or args.sample < 1:
        ap.error("--items, --batch-size and --sample are whole numbers from 1")
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.items, args.chain, args.batch_size, args.max_in_flight, args.sample,
                     args.keep, args.image_size)
    else:
        with tempfile.TemporaryDirectory(prefix="nft-bench-pipeline-") as tmp:
            result = run(args.items, args.chain, args.batch_size, args.max_in_flight,
                         args.sample, Path(tmp), args.image_size)
    result["problems"] = check(result)
    print(json.dumps(result) if args.json else table(result))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
