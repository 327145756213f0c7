"""The payload codec: AES-256-GCM per payload, keys rotated, old histories still read."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload

from models.rating import RunContext
from models.settings import TemporalSettings
from store.sealing import Keyring, SealError
from workers.client import DATA_CONVERTER, SharedPayloadConverter, data_converter
from workers.codec import ENCODING, KEY_ID, EncryptionCodec, UnknownPayloadKey

OLD, NEW = Keyring.new_key("k1"), Keyring.new_key("k2")


def payload(value: object) -> Payload:
    return DATA_CONVERTER.payload_converter.to_payloads([value])[0]


async def test_a_payload_round_trips_and_its_bytes_say_nothing() -> None:
    codec = EncryptionCodec(Keyring.parse(OLD))
    plain = payload({"vin": "1HGCM82633A004352", "insured": "Jane Roe"})
    [sealed] = await codec.encode([plain])
    assert sealed.metadata == {"encoding": ENCODING, KEY_ID: b"k1"}
    assert b"1HGCM82633A004352" not in sealed.SerializeToString()
    assert b"json/plain" not in sealed.SerializeToString()  # the inner metadata too
    assert await codec.decode([sealed]) == [plain]
    # A fresh nonce each time: the same value never encrypts alike.
    [again] = await codec.encode([plain])
    assert again.data != sealed.data


async def test_a_payload_sealed_with_the_old_key_opens_after_rotation() -> None:
    [sealed] = await EncryptionCodec(Keyring.parse(OLD)).encode([payload("policy")])
    rotated = EncryptionCodec(Keyring.parse(f"{NEW},{OLD}"))
    assert await rotated.decode([sealed]) == [payload("policy")]
    [resealed] = await rotated.encode([payload("policy")])
    assert resealed.metadata[KEY_ID] == b"k2"


async def test_an_unknown_key_id_is_named() -> None:
    [sealed] = await EncryptionCodec(Keyring.parse(OLD)).encode([payload("policy")])
    with pytest.raises(UnknownPayloadKey, match="'k1'") as raised:
        await EncryptionCodec(Keyring.parse(NEW)).decode([sealed])
    assert raised.value.key_id == "k1"


async def test_tampered_or_truncated_data_does_not_open() -> None:
    codec = EncryptionCodec(Keyring.parse(OLD))
    [sealed] = await codec.encode([payload("policy")])
    flipped = bytearray(sealed.data)
    flipped[20] ^= 1
    for data in (bytes(flipped), sealed.data[:20], b""):
        forged = Payload(metadata=sealed.metadata, data=data)
        with pytest.raises(SealError, match="'k1' does not open"):
            await codec.decode([forged])


async def test_payloads_written_before_a_key_was_configured_pass_through() -> None:
    codec = EncryptionCodec(Keyring.parse(OLD))
    plain = [payload({"a": 1}), payload(None), Payload(metadata={"encoding": b"binary/null"})]
    assert await codec.decode(plain) == plain


async def test_the_settings_choose_the_data_converter() -> None:
    assert data_converter(TemporalSettings()) is DATA_CONVERTER
    converter = data_converter(TemporalSettings(payload_keys=SecretStr(f"{NEW},{OLD}")))
    assert isinstance(converter.payload_codec, EncryptionCodec)
    assert converter.payload_converter_class is SharedPayloadConverter
    [sealed] = await converter.encode([{"vin": "1HGCM82633A004352"}])
    assert sealed.metadata[KEY_ID] == b"k2"
    assert await converter.decode([sealed]) == [{"vin": "1HGCM82633A004352"}]
    with pytest.raises(ValueError, match="not 32"):
        data_converter(TemporalSettings(payload_keys=SecretStr("k1:c2hvcnQ")))


async def test_one_payload_converter_serves_every_copy_of_the_data_converter() -> None:
    # The SDK copies the data converter for every payload (external storage): each copy
    # must not build its own converter and cache of type adapters.
    assert SharedPayloadConverter() is SharedPayloadConverter()
    run = RunContext(
        transaction_id="t",
        organization_id="o",
        product_code="IMCE",
        endpoint="rate",
        flow_version=1,
        correlation_id="c",
    )
    copy = dataclasses.replace(DATA_CONVERTER)
    assert await copy.decode(await copy.encode([run]), [RunContext]) == [run]
