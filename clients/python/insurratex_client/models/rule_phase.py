from enum import StrEnum


class RulePhase(StrEnum):
    POST_RATING = "post_rating"
    PRE_RATING = "pre_rating"

    def __str__(self) -> str:
        return str(self.value)
