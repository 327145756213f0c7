"""Admission's decision, on a clock the test moves."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from models.errors import ErrorCode, PlatformError
from services.admission import Admission


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_pile_of_runs_waited_on_is_seen_before_any_ends_late() -> None:
    clock = Clock()
    admission = Admission(clock=clock)
    for _ in range(5):  # five quick runs end within a second: about 5 a second
        admission.observe("org:P", 0.2)
        clock.now += 0.2
    with ExitStack() as waiting:
        for _ in range(24):  # 24 waited on drain in about 4.8 s: inside half of 10 s
            waiting.enter_context(admission.waiting("org:P"))
        admission.admit("org:P", 10.0)
        for _ in range(4):  # 28 would wait 5.6 s
            waiting.enter_context(admission.waiting("org:P"))
        with pytest.raises(PlatformError) as shed:
            admission.admit("org:P", 10.0)
        assert shed.value.code == ErrorCode.API_OVERLOADED
        assert shed.value.details["queuedMs"] > 5000
        admission.admit("org:Q", 10.0)  # another product is not held up
    clock.now += 0.5  # they ended (each observed): the pile is gone, the medians short
    admission.admit("org:P", 10.0)


def test_without_enough_recent_runs_nothing_is_shed() -> None:
    clock = Clock()
    admission = Admission(clock=clock)
    for _ in range(4):
        admission.observe("org:P", 9.0)
    with ExitStack() as waiting:
        for _ in range(100):
            waiting.enter_context(admission.waiting("org:P"))
        admission.admit("org:P", 10.0)
