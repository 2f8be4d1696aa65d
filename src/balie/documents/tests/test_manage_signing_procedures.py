"""Keeping signing procedures, functions and substitutions: only a functional administrator; each
change recorded; a refused change leaves everything as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import ChangeRecord
from balie.documents.models import ProcedureSigner, SigningFunction, SigningProcedure, Substitution
from balie.documents.signing import procedures

from .signing_fixtures import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(burgerzaken):
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password=None,
        department=burgerzaken,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


def _signers(procedure: SigningProcedure) -> list[tuple[int, str]]:
    return [
        (s.position, str(s.function or s.user))
        for s in procedure.signers.select_related("user", "function").order_by("position")
    ]


def test_an_administrator_builds_a_procedure(beheerder, directeur, burgemeester):
    function = procedures.create_function(name="Algemeen directeur", holder=directeur, by=beheerder)
    procedure = procedures.create_procedure(
        name="Besluit", description="Besluiten van het college", approval_required=True, by=beheerder
    )
    procedures.add_signer(procedure=procedure, user=burgemeester, by=beheerder)
    procedures.add_signer(procedure=procedure, function=function, by=beheerder)
    assert _signers(procedure) == [(1, "Marc Verstraeten"), (2, "Algemeen directeur")]

    procedures.move_signer(signer=procedure.signers.get(position=2), up=True, by=beheerder)
    assert _signers(procedure) == [(1, "Algemeen directeur"), (2, "Marc Verstraeten")]

    procedures.remove_signer(signer=procedure.signers.get(position=1), by=beheerder)
    assert _signers(procedure) == [(1, "Marc Verstraeten")]
    changes = ChangeRecord.objects.filter(object_uuid=procedure.uuid).order_by("id")
    assert [c.action for c in changes] == ["create", "update", "update", "update", "update"]
    assert changes.last().changes["signers"][1] == ["1. Marc Verstraeten (certificaat van de gemeente)"]


def test_removing_the_last_signer_makes_the_procedure_inactive(beheerder, burgemeester):
    procedure = procedures.create_procedure(name="Los", by=beheerder)
    procedures.add_signer(procedure=procedure, user=burgemeester, by=beheerder)
    procedures.remove_signer(signer=procedure.signers.get(), by=beheerder)
    procedure.refresh_from_db()
    assert procedure.active is False
    with pytest.raises(ValidationError) as refused:
        procedures.update_procedure(procedure=procedure, active=True, by=beheerder)
    assert refused.value.messages == ["Een procedure zonder ondertekenaars kan niet actief zijn."]


def test_others_cannot_change_procedures(handler, directeur, approved_letter_procedure):
    before = (
        SigningProcedure.objects.count(),
        ProcedureSigner.objects.count(),
        SigningFunction.objects.count(),
    )
    for attempt in (
        lambda: procedures.create_procedure(name="Nieuw", by=handler),
        lambda: procedures.update_procedure(procedure=approved_letter_procedure, name="Anders", by=handler),
        lambda: procedures.add_signer(procedure=approved_letter_procedure, user=directeur, by=handler),
        lambda: procedures.create_function(name="Burgemeester", holder=None, by=handler),
        lambda: procedures.add_substitution(
            for_user=directeur, substitute=handler, valid_from=days(0), valid_until=days(1), by=handler
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages == ["Alleen een functioneel beheerder beheert de ondertekening."]
    assert before == (
        SigningProcedure.objects.count(),
        ProcedureSigner.objects.count(),
        SigningFunction.objects.count(),
    )
    assert not Substitution.objects.exists()
    approved_letter_procedure.refresh_from_db()
    assert approved_letter_procedure.name == "Brief met handtekening algemeen directeur"


def test_a_signer_is_an_employee_or_a_function_not_both(beheerder, directeur, directeur_function):
    procedure = procedures.create_procedure(name="Fout", by=beheerder)
    with pytest.raises(ValidationError):
        procedures.add_signer(procedure=procedure, user=directeur, function=directeur_function, by=beheerder)
    with pytest.raises(ValidationError):
        procedures.add_signer(procedure=procedure, by=beheerder)
    assert not procedure.signers.exists()


def test_two_procedures_cannot_share_a_name(beheerder, approved_letter_procedure):
    with pytest.raises(ValidationError) as refused:
        procedures.create_procedure(name="Brief met handtekening algemeen directeur", by=beheerder)
    assert list(refused.value.message_dict) == ["name"]


def test_a_substitution_has_sensible_dates_and_people(beheerder, directeur, adjunct, directeur_function):
    with pytest.raises(ValidationError) as refused:
        procedures.add_substitution(
            for_user=directeur, substitute=adjunct, valid_from=days(5), valid_until=days(1), by=beheerder
        )
    assert refused.value.message_dict == {"valid_until": ["De einddatum ligt vóór de begindatum."]}
    with pytest.raises(ValidationError) as refused:
        procedures.add_substitution(
            for_user=directeur, substitute=directeur, valid_from=days(0), valid_until=days(1), by=beheerder
        )
    assert refused.value.message_dict == {"substitute": ["Iemand kan zichzelf niet vervangen."]}
    with pytest.raises(ValidationError):
        procedures.add_substitution(
            for_function=directeur_function,
            substitute=directeur,
            valid_from=days(0),
            valid_until=days(1),
            by=beheerder,
        )
    assert not Substitution.objects.exists()


def test_ending_a_substitution(beheerder, directeur, adjunct):
    running = procedures.add_substitution(
        for_user=directeur, substitute=adjunct, valid_from=days(-5), valid_until=days(5), by=beheerder
    )
    coming = procedures.add_substitution(
        for_user=directeur, substitute=adjunct, valid_from=days(10), valid_until=days(20), by=beheerder
    )
    ended = procedures.end_substitution(substitution=running, on=days(0), by=beheerder)
    assert ended.valid_until == days(-1)
    assert procedures.end_substitution(substitution=coming, on=days(0), by=beheerder) is None
    assert list(Substitution.objects.values_list("valid_from", "valid_until")) == [(days(-5), days(-1))]
    assert ChangeRecord.objects.filter(object_uuid=coming.uuid, action="delete").count() == 1
