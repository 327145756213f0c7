from enum import StrEnum


class SystemWriteKind(StrEnum):
    ENRICHMENT = "enrichment"
    EVENT_SINK = "event_sink"
    RATING_ENGINE = "rating_engine"
    SOURCE = "source"

    def __str__(self) -> str:
        return str(self.value)
