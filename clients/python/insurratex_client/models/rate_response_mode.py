from enum import StrEnum


class RateResponseMode(StrEnum):
    LIVE = "live"
    SIMULATION = "simulation"

    def __str__(self) -> str:
        return str(self.value)
