"""`balie check --deploy` on MAGDA: not the demo, over mutual TLS, signed; or explicitly off."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.authentic_sources.consultations import consult
from balie.authentic_sources.magda.checks import check_magda
from balie.authentic_sources.models import Consultation, MagdaService


def _ids(settings, **values) -> list[str]:
    for key, value in values.items():
        setattr(settings, key, value)
    return [message.id for message in check_magda()]


def test_the_demo_service_is_flagged(settings):
    assert _ids(settings, BALIE_MAGDA_URL="") == ["balie.W101"]


def test_off_needs_nothing(settings):
    assert _ids(settings, BALIE_MAGDA_URL="off") == []


def test_production_needs_a_certificate_https_and_a_signer(settings):
    assert _ids(
        settings, BALIE_MAGDA_URL="https://magda.example.be", BALIE_MAGDA_CERT="", BALIE_MAGDA_SIGNER=""
    ) == [
        "balie.W102",
        "balie.W104",
    ]
    assert _ids(
        settings, BALIE_MAGDA_URL="http://magda.example.be", BALIE_MAGDA_CERT="/etc/balie/magda.pem"
    ) == [
        "balie.W103",
        "balie.W104",
    ]


def test_a_signer_that_cannot_be_imported_is_an_error(settings):
    ids = _ids(
        settings,
        BALIE_MAGDA_URL="https://magda.example.be",
        BALIE_MAGDA_CERT="/etc/balie/magda.pem",
        BALIE_MAGDA_SIGNER="balie.nowhere.sign",
    )

    assert ids == ["balie.E101"]


@pytest.mark.django_db
def test_nothing_is_asked_when_magda_is_off(settings, person, purpose, front_desk, magda):
    settings.BALIE_MAGDA_URL = "off"

    with pytest.raises(ValidationError):
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert magda.behaviour.received == []
    assert not Consultation.objects.exists()


SIGNED: list[bytes] = []


def recording_signer(envelope: bytes) -> bytes:
    """A stand-in for a WS-Security signer: it sees the envelope just before it leaves."""
    SIGNED.append(envelope)
    return envelope


@pytest.mark.django_db
def test_a_configured_signer_gets_every_envelope_before_it_leaves(
    settings, person, purpose, front_desk, magda
):
    settings.BALIE_MAGDA_SIGNER = f"{__name__}.recording_signer"
    SIGNED.clear()

    consulted = consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert len(SIGNED) == 1
    assert str(consulted.consultation.reference).encode() in SIGNED[0]
    assert b"<Naam>GeefPersoon</Naam>" in SIGNED[0]
