"""Secrets sealed at rest with AES-256-GCM under a keyring: several keys, one active.

A sealed value reads ``irx1:<key id>:<base64url(nonce | ciphertext | tag)>``. Its
associated data names where it belongs (organization, system, field), so a sealed
value copied into another row does not open. Rotation: put a new key first in
``IRX_SECRET_KEYS`` (it seals from then on), keep the old ones after it (they still
open), run ``irx secrets reseal``, then drop the old keys.
"""

from __future__ import annotations

import base64
import os
import re
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr

PREFIX = "irx1:"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value that does not open: unknown key id, tampered, or moved elsewhere."""


class Keyring:
    """AES-256 keys by id; the first is the one that seals."""

    def __init__(self, keys: dict[str, bytes], active: str) -> None:
        if active not in keys:
            raise ValueError(f"the active key {active!r} is not in the keyring")
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.items()}
        self.active = active

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """``kid:base64key[,kid:base64key...]`` (32-byte keys), the first active.

        Raises:
            ValueError: naming what is wrong, never echoing a key.
        """
        keys: dict[str, bytes] = {}
        for index, item in enumerate(part.strip() for part in spec.split(",") if part.strip()):
            kid, sep, encoded = item.partition(":")
            if not sep or not _KEY_ID.match(kid):
                raise ValueError(f"secret key #{index + 1} is not 'id:base64key'")
            try:
                key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            except ValueError as exc:
                raise ValueError(f"secret key {kid!r} is not base64") from exc
            if len(key) != 32:
                raise ValueError(f"secret key {kid!r} is {len(key)} bytes, not 32")
            keys[kid] = key
        if not keys:
            raise ValueError("no secret key given")
        return cls(keys, next(iter(keys)))

    @staticmethod
    def new_key(kid: str) -> str:
        """A fresh ``kid:base64key`` entry for ``IRX_SECRET_KEYS``."""
        if not _KEY_ID.match(kid):
            raise ValueError("a key id is 1-32 letters, digits, '-' or '_'")
        return f"{kid}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip('=')}"

    def seal(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self.active].encrypt(nonce, plaintext.encode(), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}{self.active}:{body}"

    def open(self, value: str, context: str) -> str:
        kid, _, body = value.removeprefix(PREFIX).partition(":")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SealError(f"sealed with key {kid!r}, which is not in the keyring")
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        try:
            plain = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except InvalidTag as exc:
            raise SealError("a sealed value does not open here (tampered or moved)") from exc
        return plain.decode()

    def __contains__(self, kid: object) -> bool:
        return kid in self._ciphers

    def encrypt(self, plaintext: bytes, associated_data: bytes | None = None) -> tuple[str, bytes]:
        """Raw bytes sealed with the active key: its id, and ``nonce | ciphertext | tag``."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self.active].encrypt(nonce, plaintext, associated_data)
        return self.active, nonce + sealed

    def decrypt(self, kid: str, data: bytes, associated_data: bytes | None = None) -> bytes:
        """Opens what :meth:`encrypt` sealed with key ``kid``.

        Raises:
            SealError: the key is not in the keyring, or the data was tampered with.
        """
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SealError(f"sealed with key {kid!r}, which is not in the keyring")
        if len(data) < _NONCE_BYTES + 16:  # nonce and tag at least
            raise SealError(f"data sealed with key {kid!r} is truncated")
        try:
            return cipher.decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:], associated_data)
        except InvalidTag as exc:
            raise SealError(f"data sealed with key {kid!r} does not open (tampered)") from exc

    def sealed_by_active(self, value: str) -> bool:
        return value.startswith(f"{PREFIX}{self.active}:")


def keyring_from(spec: SecretStr | None) -> Keyring | None:
    """The keyring ``IRX_SECRET_KEYS`` describes, or None when it is not set."""
    return None if spec is None else Keyring.parse(spec.get_secret_value())


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)
