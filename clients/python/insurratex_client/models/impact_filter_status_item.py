from enum import StrEnum


class ImpactFilterStatusItem(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
