"""The local development chain: a ganache process on 127.0.0.1 whose database lives under the
project (``.nft-toolkit/chain/``), so deployments and mints survive `chain stop` and restarts.

It can be anvil instead (``chain start --client anvil``), with a hardfork and a gas price: with
``--hardfork berlin --gas-price 0`` a chain without a fee market, as many permissioned chains
are. The client and its settings are kept beside the data (``client.json``) and reused by every
later start; anvil's state is written to ``anvil-state.json`` when it stops.

Its accounts come from a fixed, public mnemonic and its chain ID is fixed: both are for local
work only. `chain.json` beside the database records the running process (pid, port, URL and the
genesis hash, which tells this chain apart from any other ganache on the same port).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from nft_toolkit import atomic
from nft_toolkit.errors import ChainError, ConfigError

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_CHAIN_ID = 1337
DEV_ACCOUNTS = 10
DEFAULT_PORT = 8545
HARDFORK = "shanghai"  # the last one ganache 7.9.2 knows (the contract is compiled for berlin)
START_TIMEOUT = 60.0
PORT_ENV = "NFT_TOOLKIT_CHAIN_PORT"
GANACHE_ENV = "NFT_TOOLKIT_GANACHE"
CLIENTS = ("ganache", "anvil")


@dataclass(frozen=True)
class ClientSettings:
    """Which client runs the development chain, at which hardfork (None: the client's
    default; ganache's is :data:`HARDFORK`) and gas price in wei (None: the client's)."""

    client: str = "ganache"
    hardfork: str | None = None
    gas_price: int | None = None


@dataclass(frozen=True)
class ChainState:
    """A running local chain, as recorded in chain.json."""

    pid: int
    port: int
    url: str
    chain_id: int
    genesis: str


def find_ganache() -> Path:
    """The ganache executable: $NFT_TOOLKIT_GANACHE, the repository's node_modules, or PATH."""
    explicit = os.environ.get(GANACHE_ENV)
    if explicit:
        return Path(explicit)
    repo_bin = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "ganache"
    if repo_bin.exists():
        return repo_bin
    found = shutil.which("ganache") or shutil.which("ganache-cli")
    if found:
        return Path(found)
    raise ConfigError("ganache is not installed: run `make setup` (npm ci) or set "
                      f"{GANACHE_ENV} to the ganache executable")


def find_anvil() -> Path:
    """The anvil executable: the repository's node_modules (npm, pinned in package.json) or PATH."""
    repo_bin = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "anvil"
    if repo_bin.exists():
        return repo_bin
    found = shutil.which("anvil")
    if found:
        return Path(found)
    raise ConfigError("anvil is not installed: run `make setup` (npm ci), or use --client ganache")


def rpc(url: str, method: str, params: list[object] | None = None, timeout: float = 2.0) -> object:
    """One raw JSON-RPC call (used before a web3 connection is worth making)."""
    reply = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                     "params": params or []}, timeout=timeout)
    reply.raise_for_status()
    body = reply.json()
    if "error" in body:
        raise ChainError(f"{method}: {body['error'].get('message', body['error'])}")
    return body["result"]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As node's listen() does: connections of a stopped chain in TIME_WAIT do not hold it.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child (started by this very process) is not alive
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return True


