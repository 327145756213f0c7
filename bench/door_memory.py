"""How much memory can a caller without a key make the API hold?

Against the running stack (``make run``): finds the API process by the port it
listens on, then sends, without a key, what the hostile-input review sent, and
prints the API's resident memory before each attack, the peak sampled while it
ran (every 10 ms) and the answer it got. Bounded: loopback only, one attack at a time.

    IRX_BENCH_URL=http://127.0.0.1:8000 .venv/bin/python -m bench.door_memory
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import httpx
import psutil

from bench.rating import API
from bench.stack import MB, RssSampler


def api_process(port: int) -> psutil.Process:
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(c.laddr.port == port and c.status == "LISTEN" for c in proc.net_connections()):
                return proc
        except psutil.Error:
            continue
    raise SystemExit(f"no process of this user listens on port {port}: start `make run`")


async def stream(megabytes: int) -> AsyncIterator[bytes]:
    yield b'{"code": "BIG", "name": "'
    for _ in range(megabytes):
        yield b"x" * MB
    yield b'"}'


async def post_big(http: httpx.AsyncClient, path: str, megabytes: int) -> str:
    try:
        answer = await http.post(path, content=stream(megabytes))
        return str(answer.status_code)
    except httpx.HTTPError as exc:
        return f"closed ({type(exc).__name__})"


async def raw(host: str, port: int, head: bytes, wait_s: float = 15) -> str:
    """Sends a request head by hand; the status line of the answer, if any came."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(head)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), wait_s)
        return line.decode(errors="replace").strip() or "closed"
    except (TimeoutError, ConnectionError) as exc:
        return f"no answer ({type(exc).__name__})"
    finally:
        writer.close()


async def main() -> None:
    url = urlsplit(API)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    proc = api_process(port)
    huge_header = b"GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nX-Note: " + b"x" * (100 * MB)
    no_body = (
        b"POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 400000000\r\n\r\n"
    )
    async with httpx.AsyncClient(base_url=API, timeout=60) as http:

        async def wrong_keys() -> str:
            async def one(i: int) -> int:
                headers = {"X-API-Key": f"irx_wrong-{i}"}
                return (await http.get("/api/v1/products", headers=headers)).status_code

            codes: list[int] = []
            for batch in range(4):
                codes += await asyncio.gather(*(one(batch * 50 + i) for i in range(50)))
            return " ".join(f"{c}x{codes.count(c)}" for c in sorted(set(codes)))

        attacks: list[tuple[str, Callable[[], Awaitable[str]]]] = [
            (
                "6 x 200 MB config bodies",
                lambda: _all(*(post_big(http, "/api/v1/products", 200) for _ in range(6))),
            ),
            ("200 MB rating body", lambda: post_big(http, "/api/v1/IMCE/rate", 200)),
            ("Content-Length 400 MB, no body", lambda: raw(host, port, no_body)),
            ("100 MB header", lambda: raw(host, port, huge_header)),
            ("200 wrong keys, 50 at a time", wrong_keys),
        ]
        print(f"API pid {proc.pid}, idle RSS {proc.memory_info().rss / MB:.1f} MB\n")
        print("| attack (no key) | RSS before MB | peak MB | peak - before MB | answer |")
        print("| --- | ---: | ---: | ---: | --- |")
        with RssSampler({"api": proc}, every_s=0.01) as sampler:
            for name, attack in attacks:
                with sampler.window() as memory:
                    answer = await attack()
                m = memory["api"]
                print(
                    f"| {name} | {m['idle_mb']:.1f} | {m['peak_mb']:.1f} | {m['growth_mb']:+.1f} "
                    f"| {answer} |"
                )


async def _all(*calls: Awaitable[str]) -> str:
    answers = await asyncio.gather(*calls)
    return " ".join(sorted(set(answers)))


if __name__ == "__main__":
    asyncio.run(main())
