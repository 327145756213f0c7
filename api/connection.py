"""The API's HTTP connections: uvicorn's h11 protocol, with a deadline for each request head.

uvicorn bounds how much of a head it buffers (``h11_max_incomplete_event_size``) but
not how long it waits for one: a client that connects and sends nothing, or sends its
request line a byte at a time, held its connection for as long as it liked. Here the
head (request line and headers) must be complete within ``header_timeout_s``, counted
from the connection's start or, on a kept-alive connection, from the end of the
previous response. Past it:

* a part of a head received: ``408 REQUEST_TIMEOUT`` in the standard envelope, then
  the connection is closed;
* nothing received on a new connection: it is closed, no answer (no request to answer);
* nothing received since a response: left to uvicorn's ``timeout_keep_alive``, which
  closes an idle kept-alive connection as before (5 s, under the default deadline);
  should a head begin before it does, the deadline counts from its first byte;
* an answered request whose body still arrives (the app answered early, a 401 or 413):
  the connection is closed.

Once a head is complete the clock stops: the body is the app's (``api.guard``'s idle
timeout), and the answer takes as long as the run does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import cast

import h11
import orjson
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.middleware import API_HEADERS, SECURITY_HEADERS
from models import log_context
from models.errors import ErrorBody, ErrorCode, ErrorEnvelope
from models.tables import utcnow

log = logging.getLogger(__name__)


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol; ``header_timeout_s`` is set by :meth:`bounded`."""

    header_timeout_s: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    @classmethod
    def bounded(cls, header_timeout_s: float) -> type[HeadTimeoutProtocol]:
        """The protocol class for uvicorn's ``http=`` option, with this deadline."""
        return cast(
            type[HeadTimeoutProtocol],
            type(cls.__name__, (cls,), {"header_timeout_s": header_timeout_s}),
        )

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_head_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_clock()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # The first byte of a head on a connection idle past its deadline starts the clock.
        if self._head_timer is None and self.conn.their_state is h11.IDLE:
            self._start_head_clock()
        super().data_received(data)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a head arrived: its request is under way
            self._stop_head_clock()

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        self._stop_head_clock()
        super().handle_websocket_upgrade(event)

    def on_response_complete(self) -> None:
        # Started before uvicorn looks for a pipelined request, which stops it again.
        if not self.transport.is_closing():
            self._start_head_clock()
        super().on_response_complete()

    def _start_head_clock(self) -> None:
        self._stop_head_clock()
        self._head_timer = self.loop.call_later(self.header_timeout_s, self._head_timed_out)

    def _stop_head_clock(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        waiting = self.conn.their_state is h11.IDLE
        received = bool(self.conn.trailing_data[0])
        if waiting and not received and self.timeout_keep_alive_task is not None:
            # Idle between requests: uvicorn's keep-alive timeout closes it, and a head
            # that begins before it does has the whole deadline from its first byte.
            return
        if waiting and received and self.conn.our_state is h11.IDLE:
            self._send_408()
        with contextlib.suppress(h11.LocalProtocolError):
            self.conn.send(h11.ConnectionClosed())
        self.transport.close()

    def _send_408(self) -> None:
        """The standard envelope (there is no request, so no app, to write it)."""
        correlation_id = str(uuid.uuid4())
        message = f"The request head did not arrive within {self.header_timeout_s:g} s."
        error = ErrorBody(
            code=ErrorCode.REQUEST_TIMEOUT,
            message=message,
            details={"headerTimeoutS": self.header_timeout_s},
            correlation_id=correlation_id,
            timestamp=utcnow(),
        )
        body = orjson.dumps(ErrorEnvelope(error=error).model_dump(mode="json"))
        headers = [
            *self.server_state.default_headers,
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            (b"x-correlation-id", correlation_id.encode()),
            (b"x-request-id", correlation_id.encode()),
            *SECURITY_HEADERS,
            *API_HEADERS,
        ]
        response = h11.Response(status_code=408, headers=headers, reason=b"Request Timeout")
        self.transport.write(self.conn.send(response) + self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        with log_context.bound(correlation_id=correlation_id):
            log.info("request head incomplete: answered 408 %s: %s", error.code, message)
