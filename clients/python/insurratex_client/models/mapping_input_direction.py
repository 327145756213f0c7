from enum import StrEnum


class MappingInputDirection(StrEnum):
    REQUEST = "request"
    RESPONSE = "response"

    def __str__(self) -> str:
        return str(self.value)
