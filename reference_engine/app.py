"""The reference rating engine: a real HTTP service for dev, tests and benchmarks.

Routes: ``POST /v1/rate`` (JSON, Earnix-like), ``POST /ratabase/rate`` (XML,
Ratabase-like), ``GET /v1/companies`` (D&B-style lookup), ``GET`` / ``PUT
/v1/products/{product}/tables`` (a product's rating table), ``POST /v1/tables/import``
(the tables of a product's export document), ``GET /health``.
Latency and failure rate come from settings; tests force a fault on one request
with ``X-Engine-Fault: 503|500|400|timeout|garbage|oversized`` or add latency with
``X-Engine-Latency-Ms``.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_engine.companies import find_company
from reference_engine.rating import (
    ProductTable,
    RatingRequestError,
    built_in_tables,
    parse_request,
    rate,
    rate_lines,
)
from reference_engine.settings import EngineSettings
from reference_engine.store import TableError, TableStore, read_tables, tables_in_export
from reference_engine.xml_protocol import read_xml_request, xml_answer, xml_error

JSON = "application/json"
XML = "application/xml"
ENGINE_HEADER = ((b"x-rating-engine", b"irx-reference"),)


def _json(content: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type=JSON)


def _json_error(status: int, code: str, message: str, details: Any = None) -> Response:
    return _json({"error": {"code": code, "message": message, "details": details or {}}}, status)


class Behaviour:
    """Latency and injected failures, from settings and per-request headers."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.random = random.Random(settings.seed)

    async def apply(self, request: Request, xml: bool = False) -> Response | None:
        latency = float(request.headers.get("x-engine-latency-ms", self.settings.latency_ms))
        if self.settings.latency_jitter_ms:
            jitter = self.settings.latency_jitter_ms
            latency = max(0.0, latency + self.random.uniform(-jitter, jitter))
        if latency:
            await asyncio.sleep(latency / 1000)
        fault = request.headers.get("x-engine-fault")
        if fault is None and self.random.random() < self.settings.failure_rate:
            fault = "503"
        if fault is None:
            return None
        if fault == "timeout":
            await asyncio.sleep(30)
            fault = "503"
        if fault == "garbage":
            return Response(b"\x00<<not a rating>>", media_type=XML if xml else JSON)
        if fault == "oversized":  # an answer without end, streamed: the reader must stop it
            return StreamingResponse(_endless(), media_type=XML if xml else JSON)
        status = int(fault) if fault.isdigit() else 500
        if xml:
            return Response(xml_error("FAULT", f"Injected fault {status}."), status, media_type=XML)
        return _json_error(status, "FAULT", f"Injected fault {status}.")


class EngineHeader:
    """Names this engine on every answer (``X-Rating-Engine``), so the platform's
    metrics can tell calls to the reference engine (a mock) from real ones."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *ENGINE_HEADER]
            await send(message)

        await self.app(scope, receive, named)


def _xml_message(exc: RatingRequestError) -> str:
    """The refusal's message, with the first problems the JSON protocol would list."""
    problems = exc.details.get("problems")
    if not problems:
        return exc.message
    named = "; ".join(f"{p['path'] or 'request'}: {p['message']}" for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return f"{exc.message} {named}{more}."


async def _endless() -> AsyncIterator[bytes]:
    chunk = b" " * (1 << 20)
    for _ in range(4096):  # 4 GiB, if nobody stops reading
        yield chunk


async def _chunks(answer: Iterator[bytes]) -> AsyncIterator[bytes]:
    # Each chunk takes a few milliseconds to make: not worth a thread hop apiece.
    for chunk in answer:
        yield chunk


def load_tables(settings: EngineSettings, store: TableStore) -> dict[str, ProductTable]:
    """The built-in tables, then those of ``IRX_ENGINE_TABLES_FILE`` ({product: table}),
    then those set through the API before (``IRX_ENGINE_STORE_PATH``)."""
    tables = built_in_tables()
    if settings.tables_file is not None:
        tables.update(read_tables(settings.tables_file))
    tables.update(store.saved)
    return tables


def create_app(settings: EngineSettings | None = None) -> Starlette:
    settings = settings or EngineSettings()
    behaviour = Behaviour(settings)
    store = TableStore(settings.store_path)
    tables = load_tables(settings, store)

    def keep(loaded: dict[str, ProductTable]) -> Response | None:
        """Saves ``loaded``, then rates with them; an answer when they could not be saved."""
        # Written here, without awaiting: two writes of the file never interleave.
        try:
            store.save(loaded)
        except OSError as exc:
            return _json_error(500, "STORE_FAILED", f"The tables could not be saved: {exc}.")
        tables.update(loaded)
        return None

    async def rate_json(request: Request) -> Response:
        if (fault := await behaviour.apply(request)) is not None:
            return fault
        try:
            data = orjson.loads(await request.body())
        except orjson.JSONDecodeError as exc:
            return _json_error(400, "MALFORMED_JSON", f"The body is not JSON: {exc}.")
        try:
            return _json(rate(parse_request(data), tables))
        except RatingRequestError as exc:
            return _json_error(422, "RATING_ERROR", exc.message, exc.details)

    async def rate_xml(request: Request) -> Response:
        if (fault := await behaviour.apply(request, xml=True)) is not None:
            return fault
        try:
            rating = rate_lines(
                await read_xml_request(request.stream(), settings.max_xml_bytes), tables
            )
        except RatingRequestError as exc:
            return Response(xml_error("RATING_ERROR", _xml_message(exc)), 400, media_type=XML)
        return StreamingResponse(_chunks(xml_answer(rating)), media_type=XML)

    async def companies(request: Request) -> Response:
        if (fault := await behaviour.apply(request)) is not None:
            return fault
        company = find_company(request.query_params.get("duns"), request.query_params.get("name"))
        if company is None:
            return _json_error(404, "NOT_FOUND", "No company matches.")
        return _json(company)

    async def product_table(request: Request) -> Response:
        product = request.path_params["product"]
        if request.method == "PUT":
            try:
                given = ProductTable.model_validate(orjson.loads(await request.body()))
            except (orjson.JSONDecodeError, ValidationError) as exc:
                return _json_error(422, "INVALID_TABLE", f"Not a rating table: {exc}.")
            if (failed := keep({product: given})) is not None:
                return failed
        table = tables.get(product)
        if table is None:
            return _json_error(404, "NOT_FOUND", f"No table for product '{product}'.")
        return _json(table.model_dump(mode="json", by_alias=True))

    async def import_tables(request: Request) -> Response:
        try:
            document = orjson.loads(await request.body())
        except orjson.JSONDecodeError as exc:
            return _json_error(400, "MALFORMED_JSON", f"The body is not JSON: {exc}.")
        try:
            loaded = tables_in_export(document)
        except TableError as exc:
            return _json_error(422, exc.code, exc.message, exc.details)
        if (failed := keep(loaded)) is not None:
            return failed
        return _json({"loaded": list(loaded)})

    async def health(_: Request) -> Response:
        return _json({"status": "healthy", "engine": "irx-reference"})

    return Starlette(
        middleware=[Middleware(EngineHeader)],
        routes=[
            Route("/v1/rate", rate_json, methods=["POST"]),
            Route("/ratabase/rate", rate_xml, methods=["POST"]),
            Route("/v1/companies", companies, methods=["GET"]),
            Route("/v1/products/{product}/tables", product_table, methods=["GET", "PUT"]),
            Route("/v1/tables/import", import_tables, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ],
    )
