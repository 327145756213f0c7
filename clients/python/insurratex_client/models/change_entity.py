from enum import StrEnum


class ChangeEntity(StrEnum):
    FLOW = "flow"
    MAPPING = "mapping"
    PRODUCT = "product"
    RULE = "rule"

    def __str__(self) -> str:
        return str(self.value)
