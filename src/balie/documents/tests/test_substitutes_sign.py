"""Substitutes: between its dates, a substitution lets a colleague sign for an employee or a
function; the step and the visible block say on whose behalf. Outside its dates it does not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.documents.models import SigningRequest, SigningState
from balie.documents.signing import procedures
from balie.documents.signing.actions import read_version, request_signing, sign
from balie.documents.signing.queries import waiting_for_me

from .signing_fixtures import days, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_to_sign(handler, letter, directeur_function, municipality_certificate) -> SigningRequest:
    procedure = procedures.create_procedure(name="Algemeen directeur tekent", by=None)
    procedures.add_signer(procedure=procedure, function=directeur_function, by=None)
    return request_signing(document=letter, procedure=procedure, by=handler)


def test_a_substitute_of_the_function_signs_on_behalf_of_its_holder(
    request_to_sign, adjunct, directeur, directeur_function, tmp_path
):
    procedures.add_substitution(
        for_function=directeur_function,
        substitute=adjunct,
        valid_from=days(-1),
        valid_until=days(14),
        reason="Verlof",
        by=None,
    )
    assert [r.pk for r in waiting_for_me(adjunct)] == [request_to_sign.pk]

    sign(request=request_to_sign, by=adjunct)

    request = SigningRequest.objects.get(pk=request_to_sign.pk)
    assert request.state == SigningState.SIGNED
    step = request.steps.get()
    assert (step.acted_by, step.on_behalf_of, step.function_name) == (
        adjunct,
        directeur,
        "Algemeen directeur",
    )
    event = request.events.get(kind="signed")
    assert (event.by, event.on_behalf_of) == (adjunct, directeur)
    text = pdftotext(read_version(request.signed_version), tmp_path)
    assert "Geert Wuyts" in text
    assert "namens Katrien Lambrechts" in text


def test_a_substitute_of_the_holder_signs_in_the_function(request_to_sign, adjunct, directeur):
    procedures.add_substitution(
        for_user=directeur, substitute=adjunct, valid_from=days(0), valid_until=days(0), by=None
    )
    sign(request=request_to_sign, by=adjunct)
    step = SigningRequest.objects.get(pk=request_to_sign.pk).steps.get()
    assert (step.acted_by, step.on_behalf_of) == (adjunct, directeur)


def test_the_holder_still_signs_while_a_substitute_is_appointed(
    request_to_sign, adjunct, directeur, directeur_function
):
    procedures.add_substitution(
        for_function=directeur_function, substitute=adjunct, valid_from=days(-3), valid_until=days(3), by=None
    )
    sign(request=request_to_sign, by=directeur)
    step = SigningRequest.objects.get(pk=request_to_sign.pk).steps.get()
    assert (step.acted_by, step.on_behalf_of) == (directeur, None)


@pytest.mark.parametrize(("start", "end"), [(-10, -1), (1, 10)], ids=["ended", "not-yet-started"])
def test_a_substitution_outside_its_dates_does_not_count(
    request_to_sign, adjunct, directeur_function, letter, start, end
):
    procedures.add_substitution(
        for_function=directeur_function,
        substitute=adjunct,
        valid_from=days(start),
        valid_until=days(end),
        by=None,
    )
    assert waiting_for_me(adjunct) == []
    with pytest.raises(ValidationError) as refused:
        sign(request=request_to_sign, by=adjunct)
    assert refused.value.messages == [
        "U bent niet aan de beurt om dit document te ondertekenen: nu is het aan Algemeen directeur "
        "(Katrien Lambrechts)."
    ]
    letter.refresh_from_db()
    assert letter.current_version.number == 1
    assert SigningRequest.objects.get(pk=request_to_sign.pk).state == SigningState.SIGNING


def test_a_named_signer_has_their_own_substitute(
    handler, letter, burgemeester, adjunct, municipality_certificate
):
    procedure = procedures.create_procedure(name="Burgemeester tekent", by=None)
    procedures.add_signer(procedure=procedure, user=burgemeester, by=None)
    request = request_signing(document=letter, procedure=procedure, by=handler)
    procedures.add_substitution(
        for_user=burgemeester, substitute=adjunct, valid_from=days(0), valid_until=days(30), by=None
    )
    sign(request=request, by=adjunct)
    step = SigningRequest.objects.get(pk=request.pk).steps.get()
    assert (step.acted_by, step.on_behalf_of, step.function_name) == (adjunct, burgemeester, "Burgemeester")
