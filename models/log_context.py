"""What every log line and span says about the work it belongs to: the request's
correlation id (and whether it calls a deprecated API version) and, once known, the
organization, product and transaction. Set where
the work starts (the API's middleware and rate route, a step's activity), read by the
log formatter; also set as ``irx.*`` attributes of the span under way, so a trace is
found by correlation id."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from opentelemetry import trace

# deprecated: "true" on a call of a deprecated API version (api/middleware.py).
FIELDS = ("correlation_id", "organization", "product", "transaction_id", "deprecated")
_values: dict[str, ContextVar[str | None]] = {
    name: ContextVar(f"irx_log_{name}", default=None) for name in FIELDS
}


@contextmanager
def bound(**values: str | None) -> Iterator[None]:
    """Log lines written inside carry ``values`` (names from ``FIELDS``)."""
    tokens = [(_values[name], _values[name].set(value)) for name, value in values.items()]
    _annotate(values)
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def bind(**values: str | None) -> None:
    """Sets ``values`` for the rest of the current task (a request handler)."""
    for name, value in values.items():
        _values[name].set(value)
    _annotate(values)


def _annotate(values: dict[str, str | None]) -> None:
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attributes({f"irx.{k}": v for k, v in values.items() if v is not None})


def current() -> dict[str, str]:
    return {name: value for name, var in _values.items() if (value := var.get()) is not None}
