"""A step's RetrySpec is the one source of its Temporal retry policy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.flow import RetrySpec


def test_policy_follows_the_spec() -> None:
    spec = RetrySpec(max_attempts=4, initial_interval_ms=50, backoff=3.0, max_interval_ms=900)
    policy = spec.policy(["VALIDATION_FAILED"])
    assert policy.maximum_attempts == 4
    assert policy.initial_interval == timedelta(milliseconds=50)
    assert policy.backoff_coefficient == 3.0
    assert policy.maximum_interval == timedelta(milliseconds=900)
    assert policy.non_retryable_error_types == ["VALIDATION_FAILED"]


def test_attempts_made_in_a_batch_count_against_the_spec() -> None:
    spec = RetrySpec(max_attempts=3)
    assert spec.policy([], attempts_used=1).maximum_attempts == 2
    with pytest.raises(ValueError, match="all 3 attempts"):
        spec.policy([], attempts_used=3)
