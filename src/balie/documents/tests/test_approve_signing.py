"""The approval step: a team lead of the document's department approves, or refuses with a reason
and the request goes back to its author. Nobody else can; a refused attempt changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.documents.models import SigningRequest, SigningState, StepState
from balie.documents.signing.actions import approve, refuse, request_signing, sign, withdraw
from balie.documents.signing.queries import my_requests

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_for_approval(
    handler, lead, letter, approved_letter_procedure, municipality_certificate
) -> SigningRequest:
    return request_signing(document=letter, procedure=approved_letter_procedure, by=handler)


def _unchanged(request: SigningRequest) -> None:
    fresh = SigningRequest.objects.get(pk=request.pk)
    assert fresh.state == SigningState.APPROVAL
    assert fresh.current_position == 0
    assert list(fresh.steps.values_list("state", flat=True)) == [StepState.WAITING, StepState.WAITING]
    assert list(fresh.events.values_list("kind", flat=True)) == ["requested"]


def test_a_team_lead_approves_and_the_signer_is_next(request_for_approval, lead, directeur):
    approve(request=request_for_approval, by=lead, note="In orde")
    request = SigningRequest.objects.get(pk=request_for_approval.pk)
    assert request.state == SigningState.SIGNING
    assert request.current_position == 1
    step = request.steps.get(position=0)
    assert (step.state, step.acted_by, step.reason, step.function_name) == (
        StepState.DONE,
        lead,
        "In orde",
        "teamverantwoordelijke",
    )
    assert step.acted_at is not None
    assert list(request.events.values_list("kind", "by__username")) == [
        ("requested", "behandelaar"),
        ("approved", "teamlead"),
    ]


def test_a_refusal_goes_back_to_the_author_with_its_reason(request_for_approval, lead, handler, directeur):
    refuse(request=request_for_approval, by=lead, reason="De termijn klopt niet")
    request = SigningRequest.objects.get(pk=request_for_approval.pk)
    assert request.state == SigningState.REFUSED
    assert request.finished_at is not None
    assert list(request.steps.values_list("state", "reason")) == [
        (StepState.REFUSED, "De termijn klopt niet"),
        (StepState.SKIPPED, ""),
    ]
    assert [(r.pk, r.state) for r in my_requests(handler)] == [(request.pk, SigningState.REFUSED)]
    with pytest.raises(ValidationError):
        sign(request=request, by=directeur)


def test_a_refusal_needs_a_reason(request_for_approval, lead):
    with pytest.raises(ValidationError) as refused:
        refuse(request=request_for_approval, by=lead, reason="  ")
    assert refused.value.message_dict == {"reason": ["Geef een reden: de aanvrager leest ze."]}
    _unchanged(request_for_approval)


def test_the_author_cannot_approve_their_own_request(
    handler, omgeving, letter, approved_letter_procedure, lead, municipality_certificate
):
    lead_author = create_employee(
        username="lead2",
        first_name="Lea",
        last_name="Leider",
        email="lea@zonnedaal.be",
        password=None,
        department=omgeving,
        roles=[Role.TEAM_LEAD],
        by=None,
    )
    request = request_signing(document=letter, procedure=approved_letter_procedure, by=lead_author)
    with pytest.raises(ValidationError) as refused:
        approve(request=request, by=lead_author)
    assert refused.value.messages == ["U kunt uw eigen aanvraag niet goedkeuren: een collega keurt goed."]
    _unchanged(request)


def test_a_team_lead_of_another_department_cannot_approve(request_for_approval, directeur):
    with pytest.raises(ValidationError) as refused:
        approve(request=request_for_approval, by=directeur)
    assert refused.value.messages == [
        "Alleen een teamverantwoordelijke van Omgeving kan deze aanvraag goedkeuren."
    ]
    with pytest.raises(ValidationError):
        refuse(request=request_for_approval, by=directeur, reason="Neen")
    _unchanged(request_for_approval)


def test_a_colleague_without_the_role_cannot_approve(request_for_approval, handler):
    with pytest.raises(ValidationError):
        approve(request=request_for_approval, by=handler)
    _unchanged(request_for_approval)


def test_the_signer_cannot_sign_before_the_approval(request_for_approval, directeur):
    with pytest.raises(ValidationError) as refused:
        sign(request=request_for_approval, by=directeur)
    assert refused.value.messages == ["Dit document moet eerst goedgekeurd worden."]
    _unchanged(request_for_approval)


def test_an_approved_request_is_not_approved_again(request_for_approval, lead):
    approve(request=request_for_approval, by=lead)
    with pytest.raises(ValidationError) as refused:
        approve(request=request_for_approval, by=lead)
    assert refused.value.messages == ["Deze aanvraag wacht niet op goedkeuring."]


def test_the_signer_may_refuse_too(request_for_approval, lead, directeur, letter):
    approve(request=request_for_approval, by=lead)
    refuse(request=request_for_approval, by=directeur, reason="Eerst het advies bijvoegen")
    request = SigningRequest.objects.get(pk=request_for_approval.pk)
    assert request.state == SigningState.REFUSED
    assert request.steps.get(position=1).acted_by == directeur
    letter.refresh_from_db()
    assert letter.current_version.number == 1


def test_the_author_withdraws_and_may_ask_again(
    request_for_approval, handler, lead, letter, approved_letter_procedure
):
    with pytest.raises(ValidationError) as refused:
        withdraw(request=request_for_approval, by=lead)
    assert refused.value.messages == ["Alleen wie de aanvraag deed, kan ze intrekken."]
    _unchanged(request_for_approval)

    withdraw(request=request_for_approval, by=handler, reason="Nieuwe versie nodig")
    assert SigningRequest.objects.get(pk=request_for_approval.pk).state == SigningState.WITHDRAWN
    again = request_signing(document=letter, procedure=approved_letter_procedure, by=handler)
    assert again.state == SigningState.APPROVAL
