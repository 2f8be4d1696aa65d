"""PAdES B-T: with a timestamp server configured (here the demo platform's RFC 3161 service), each
signature carries a timestamp token, which the validator reads and pdfsig accepts."""

from __future__ import annotations

import pytest

from balie.documents.signing.pades import SignatureBlock, load_pkcs12, sign_pdf, timestamper, validate_pdf

from .signing_fixtures import PASSWORD, letter_pdf, pdfsig

pytestmark = pytest.mark.django_db


def test_a_signature_with_a_timestamp(settings, platform, seal, test_root, tmp_path):
    settings.BALIE_SIGNING_TSA_URL = platform.tsa_url
    credentials = load_pkcs12(seal.pkcs12(PASSWORD), PASSWORD, label="het certificaat")
    signed = sign_pdf(
        letter_pdf(),
        credentials=credentials,
        block=SignatureBlock(name="Katrien Lambrechts"),
        time_stamper=timestamper(),
    )
    [report] = validate_pdf(signed, trust_roots=[test_root.certificate, platform.root.certificate])
    assert report.timestamp is not None
    assert abs((report.timestamp - report.signed_at).total_seconds()) < 60
    assert (report.intact, report.valid, report.trusted) == (True, True, True)
    assert "Signature Validation: Signature is Valid." in pdfsig(signed, tmp_path)


def test_a_timestamp_server_that_is_down_signs_nothing(settings, seal):
    from django.core.exceptions import ValidationError

    settings.BALIE_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    settings.BALIE_SIGNING_TSA_TIMEOUT = 1.0
    credentials = load_pkcs12(seal.pkcs12(PASSWORD), PASSWORD, label="het certificaat")
    with pytest.raises(ValidationError) as refused:
        sign_pdf(
            letter_pdf(), credentials=credentials, block=SignatureBlock(name="K"), time_stamper=timestamper()
        )
    assert refused.value.messages == ["De tijdstempelserver antwoordt niet; probeer het later opnieuw."]
