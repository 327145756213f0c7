"""Rating events as CloudEvents 1.0: what receivers' CloudEvents SDKs read.

The platform's event (``publish_event``'s dict) is the CloudEvent's ``data``; its id is
the CloudEvent's ``id`` (stable across deliveries, so receivers still de-duplicate on it),
its transaction the ``subject``. Over HTTP and Kafka the binary mode carries the
attributes as headers and the event itself as the body, so a receiver reading the body
as before reads the same bytes; the Redis stream and the event log carry the structured
mode (one JSON object, ``data`` inside) when the step's ``format`` is ``cloudevents``.
"""

from __future__ import annotations

from typing import Any

SPEC_VERSION = "1.0"
TYPE_PREFIX = "com.insurratex."
JSON = "application/json"


def attributes(event: dict[str, Any]) -> dict[str, str]:
    """The CloudEvent's context attributes for one of the platform's events."""
    return {
        "specversion": SPEC_VERSION,
        "id": event["eventId"],
        "source": (
            f"/organizations/{event['organizationId']}/products/{event['productCode']}"
            f"/{event['endpoint']}"
        ),
        "type": TYPE_PREFIX + event["type"],
        "subject": event["transactionId"],
        "time": event["occurredAt"],
        "datacontenttype": JSON,
    }


def structured(event: dict[str, Any]) -> dict[str, Any]:
    """The structured mode: the attributes and the event as ``data``, one JSON object."""
    return {**attributes(event), "data": event}


def http_headers(event: dict[str, Any]) -> dict[str, str]:
    """The binary mode's HTTP headers (``ce-`` attributes; the body is the event)."""
    headers = {f"ce-{name}": value for name, value in attributes(event).items()}
    headers["Content-Type"] = headers.pop("ce-datacontenttype")
    return headers


def kafka_headers(event: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The binary mode's Kafka headers (``ce_`` attributes, ``content-type``)."""
    headers = [
        (f"ce_{name}", value.encode())
        for name, value in attributes(event).items()
        if name != "datacontenttype"
    ]
    return [*headers, ("content-type", JSON.encode())]
