from enum import StrEnum


class TransactionSummaryMode(StrEnum):
    LIVE = "live"
    SIMULATION = "simulation"

    def __str__(self) -> str:
        return str(self.value)
