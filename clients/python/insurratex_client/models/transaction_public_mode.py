from enum import StrEnum


class TransactionPublicMode(StrEnum):
    LIVE = "live"
    SIMULATION = "simulation"

    def __str__(self) -> str:
        return str(self.value)
