"""A certificate that cannot sign (expired, not yet valid, a wrong password, not meant for
signatures, missing) gives a clear Dutch message, and the document stays as it was."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.documents.models import CertificateKind, DocumentVersion, SigningRequest, SigningState
from balie.documents.signing import procedures
from balie.documents.signing.actions import request_signing, sign
from balie.documents.signing.certificates import issue

from .signing_fixtures import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_to_sign(handler, letter, burgemeester, municipality_certificate) -> SigningRequest:
    procedure = procedures.create_procedure(name="Burgemeester tekent", by=None)
    procedures.add_signer(procedure=procedure, user=burgemeester, by=None)
    return request_signing(document=letter, procedure=procedure, by=handler)


def _use(settings, issued, password: str = PASSWORD) -> None:
    settings.BALIE_SIGNING_PKCS12_BASE64 = base64.b64encode(issued.pkcs12(password)).decode()


def _refused(request: SigningRequest, by, **kwargs) -> list[str] | dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        sign(request=request, by=by, **kwargs)
    assert DocumentVersion.objects.filter(document=request.document).count() == 1
    fresh = SigningRequest.objects.get(pk=request.pk)
    assert (fresh.state, fresh.current_position, fresh.signed_version) == (SigningState.SIGNING, 1, None)
    assert list(fresh.events.values_list("kind", flat=True)) == ["requested"]
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def test_an_expired_certificate(settings, request_to_sign, burgemeester, test_root):
    now = dt.datetime.now(dt.UTC)
    expired = dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC)
    _use(settings, issue(test_root, "Verlopen", not_before=now - dt.timedelta(days=400), not_after=expired))
    assert _refused(request_to_sign, burgemeester) == [
        "Het certificaat van de gemeente is verlopen op 31/01/2026. Vraag een nieuw certificaat aan."
    ]


def test_a_certificate_not_yet_valid(settings, request_to_sign, burgemeester, test_root):
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    _use(settings, issue(test_root, "Toekomst", not_before=start, not_after=start + dt.timedelta(days=365)))
    messages = _refused(request_to_sign, burgemeester)
    shown = timezone.localtime(start).strftime("%d/%m/%Y")
    assert messages == [f"Het certificaat van de gemeente is pas geldig vanaf {shown}."]


def test_a_wrong_password(settings, request_to_sign, burgemeester, seal):
    _use(settings, seal, password="iets anders")
    assert _refused(request_to_sign, burgemeester) == [
        "Het certificaat van de gemeente kon niet geopend worden: het wachtwoord is fout of het bestand is "
        "geen geldig PKCS#12-bestand."
    ]


def test_a_certificate_without_digital_signature_key_usage(
    settings, request_to_sign, burgemeester, test_root
):
    _use(settings, issue(test_root, "Alleen versleutelen", signing=False))
    assert _refused(request_to_sign, burgemeester) == [
        "Het certificaat van de gemeente mag niet gebruikt worden om te ondertekenen: het is niet uitgegeven "
        "voor digitale handtekeningen (sleutelgebruik)."
    ]


def test_not_a_pkcs12_at_all(settings, request_to_sign, burgemeester):
    settings.BALIE_SIGNING_PKCS12_BASE64 = base64.b64encode(b"-----BEGIN CERTIFICATE-----").decode()
    assert _refused(request_to_sign, burgemeester) == [
        "Het certificaat van de gemeente kon niet geopend worden: het wachtwoord is fout of het bestand is "
        "geen geldig PKCS#12-bestand."
    ]


def test_a_certificate_file_that_is_gone(settings, request_to_sign, burgemeester, tmp_path):
    settings.BALIE_SIGNING_PKCS12_BASE64 = ""
    settings.BALIE_SIGNING_PKCS12 = str(tmp_path / "weg.p12")
    assert _refused(request_to_sign, burgemeester) == [
        "Het certificaat van de gemeente kan niet gelezen worden (BALIE_SIGNING_PKCS12)."
    ]


# --- an employee's own certificate -------------------------------------------------------------------


@pytest.fixture
def personal_request(handler, letter, burgemeester, municipality_certificate, personal_dir) -> SigningRequest:
    procedure = procedures.create_procedure(name="Burgemeester tekent persoonlijk", by=None)
    procedures.add_signer(
        procedure=procedure, user=burgemeester, certificate=CertificateKind.PERSONAL, by=None
    )
    return request_signing(document=letter, procedure=procedure, by=handler)


def test_an_employee_signs_with_their_own_certificate_and_password(
    personal_request, burgemeester, personal_dir, test_root
):
    (personal_dir / "burgemeester.p12").write_bytes(
        issue(test_root, "Marc Verstraeten", organisation="Gemeente Zonnedaal").pkcs12("mijn-pin-1234")
    )
    sign(request=personal_request, by=burgemeester, password="mijn-pin-1234")
    request = SigningRequest.objects.get(pk=personal_request.pk)
    assert request.state == SigningState.SIGNED
    assert [r["signer"] for r in request.validation] == ["Marc Verstraeten"]


def test_a_wrong_password_for_the_own_certificate(personal_request, burgemeester, personal_dir, test_root):
    (personal_dir / "burgemeester.p12").write_bytes(
        issue(test_root, "Marc Verstraeten").pkcs12("mijn-pin-1234")
    )
    assert _refused(personal_request, burgemeester, password="fout") == {
        "password": [
            "Uw persoonlijk certificaat kon niet geopend worden: het wachtwoord is fout of het bestand is "
            "geen geldig PKCS#12-bestand."
        ]
    }
    assert _refused(personal_request, burgemeester, password="") == {
        "password": ["Geef het wachtwoord van uw certificaat."]
    }


def test_no_own_certificate(personal_request, burgemeester):
    assert _refused(personal_request, burgemeester, password="x") == [
        "Er is geen persoonlijk certificaat voor u ingesteld. Vraag de ICT-dienst uw certificaat te "
        "plaatsen, of laat de procedure met het certificaat van de gemeente ondertekenen."
    ]
