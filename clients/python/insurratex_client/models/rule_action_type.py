from enum import StrEnum


class RuleActionType(StrEnum):
    ADD = "add"
    DISCOUNT = "discount"
    LOOKUP = "lookup"
    MULTIPLY = "multiply"
    REJECT = "reject"
    SET = "set"
    SURCHARGE = "surcharge"

    def __str__(self) -> str:
        return str(self.value)
