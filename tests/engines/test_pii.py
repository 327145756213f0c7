"""Personal data masked in text and documents."""

from __future__ import annotations

from engines.pii import MASK, Masker, luhn


def test_text_loses_emails_ssns_cards_phones_and_named_fields() -> None:
    masker = Masker(["ssn", "dateOfBirth"])
    text = (
        "jane.doe@example.com 123-45-6789 4111 1111 1111 1111 +1 (555) 123-4567 "
        '{"dateOfBirth": "1980-01-02"} ssn=999 quote Q-2026-0001 premium 12893.69'
    )
    masked = masker.text(text)
    for secret in ("jane.doe", "123-45-6789", "4111", "555", "1980-01-02", "999"):
        assert secret not in masked
    assert "Q-2026-0001" in masked
    assert "12893.69" in masked


def test_only_card_numbers_that_pass_luhn_are_masked() -> None:
    assert luhn("4111111111111111")
    assert not luhn("1234567890123456")
    assert Masker().text("card 1234 5678 9012 3456") == "card 1234 5678 9012 3456"


def test_documents_are_masked_field_by_field() -> None:
    doc = {"insured": {"ssn": 123456789, "email": "a@b.io", "name": "Acme"}, "premium": 100}
    assert Masker(["ssn"]).document(doc) == {
        "insured": {"ssn": MASK, "email": MASK, "name": "Acme"},
        "premium": 100,
    }
