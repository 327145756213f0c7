"""What the platform's data converter costs plain Temporal: the flow's shape (``bench.plain``)
run with the SDK's default converter, then with the platform's (pydantic, then with the
payload codec, then with external storage too), closed loop, against a running stack's
Temporal server (``make run``). Prints the CPU per run of this process (client and
worker) and of the server, each converter twice, interleaved: the machine is noisy.

    IRX_BENCH_TEMPORAL=127.0.0.1:7233 IRX_BENCH_RUNS=300 .venv/bin/python -m bench.plain_converters
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

import psutil
from pydantic import SecretStr
from temporalio.converter import DataConverter

from bench.plain import PlainTemporal
from bench.rating import CONCURRENCY, ROOT, RUNS
from models.settings import TemporalSettings
from store.blobs import DiskBlobStore
from store.sealing import Keyring
from workers.client import DATA_CONVERTER, data_converter

TEMPORAL = os.environ.get("IRX_BENCH_TEMPORAL", "127.0.0.1:7233")
# The IMCE flow's shape: seven local steps, the engine and the publish regular.
IMCE = [True, True, True, True, False, True, True, True, False]


def server_process(address: str) -> psutil.Process:
    port = address.rsplit(":", 1)[1]
    for proc in psutil.process_iter(["cmdline"]):
        command = " ".join(proc.info["cmdline"] or [])
        if "temporal" in command and "start-dev" in command and f"--port {port}" in command:
            return proc
    raise SystemExit(f"no Temporal dev server on port {port}: start the stack first")


async def cpu_per_run(
    converter: DataConverter | None, server: psutil.Process
) -> tuple[float, float]:
    """Client and worker, and server, CPU ms per run of the flow's shape."""
    body = (ROOT / "docs/examples/IMCE-rate-request.json").read_bytes()
    async with PlainTemporal(TEMPORAL, IMCE, converter) as plain:
        for _ in range(20):
            await plain.once(body)
        me, left = psutil.Process(), RUNS

        async def loop() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                await plain.once(body)

        mine, theirs = sum(me.cpu_times()[:2]), sum(server.cpu_times()[:2])
        await asyncio.gather(*(loop() for _ in range(CONCURRENCY)))
        mine, theirs = sum(me.cpu_times()[:2]) - mine, sum(server.cpu_times()[:2]) - theirs
    return mine * 1000 / RUNS, theirs * 1000 / RUNS


async def main() -> None:
    server = server_process(TEMPORAL)
    keys = TemporalSettings(address=TEMPORAL, payload_keys=SecretStr(Keyring.new_key("bench")))
    blobs = DiskBlobStore(Path(tempfile.mkdtemp(prefix="irx-bench-")))
    converters: dict[str, DataConverter | None] = {
        "SDK default (JSON)": None,
        "pydantic": DATA_CONVERTER,
        "pydantic + codec": data_converter(keys),
        "pydantic + codec + external storage": data_converter(keys, blobs),
    }
    print(f"{RUNS} runs of the IMCE shape, {CONCURRENCY} clients")
    print(f"{'converter':<40}{'client+worker ms':>18}{'server ms':>12}")
    for _ in range(2):
        for name, converter in converters.items():
            started = time.perf_counter()
            mine, theirs = await cpu_per_run(converter, server)
            took = time.perf_counter() - started
            print(f"{name:<40}{mine:>18.1f}{theirs:>12.1f}   ({took:.0f} s)")


if __name__ == "__main__":
    asyncio.run(main())
