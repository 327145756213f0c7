"""The production topology as real processes on free ports, for the fault drills.

A Temporal dev server with a persistent file, its own ``redis-server``, its own
PostgreSQL (``initdb``; it refuses root, so it runs as the ``postgres`` user there),
the reference engine, ``irx api`` without an embedded worker and two ``irx worker``
processes: each started as production starts it, each stopped, frozen or restarted
by a drill. Every process logs to ``<root>/logs/<name>.log``.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from redis import Redis

from irx.devstack import DEV_SERVER_DYNAMIC_CONFIG, temporal_binary, wait_for_port
from irx.temporal_setup import dev_server_flags
from store.sealing import Keyring
from tests.conftest import free_port

ROOT = Path(__file__).parents[2]
IRX = [sys.executable, "-m", "irx"]
STREAM = "irx:events"  # publish_event's default Redis stream
PR_SET_PDEATHSIG = 1


def _as_postgres(program: str, *args: str) -> list[str]:
    """PostgreSQL's ``program``, as the ``postgres`` user when this is root (initdb and
    postgres refuse root)."""
    command = [_postgres_binary(program), *args]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _die_with_parent() -> None:
    """Run in each child before it starts: killed when the test process dies, however it
    dies, so no server outlives its drill."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _postgres_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for versioned in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(versioned)
    raise RuntimeError(f"PostgreSQL's {name} is not installed")


class Topology:
    """Every process of a production deployment, on this machine."""

    def __init__(self, root: Path, workers: int = 2) -> None:
        self.root = root
        self.logs = root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.ports = {
            name: free_port() for name in ("temporal", "redis", "postgres", "engine", "api")
        }
        self.worker_names = [f"worker-{n}" for n in range(1, workers + 1)]
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.api_key = ""
        # Outside ``root`` (pytest's folders are its user's alone): the postgres user's.
        self.pgdata = Path(tempfile.mkdtemp(prefix="irx-drill-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.pgdata, "postgres", "postgres")
        self.env = {
            **os.environ,
            "IRX_DATABASE_URL": (
                f"postgresql+asyncpg://postgres@127.0.0.1:{self.ports['postgres']}/irx"
            ),
            "IRX_REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "IRX_TEMPORAL__ADDRESS": f"127.0.0.1:{self.ports['temporal']}",
            "IRX_TEMPORAL__PAYLOAD_KEYS": Keyring.new_key("drill"),
            "IRX_SECRET_KEYS": Keyring.new_key("drill"),
            "IRX_BLOBS__ROOT": str(root / "blobs"),
            "IRX_EVENTS__LOG_PATH": str(root / "events.jsonl"),
            "IRX_EVENTS__RELAY_INTERVAL_S": "0.2",
            "IRX_EGRESS__TRUSTED_HOSTS": json.dumps(["127.0.0.1"]),
            "IRX_API__PORT": str(self.ports["api"]),
            "IRX_API__EMBEDDED_WORKER": "false",
            "IRX_ENGINE_PORT": str(self.ports["engine"]),
            "IRX_LOG_LEVEL": "WARNING",
        }

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['api']}"

    @property
    def engine_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['engine']}"

    # -- processes -----------------------------------------------------------------

    def spawn(self, name: str, args: list[str], user: str | None = None) -> None:
        with open(self.logs / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                user=user,
                group=user,
                preexec_fn=_die_with_parent,
            )

    def wait_port(self, name: str, timeout: float = 60) -> None:
        wait_for_port(self.ports[name], timeout, self.procs[name])

    def send(self, name: str, signum: int) -> None:
        self.procs[name].send_signal(signum)

    def stop(self, name: str, signum: int = signal.SIGTERM, timeout: float = 20) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            proc.send_signal(signum)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def start(self, name: str) -> None:
        """(Re)starts ``name`` and waits until it serves."""
        if name == "temporal":
            self.spawn(name, self._temporal_args())
            self.wait_port(name)
        elif name == "redis":
            self.spawn(
                name,
                [
                    *("redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1"),
                    # The event stream survives a kill, as a production Redis's would.
                    *("--dir", str(self.root), "--save", "", "--appendonly", "yes"),
                    *("--appendfsync", "always"),
                ],
            )
            self.wait_port(name)
        elif name == "postgres":
            self._start_postgres()
        elif name == "engine":
            self.spawn(name, [*IRX, "reference-engine"])
            self.wait_port(name)
        elif name == "api":
            self.spawn(name, [*IRX, "api"])
            self.wait_port(name)
        elif name in self.worker_names:
            self.spawn(name, [*IRX, "worker"])
        else:
            raise ValueError(name)

    def restart(self, name: str) -> None:
        self.stop(name)
        self.start(name)

    def _temporal_args(self) -> list[str]:
        return [
            temporal_binary(),
            *("server", "start-dev", "--headless", "--ip", "127.0.0.1"),
            *("--port", str(self.ports["temporal"])),
            *("--db-filename", str(self.root / "temporal.db")),
            *("--log-level", "warn"),
            *dev_server_flags(),
            *[a for kv in DEV_SERVER_DYNAMIC_CONFIG for a in ("--dynamic-config-value", kv)],
        ]

    def _start_postgres(self) -> None:
        data = self.pgdata
        if not (data / "PG_VERSION").exists():
            subprocess.run(
                _as_postgres(
                    "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
                ),
                check=True,
                capture_output=True,
            )
        self.spawn(
            "postgres",
            [
                _postgres_binary("postgres"),
                *("-D", str(data), "-p", str(self.ports["postgres"]), "-k", str(data)),
                *("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"),
            ],
            user="postgres" if os.geteuid() == 0 else None,  # it refuses root
        )
        self.wait_port("postgres")
        for _ in range(100):  # the port opens before connections are taken
            ready = subprocess.run(
                [
                    _postgres_binary("pg_isready"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.ports["postgres"]),
                ],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not become ready")

    # -- the whole deployment -----------------------------------------------------------

    def up(self) -> None:
        for name in ("temporal", "redis", "postgres", "engine"):
            self.start(name)
        subprocess.run(
            _as_postgres(
                "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["postgres"]),
                "-U",
                "postgres",
                "irx",
            ),
            check=True,
            capture_output=True,
        )
        self.run_cli("db", "upgrade")
        self.run_cli("temporal", "setup")
        seeded = self.run_cli("seed-demo", "--engine-url", self.engine_url)
        self.api_key = seeded.rsplit(":", 1)[1].strip()
        for name in self.worker_names:
            self.start(name)
        self.start("api")

    def down(self) -> None:
        for name in reversed(list(self.procs)):
            proc = self.procs[name]
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGCONT)  # a frozen process cannot stop
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(self.pgdata, ignore_errors=True)

    def run_cli(self, *args: str) -> str:
        done = subprocess.run(
            [*IRX, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"irx {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    # -- what the drills read -------------------------------------------------------------

    def client(self, timeout: float = 90) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.api_url, headers={"X-API-Key": self.api_key}, timeout=timeout
        )

    def events(self) -> list[dict[str, Any]]:
        """Every entry of the event stream, as a consumer reads it (duplicates included)."""
        with Redis(port=self.ports["redis"]) as redis:
            entries = redis.xrange(STREAM)
        return [json.loads(fields[b"body"]) for _, fields in entries]
