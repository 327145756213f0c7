"""What a drill's callers were told, checked against the records and the events.

The invariants (docs/reliability.md): a caller answered 200 holds the rating its record
holds; a caller told 408 or 5xx either has no completed rating or was told where it is
(``transactionId`` and ``Location``); a retry with the same Idempotency-Key answers the
key's one transaction instead of rating again; a completed transaction has exactly one
event id in the stream, any other none.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faults.topology import Topology

RETRYABLE = {0, 429, 503}  # 0: no answer at all (the connection failed)


@dataclass
class Answer:
    key: str
    status: int
    body: dict[str, Any]
    location: str | None = None
    replayed: bool = False  # the key's transaction existed before this request

    @property
    def transaction_id(self) -> str | None:
        found = self.body.get("transactionId") or (
            self.body.get("error", {}).get("details", {}).get("transactionId")
        )
        return str(found) if found else None


async def rate(client: httpx.AsyncClient, product: str, key: str, body: bytes) -> Answer:
    """One rating with ``key``; a failed connection is an answer too (status 0)."""
    try:
        response = await client.post(
            f"/api/v1/{product}/rate",
            content=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )
    except httpx.TransportError as exc:
        return Answer(key, 0, {"transport": repr(exc)})
    return Answer(
        key,
        response.status_code,
        response.json(),
        response.headers.get("location"),
        response.headers.get("x-idempotent-replayed") == "true",
    )


async def rate_until_answered(
    client: httpx.AsyncClient, product: str, key: str, body: bytes, seconds: float = 60
) -> Answer:
    """A client's retries with the same key, while the platform says to retry."""
    deadline = time.monotonic() + seconds
    while True:
        answer = await rate(client, product, key, body)
        if answer.status not in RETRYABLE or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.5)


@dataclass
class Ledger:
    requests: int = 0
    told: Counter[int] = field(default_factory=Counter)  # first answers, by status
    completed: int = 0
    told_where: int = 0  # callers answered 408/5xx with the transaction's place
    disagreements: list[str] = field(default_factory=list)
    duplicate_events: int = 0
    lost: list[str] = field(default_factory=list)

    def figures(self) -> str:
        told = ", ".join(
            f"{n} x {status or 'no answer'}" for status, n in sorted(self.told.items())
        )
        return (
            f"requests {self.requests} ({told}), completed {self.completed}, told where "
            f"{self.told_where}, disagreements {len(self.disagreements)}, duplicate events "
            f"{self.duplicate_events}, lost {len(self.lost)}"
        )


async def settle(client: httpx.AsyncClient, seconds: float = 90) -> None:
    """Until no transaction is running (or the drill fails)."""
    deadline = time.monotonic() + seconds
    running: list[Any] = []
    while time.monotonic() < deadline:
        try:
            answer = await client.get("/api/v1/transactions", params={"status": "running"})
            if answer.status_code == 200:
                running = answer.json()["items"]
                if not running:
                    return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.5)
    ids = [r["transactionId"] for r in running]
    raise AssertionError(f"transactions still running after {seconds} s: {ids}")


async def audit(topology: Topology, product: str, body: bytes, answers: list[Answer]) -> Ledger:
    """Retries every key, waits for the events owed, and checks the invariants."""
    ledger = Ledger(requests=len(answers), told=Counter(a.status for a in answers))
    async with topology.client() as client:
        await settle(client)
        finals = [await rate_until_answered(client, product, a.key, body) for a in answers]
        await settle(client)
        records: dict[str, dict[str, Any]] = {}
        for final in finals:
            if final.transaction_id is None:
                ledger.lost.append(f"{final.key}: retry answered {final.status} {final.body}")
                continue
            stored = await client.get(f"/api/v1/transactions/{final.transaction_id}")
            records[final.key] = stored.json()
    owed = {r["transactionId"] for r in records.values() if r["status"] == "completed"}
    events = await _events_owed(topology, owed)
    per_transaction = Counter(e["transactionId"] for e in events)
    per_id = Counter(e["eventId"] for e in events)
    ledger.duplicate_events = sum(n - 1 for n in per_id.values())
    for first, final in zip(answers, finals, strict=True):
        record = records.get(first.key)
        if record is None:
            continue
        ledger.completed += record["status"] == "completed"
        ledger.told_where += first.status not in (0, 200) and first.location is not None
        ledger.disagreements += _disagreements(first, final, record)
        ids = {e["eventId"] for e in events if e["transactionId"] == record["transactionId"]}
        wanted = 1 if record["status"] == "completed" else 0
        if len(ids) != wanted:
            ledger.disagreements.append(
                f"{first.key}: {record['status']} with {len(ids)} event ids "
                f"({per_transaction[record['transactionId']]} entries)"
            )
    return ledger


def _disagreements(first: Answer, final: Answer, record: dict[str, Any]) -> list[str]:
    found = []
    key, status = first.key, record["status"]
    if final.status == 200 and final.body.get("status") != status:
        found.append(f"{key}: the retry answered {final.body.get('status')}, the record {status}")
    if first.transaction_id and first.transaction_id != record["transactionId"]:
        found.append(f"{key}: two transactions ({first.transaction_id}, {final.transaction_id})")
    if first.status == 200:
        if first.body.get("status") != status or first.body.get("result") != record["result"]:
            found.append(f"{key}: answered {first.body.get('status')}, recorded {status}")
    elif first.status != 0 and status == "completed":
        told = (
            first.transaction_id
            and first.location == f"/api/v1/transactions/{first.transaction_id}"
        )
        if not told and final.replayed:  # its request made the rating, yet it was not told
            found.append(f"{key}: told {first.status} without where its rating is")
    return found


async def _events_owed(topology: Topology, owed: set[str], seconds: float = 30) -> list[Any]:
    """The stream, once every completed transaction's event is in it (or time is up)."""
    deadline = time.monotonic() + seconds
    while True:
        events = topology.events()
        if owed <= {e["transactionId"] for e in events} or time.monotonic() > deadline:
            return events
        await asyncio.sleep(0.3)
