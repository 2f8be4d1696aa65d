"""Validating a PDF's signatures with pyHanko's validator: who signed, when, whether the signed
bytes are intact, whether what came after is only more signatures, and whether the certificate
is trusted (against the roots given). poppler's pdfsig agrees."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from balie.documents.signing.pades import SignatureBlock, load_pkcs12, sign_pdf, validate_pdf

from .signing_fixtures import PASSWORD, letter_pdf, pdfsig


@pytest.fixture
def signed(seal) -> bytes:
    credentials = load_pkcs12(seal.pkcs12(PASSWORD), PASSWORD, label="het certificaat")
    return sign_pdf(letter_pdf(), credentials=credentials, block=SignatureBlock(name="Katrien Lambrechts"))


def test_a_signature_reports_signer_time_and_integrity(signed, test_root, tmp_path):
    [report] = validate_pdf(signed, trust_roots=[test_root.certificate])
    assert report.field_name == "Handtekening1"
    assert report.signer == "Gemeente Zonnedaal (test)"
    assert report.signed_at is not None
    assert report.timestamp is None  # B-B: no timestamp server configured
    assert (
        report.intact,
        report.valid,
        report.trusted,
        report.covers_whole_file,
        report.changes_allowed,
    ) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert report.summary == "Geldig: de inhoud is ongewijzigd en het certificaat is vertrouwd."
    assert "Signature Validation: Signature is Valid." in pdfsig(signed, tmp_path)


def test_without_the_root_the_signature_is_intact_but_not_trusted(signed):
    [report] = validate_pdf(signed, trust_roots=[])
    assert (report.intact, report.valid, report.trusted, report.ok) == (True, True, False, True)
    assert report.summary == (
        "De inhoud is ongewijzigd; het certificaat is niet uitgegeven door een vertrouwde instantie."
    )


def test_the_configured_trust_roots_are_used(settings, signed, test_root, tmp_path):
    path = tmp_path / "roots.pem"
    path.write_bytes(test_root.certificate_pem())
    settings.BALIE_SIGNING_TRUST_ROOTS = [str(path)]
    assert [r.trusted for r in validate_pdf(signed)] == [True]


def test_a_byte_changed_in_the_signed_part_breaks_the_signature(signed, test_root, tmp_path):
    position = signed.index(b"ReportLab")  # the document information, inside the signed bytes
    tampered = signed[:position] + b"ReportLax" + signed[position + 9 :]
    [report] = validate_pdf(tampered, trust_roots=[test_root.certificate])
    assert (report.intact, report.ok) == (False, False)
    assert report.summary.startswith("Ongeldig")
    assert "Signature is Valid." not in pdfsig(tampered, tmp_path)


def test_content_added_after_the_signature_is_reported(signed, test_root):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    overlay = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (Vervalst) Tj ET"))
    writer.add_stream_to_page(0, overlay)
    output = io.BytesIO()
    writer.write(output)
    [report] = validate_pdf(output.getvalue(), trust_roots=[test_root.certificate])
    assert (report.intact, report.valid, report.covers_whole_file, report.changes_allowed, report.ok) == (
        True,
        True,
        False,
        False,
        False,
    )
    assert report.summary == "Ongeldig: na deze handtekening werd de inhoud van het document gewijzigd."


def test_an_unsigned_pdf_has_no_signatures():
    assert validate_pdf(letter_pdf()) == []


def test_what_is_not_a_pdf_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_pdf(b"GIF89a")
    assert refused.value.messages == ["Dit bestand is geen PDF: alleen een PDF kan ondertekend worden."]
