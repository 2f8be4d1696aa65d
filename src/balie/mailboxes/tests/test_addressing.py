from balie.mailboxes.addressing import (
    base_address,
    case_number_from_address,
    case_number_from_subject,
    new_message_id,
    reply_address,
    subject_with_token,
)


def test_reply_address_carries_the_case_number_and_reads_back():
    address = reply_address("info@zonnedaal.be", "C2026-000123")

    assert address == "info+C2026-000123@zonnedaal.be"
    assert case_number_from_address(address) == "C2026-000123"
    assert case_number_from_address("INFO+c2026-000123@zonnedaal.be") == "C2026-000123"
    assert base_address(address) == "info@zonnedaal.be"


def test_an_address_without_a_case_has_no_case_number():
    assert case_number_from_address("info@zonnedaal.be") is None
    assert case_number_from_address("info+nieuwsbrief@zonnedaal.be") is None
    assert case_number_from_address("") is None


def test_subject_token_survives_a_reply_prefix_and_retyping():
    subject = subject_with_token("Uw aanvraag", "C2026-000123")

    assert subject == "Uw aanvraag [C2026-000123]"
    assert subject_with_token(subject, "C2026-000123") == subject
    assert case_number_from_subject("RE: AW: " + subject) == "C2026-000123"
    assert case_number_from_subject("Antw: [Zaak c2026-000123] vraag") == "C2026-000123"
    assert case_number_from_subject("Bestelling C2026-000123 zonder haken") is None


def test_message_ids_are_unique_and_bracketed():
    first, second = new_message_id("zonnedaal.be"), new_message_id("zonnedaal.be")

    assert first != second
    assert first.startswith("<") and first.endswith("@zonnedaal.be>")
