"""The whole stack for a benchmark: ``irx dev`` on free ports, a throwaway data dir.

:func:`running_stack` starts ``irx dev`` (Temporal dev server, reference engine with
0 ms latency, ``irx worker``, and the API with its embedded worker), waits for its
banner, yields a :class:`Stack` that names each child process for RSS sampling,
and stops everything on exit, even when the benchmark failed.

:class:`RssSampler` samples the resident memory of several processes in a thread
(every 50 ms) and keeps each one's peak, as ``bench.door_memory.Peak`` does for one.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil

MB = 1024 * 1024
BANNER_END = "Ctrl-C stops everything."
# How each child of `irx dev` is reported; its workers are "worker 1", "worker 2"...
# (with `--workers 0` the API runs one inside it: "api+worker").
ROLES = (
    ("temporal", "temporal server"),
    ("reference-engine", "engine"),
    ("irx worker", "worker"),
    ("irx api", "api"),
)
WORKERS = int(os.environ.get("IRX_BENCH_WORKERS", "2"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def role_of(proc: psutil.Process) -> str | None:
    try:
        command = " ".join(proc.cmdline())
    except psutil.Error:
        return None
    return next((role for marker, role in ROLES if marker in command), None)


@dataclass
class Stack:
    """A running ``irx dev``: where it answers, its demo key, its processes."""

    proc: subprocess.Popen[bytes]
    data_dir: Path
    api_port: int
    temporal_port: int
    api_key: str
    engine_port: int
    processes: dict[str, psutil.Process] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def engine_url(self) -> str:
        return f"http://127.0.0.1:{self.engine_port}"

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.temporal_port}"


def _find_children(proc: subprocess.Popen[bytes]) -> dict[str, psutil.Process]:
    found: dict[str, psutil.Process] = {}
    workers = 0
    for child in psutil.Process(proc.pid).children(recursive=True):
        role = role_of(child)
        if role == "worker":
            workers += 1
            role = f"worker {workers}"
        elif role == "api" and not WORKERS:
            role = "api+worker"
        if role is not None:
            found[role] = child
    return found


@contextmanager
def running_stack(data_dir: Path | None = None, timeout_s: float = 180) -> Iterator[Stack]:
    """``irx dev`` on free ports; stopped (and its temporary data dir removed) on exit."""
    own_dir = data_dir is None
    root = Path(tempfile.mkdtemp(prefix="irx-bench-")) if data_dir is None else data_dir
    root.mkdir(parents=True, exist_ok=True)
    api_port, temporal_port, ui_port, engine_port = (free_port() for _ in range(4))
    env = {
        **os.environ,
        # The reference engine answers at once: the benchmark measures the platform.
        "IRX_ENGINE_LATENCY_MS": "0",
        "IRX_ENGINE_LATENCY_JITTER_MS": "0",
        "IRX_ENGINE_FAILURE_RATE": "0",
    }
    log = root / "irx-dev.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "irx",
                "dev",
                *("--data-dir", str(root)),
                *("--api-port", str(api_port)),
                *("--temporal-port", str(temporal_port)),
                *("--ui-port", str(ui_port)),
                *("--engine-port", str(engine_port)),
                *("--workers", str(WORKERS)),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    children: dict[str, psutil.Process] = {}
    try:
        deadline = time.monotonic() + timeout_s
        while BANNER_END not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise SystemExit(f"irx dev did not start (log {log}):\n{tail}")
            time.sleep(0.2)
        children = _find_children(proc)
        wanted = {"temporal server", "engine", "api" if WORKERS else "api+worker"}
        wanted |= {f"worker {n}" for n in range(1, WORKERS + 1)}
        missing = wanted - set(children)
        if missing:
            raise SystemExit(f"irx dev runs no {', '.join(sorted(missing))} process")
        key = (root / "demo-api-key").read_text().strip()
        yield Stack(proc, root, api_port, temporal_port, key, engine_port, children)
    finally:
        _stop(proc, children)
        if own_dir and not os.environ.get("IRX_BENCH_KEEP_DATA"):
            shutil.rmtree(root, ignore_errors=True)


def _stop(proc: subprocess.Popen[bytes], children: dict[str, psutil.Process]) -> None:
    """SIGTERM to ``irx dev`` (it stops its children); SIGKILL what is left after 30 s."""
    known = list(children.values())
    with suppress(psutil.Error):
        known += psutil.Process(proc.pid).children(recursive=True)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    _, alive = psutil.wait_procs(known, timeout=5)
    for child in alive:
        with suppress(psutil.Error):
            child.kill()


class RssSampler:
    """Samples several processes' RSS in a thread; :meth:`window` gives idle and peak."""

    def __init__(self, processes: dict[str, psutil.Process], every_s: float = 0.05) -> None:
        self.processes = processes
        self.every_s = every_s
        self.peak: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def cpu(self) -> dict[str, float]:
        """CPU seconds (user and system) each process has used so far."""
        used: dict[str, float] = {}
        for name, proc in self.processes.items():
            with suppress(psutil.Error):
                times = proc.cpu_times()
                used[name] = times.user + times.system
        return used

    def current(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for name, proc in self.processes.items():
            with suppress(psutil.Error):
                sizes[name] = proc.memory_info().rss
        return sizes

    def _sample(self) -> None:
        while not self._stop.is_set():
            sizes = self.current()
            with self._lock:
                for name, rss in sizes.items():
                    self.peak[name] = max(self.peak.get(name, 0), rss)
            time.sleep(self.every_s)

    @contextmanager
    def window(self) -> Iterator[dict[str, dict[str, float]]]:
        """Yields a dict filled on exit: per process, idle (at entry), peak and growth, in MB,
        and the CPU seconds it used meanwhile."""
        idle, cpu = self.current(), self.cpu()
        with self._lock:
            self.peak = dict(idle)
        result: dict[str, dict[str, float]] = {}
        try:
            yield result
        finally:
            with self._lock:
                peak = dict(self.peak)
            cpu_after = self.cpu()
            for name, before in idle.items():
                top = max(peak.get(name, before), before)
                result[name] = {
                    "idle_mb": round(before / MB, 1),
                    "peak_mb": round(top / MB, 1),
                    "growth_mb": round((top - before) / MB, 1),
                    "cpu_s": round(cpu_after.get(name, 0.0) - cpu.get(name, 0.0), 3),
                }

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
