"""Every Temporal payload encrypted with AES-256-GCM, so history holds no readable policy data.

An encrypted payload carries ``encoding: binary/encrypted`` (the Temporal samples'
convention) and ``encryption-key-id: <kid>`` in its metadata, and as its data the
whole serialized inner ``Payload`` (its own metadata included) sealed under that key:
``nonce | ciphertext | tag``. The keys are ``IRX_TEMPORAL__PAYLOAD_KEYS``, in the
keyring format of ``IRX_SECRET_KEYS`` (``store/sealing.py``): the first encrypts, all
decrypt, so a key is rotated by putting a new one first and dropping the old one only
once no history still needs it (``docs/security.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from store.sealing import Keyring, SealError

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"

__all__ = [
    "ENCODING",
    "KEY_ID",
    "EncryptionCodec",
    "UnknownPayloadKey",
    "is_encrypted",
]


class UnknownPayloadKey(SealError):
    """A payload encrypted with a key this process is not configured with."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            f"a payload is encrypted with key {key_id!r}, which IRX_TEMPORAL__PAYLOAD_KEYS lacks"
        )
        self.key_id = key_id


def is_encrypted(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == ENCODING


class EncryptionCodec(PayloadCodec):
    """Encrypts with the keyring's active key; decrypts with the key a payload names.

    No associated data binds a payload to its place: the server copies payloads from
    one event or workflow to another (an activity's result into the workflow, a
    continue-as-new's input, a reset), and the codec server decodes them knowing
    nothing of where they came from. The format is the one of Temporal's encryption
    sample, so its tools open these payloads given the key.
    """

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        kid, data = self.keyring.encrypt(payload.SerializeToString())
        return Payload(metadata={"encoding": ENCODING, KEY_ID: kid.encode()}, data=data)

    def decrypt(self, payload: Payload) -> Payload:
        """The inner payload; one not marked encrypted (written before a key was
        configured) passes through unchanged.

        Raises:
            UnknownPayloadKey: the payload's key is not configured here.
            SealError: the payload was tampered with.
        """
        if not is_encrypted(payload):
            return payload
        kid = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        if kid not in self.keyring:
            raise UnknownPayloadKey(kid)
        try:
            plain = self.keyring.decrypt(kid, payload.data)
        except SealError as exc:
            raise SealError(
                f"a payload encrypted with key {kid!r} does not open (tampered or truncated)"
            ) from exc
        inner = Payload()
        try:
            inner.ParseFromString(plain)
        except DecodeError as exc:  # authentic, so only a foreign writer gets here
            raise SealError(f"a payload encrypted with key {kid!r} is not a payload") from exc
        return inner
