"""Log lines of every platform process: JSON (or text), personal data masked.

A JSON line carries timestamp, level, logger, message, the work's correlation id,
organization, product and transaction (``models.log_context``), the current trace and
span ids when a span is active, and the exception if any. Every line, JSON or text,
goes through the masker (``engines.pii``): emails, SSNs, card numbers, phones and the
values of ``IRX_LOG_MASK_FIELDS`` never reach a log.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from opentelemetry import trace

from engines.pii import Masker
from models import log_context
from models.settings import Settings


class JsonFormatter(logging.Formatter):
    def __init__(self, masker: Masker) -> None:
        super().__init__()
        self.masker = masker

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": self.masker.text(record.getMessage()),
            **log_context.current(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["traceId"] = format(span.trace_id, "032x")
            entry["spanId"] = format(span.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.masker.text(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


class MaskingTextFormatter(logging.Formatter):
    def __init__(self, masker: Masker) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.masker = masker

    def format(self, record: logging.LogRecord) -> str:
        return self.masker.text(super().format(record))


def configure_logging(settings: Settings) -> None:
    """One handler on the root logger, for every platform process."""
    masker = Masker(settings.log_mask_fields)
    json_lines = settings.log_format == "json"
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(masker) if json_lines else MaskingTextFormatter(masker))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # One line per outgoing request is noise at INFO on the hot path.
    logging.getLogger("httpx").setLevel(logging.WARNING)
