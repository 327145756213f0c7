"""Masks personal data in text and documents: emails, SSNs, card numbers that pass the
Luhn check, phone numbers, and the values of fields named as sensitive.

Used on every log line, on the step records and error kept with transactions, and on
a run's answer to its caller (which must say what the record says), so none carries an
insured's personal data whatever a step or an error message quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from models.rating import RatingOutcome

M = TypeVar("M", bound=BaseModel)

MASK = "***"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_PHONE = re.compile(r"(?<![\w.])(?:\+?\d{1,3}[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}\b")


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return MASK if 13 <= len(digits) <= 19 and luhn(digits) else match.group()


class Masker:
    """Masks text, and documents field by field; ``fields`` names keys whose values are
    always masked (case-insensitive), whatever they hold."""

    def __init__(self, fields: Iterable[str] = ()) -> None:
        self.fields = frozenset(f.lower() for f in fields)
        names = "|".join(re.escape(f) for f in sorted(self.fields))
        # "ssn": "123", ssn=123, 'dob': '...' in free text (a JSON dump, a repr)
        self._named = (
            re.compile(
                rf"""(["']?\b(?:{names})\b["']?\s*[:=]\s*)(["'][^"']*["']|[^\s,;}}]+)""", re.I
            )
            if names
            else None
        )

    def text(self, value: str) -> str:
        value = _EMAIL.sub(MASK, value)
        value = _SSN.sub(MASK, value)
        value = _CARD.sub(_card, value)
        value = _PHONE.sub(MASK, value)
        if self._named is not None:
            value = self._named.sub(lambda m: m.group(1) + MASK, value)
        return value

    def document(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                k: MASK if str(k).lower() in self.fields else self.document(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.document(v) for v in value]
        return value

    def model(self, value: M) -> M:
        """A copy of a model (a step record, a run error) with its fields masked."""
        return type(value).model_validate(self.document(value.model_dump(mode="json")))


def masked_outcome(masker: Masker, outcome: RatingOutcome) -> RatingOutcome:
    """A run's outcome as it is kept and as its caller is answered: its step records and
    error masked (they quote the request); the result, the rating itself, as it is."""
    steps = [masker.model(step) for step in outcome.steps]
    error = None if outcome.error is None else masker.model(outcome.error)
    return outcome.model_copy(update={"steps": steps, "error": error})
