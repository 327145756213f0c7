"""API keys: generated once, stored only as a SHA-256 hash with a visible prefix."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "irx_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Keys are 256-bit random tokens, so a plain SHA-256 is not brute-forceable
    # and keeps the lookup on every request a single indexed equality match.
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    return key[:12]
