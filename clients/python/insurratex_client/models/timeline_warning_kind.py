from enum import StrEnum


class TimelineWarningKind(StrEnum):
    GAP = "gap"
    OVERLAP = "overlap"

    def __str__(self) -> str:
        return str(self.value)