class LocalChain:
    """The development chain of one project, its data in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    @property
    def db_dir(self) -> Path:
        return self.data_dir / "db"

    @property
    def state_path(self) -> Path:
        return self.data_dir / "chain.json"

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.settings().client}.log"

    @property
    def port_path(self) -> Path:
        """The port of the last start, kept after a stop (chain.json goes with the process)."""
        return self.data_dir / "port.json"

    @property
    def settings_path(self) -> Path:
        return self.data_dir / "client.json"

    def settings(self) -> ClientSettings:
        """The client this chain's data belongs to (ganache when none was chosen)."""
        try:
            return ClientSettings(**json.loads(self.settings_path.read_text()))
        except (OSError, ValueError, TypeError):
            return ClientSettings()

    def _choose(self, wanted: ClientSettings | None) -> ClientSettings:
        """The settings to start with: `wanted` when given, refused when the chain's data belongs
        to other settings (its state would not carry over); else those of the last start."""
        current = self.settings()
        if wanted is None or wanted == current:
            return current
        has_data = (self.db_dir.exists() and any(self.db_dir.iterdir())) or self._anvil_state.exists()
        if has_data:
            shown = " ".join(f"{k}={v}" for k, v in asdict(current).items() if v is not None)
            raise ConfigError(f"the development chain's data in {self.data_dir} belongs to "
                              f"{shown}: start it without options, or delete that folder to "
                              "start another chain")
        return wanted

    @property
    def _anvil_state(self) -> Path:
        return self.data_dir / "anvil-state.json"

    def _command(self, settings: ClientSettings, port: int) -> list[str]:
        if settings.client == "anvil":
            cmd = [str(find_anvil()), "--host", "127.0.0.1", "--port", str(port),
                   "--chain-id", str(DEV_CHAIN_ID), "--mnemonic", DEV_MNEMONIC,
                   "--accounts", str(DEV_ACCOUNTS), "--balance", "10000",
                   "--state", str(self._anvil_state),  # loaded at start, written at stop
                   "--silent"]  # its banner lists the accounts' keys
            if settings.hardfork:
                cmd += ["--hardfork", settings.hardfork]
            if settings.gas_price is not None:
                cmd += ["--gas-price", str(settings.gas_price)]
            return cmd
        cmd = [str(find_ganache()),
               "--server.host", "127.0.0.1", "--server.port", str(port),
               "--database.dbPath", str(self.db_dir),
               "--chain.chainId", str(DEV_CHAIN_ID),
               "--chain.hardfork", settings.hardfork or HARDFORK,
               "--wallet.mnemonic", DEV_MNEMONIC, "--wallet.totalAccounts", str(DEV_ACCOUNTS),
               "--wallet.defaultBalance", "10000", "--miner.instamine", "strict",
               "--logging.quiet"]
        if settings.gas_price is not None:
            cmd += ["--miner.defaultGasPrice", str(settings.gas_price)]
        return cmd

    def status(self) -> ChainState | None:
        """The running chain, or None (a stale chain.json is removed)."""
        try:
            state = ChainState(**json.loads(self.state_path.read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if _alive(state.pid) and self._answers(state):
            return state
        if not _alive(state.pid):
            self.state_path.unlink(missing_ok=True)
        return None

    def _answers(self, state: ChainState) -> bool:
        try:
            block = rpc(state.url, "eth_getBlockByNumber", ["0x0", False])
        except (requests.RequestException, ChainError, ValueError):
            return False
        return isinstance(block, dict) and block.get("hash") == state.genesis

    def start(self, port: int | None = None, settings: ClientSettings | None = None) -> ChainState:
        """Starts the chain unless it runs; returns its state. Waits until it answers.
        `settings` chooses the client (None: the one of the last start, else ganache)."""
        running = self.status()
        if running is not None:
            if port is not None and port != running.port:
                raise ConfigError(f"the development chain already runs on port {running.port}; "
                                  "`nft-toolkit chain stop` first to move it")
            if settings is not None and settings != self.settings():
                raise ConfigError("the development chain already runs with other settings; "
                                  "`nft-toolkit chain stop` first")
            return running
        settings = self._choose(settings)
        port = port or self._choose_port()
        if not _port_free(port):
            raise ChainError(f"port {port} on 127.0.0.1 is in use by another program; "
                             f"choose another with --port or {PORT_ENV}")
        self.db_dir.mkdir(parents=True, exist_ok=True)
        cmd = self._command(settings, port)
        atomic.write_json(self.settings_path, asdict(settings))
        with open(self.log_path, "ab") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True)  # outlives this command
        try:
            return self._await(proc, port)
        except BaseException:
            # Interrupted (Ctrl-C) or failed before its state was written: nothing else knows
            # this process, and it would hold the chain's database lock for good.
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            raise

    def _await(self, proc: subprocess.Popen[bytes], port: int) -> ChainState:
        """The state of the started chain once it answers; written before it is returned."""
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ChainError(f"{self.settings().client} exited at start (code "
                                 f"{proc.returncode}); see {self.log_path}")
            try:
                block = rpc(url, "eth_getBlockByNumber", ["0x0", False], timeout=1.0)
            except (requests.RequestException, ChainError, ValueError):
                time.sleep(0.1)
                continue
            assert isinstance(block, dict)
            state = ChainState(proc.pid, port, url, DEV_CHAIN_ID, str(block["hash"]))
            atomic.write_json(self.state_path, asdict(state))
            atomic.write_json(self.port_path, {"port": port})
            return state
        raise ChainError(f"{self.settings().client} did not answer within {START_TIMEOUT:.0f} s; "
                         f"see {self.log_path}")

    def _choose_port(self) -> int:
        env = os.environ.get(PORT_ENV)
        if env:
            try:
                return int(env)
            except ValueError:
                raise ConfigError(f"{PORT_ENV}={env!r} is not a port number") from None
        # the port it had last time (stopped since, or its record left by a killed process),
        # so its URL stays the same
        for record in (self.port_path, self.state_path):
            try:
                previous = int(json.loads(record.read_text())["port"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if 0 < previous < 65536 and _port_free(previous):
                return previous
            break
        return DEFAULT_PORT if _port_free(DEFAULT_PORT) else free_port()

    def stop(self, timeout: float = 15.0) -> bool:
        """Stops the chain; its data stays. False when it was not running."""
        try:
            state = ChainState(**json.loads(self.state_path.read_text()))
        except (OSError, ValueError, TypeError):
            return False
        stopped = False
        if _alive(state.pid):
            os.kill(state.pid, signal.SIGTERM)  # ganache flushes its database, anvil its state
            deadline = time.monotonic() + timeout
            while _alive(state.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(state.pid):
                os.kill(state.pid, signal.SIGKILL)
            stopped = True
        self.state_path.unlink(missing_ok=True)
        return stopped
