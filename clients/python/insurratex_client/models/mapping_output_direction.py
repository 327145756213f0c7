from enum import StrEnum


class MappingOutputDirection(StrEnum):
    REQUEST = "request"
    RESPONSE = "response"

    def __str__(self) -> str:
        return str(self.value)
