"""Beheer › Ondertekening: the functional administrator keeps procedures, signers, functions and
substitutions through the pages; nobody else opens them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.documents.models import ProcedureSigner, SigningFunction, SigningProcedure, Substitution

from .conftest import client_for, field_error, html

pytestmark = pytest.mark.django_db


def test_the_administrator_builds_a_procedure_through_the_pages(
    admin_client, directeur_function, directeur, adjunct
):
    overview = admin_client.get(reverse("backoffice:manage_signing"))
    assert overview.status_code == 200
    assert "Algemeen directeur" in html(overview) and "bekleed door Katrien Lambrechts" in html(overview)

    response = admin_client.post(
        reverse("backoffice:manage_signing_procedure_create"),
        {"name": "Brief met handtekening algemeen directeur", "approval_required": "on", "method": "balie"},
    )
    procedure = SigningProcedure.objects.get()
    assert response["Location"] == reverse("backoffice:manage_signing_procedure", args=[procedure.uuid])
    assert procedure.approval_required is True

    add = reverse("backoffice:manage_signing_signer_add", args=[procedure.uuid])
    assert (
        admin_client.post(
            add, {"signer": f"f:{directeur_function.uuid}", "certificate": "municipality"}
        ).status_code
        == 302
    )
    assert (
        admin_client.post(add, {"signer": f"u:{adjunct.uuid}", "certificate": "personal"}).status_code == 302
    )
    assert list(
        ProcedureSigner.objects.values_list("position", "function__name", "user__username", "certificate")
    ) == [
        (1, "Algemeen directeur", None, "municipality"),
        (2, None, "adjunct", "personal"),
    ]
    second = ProcedureSigner.objects.get(position=2)
    admin_client.post(
        reverse("backoffice:manage_signing_signer_move", args=[procedure.uuid, second.pk]), {"richting": "op"}
    )
    assert list(ProcedureSigner.objects.order_by("position").values_list("user__username", flat=True)) == [
        "adjunct",
        None,
    ]

    page = html(admin_client.get(reverse("backoffice:manage_signing_procedure", args=[procedure.uuid])))
    assert "Geert Wuyts" in page and "persoonlijk certificaat van de ondertekenaar" in page

    admin_client.post(reverse("backoffice:manage_signing_signer_remove", args=[procedure.uuid, second.pk]))
    assert list(ProcedureSigner.objects.values_list("position", "function__name")) == [
        (1, "Algemeen directeur")
    ]


def test_a_signer_must_be_chosen(admin_client, directeur_function):
    from balie.documents.signing import procedures

    procedure = procedures.create_procedure(name="Leeg", by=None)
    response = admin_client.post(
        reverse("backoffice:manage_signing_signer_add", args=[procedure.uuid]),
        {"signer": "", "certificate": "municipality"},
    )
    assert response.status_code == 422
    assert field_error(response, "signer") == "Dit veld is verplicht."
    assert not ProcedureSigner.objects.exists()


def test_functions_and_substitutions_through_the_pages(admin_client, directeur, adjunct):
    response = admin_client.post(
        reverse("backoffice:manage_signing_function_create"), {"name": "Burgemeester", "holder": directeur.pk}
    )
    assert response.status_code == 302
    function = SigningFunction.objects.get()
    today = timezone.localdate()
    response = admin_client.post(
        reverse("backoffice:manage_signing_substitution_create"),
        {
            "replaces": f"f:{function.uuid}",
            "substitute": adjunct.pk,
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=14)).isoformat(),
            "reason": "Verlof",
        },
    )
    assert response.status_code == 302
    substitution = Substitution.objects.get()
    assert (substitution.for_function, substitution.substitute, substitution.reason) == (
        function,
        adjunct,
        "Verlof",
    )
    overview = html(admin_client.get(reverse("backoffice:manage_signing")))
    assert "Geert Wuyts</strong> vervangt" in overview and "Verlof" in overview

    admin_client.post(reverse("backoffice:manage_signing_substitution_end", args=[substitution.uuid]))
    assert not Substitution.objects.exists()  # it began today: ending it today removes it


def test_a_substitution_ending_before_it_starts_is_refused_at_the_field(admin_client, directeur, adjunct):
    today = timezone.localdate()
    response = admin_client.post(
        reverse("backoffice:manage_signing_substitution_create"),
        {
            "replaces": f"u:{directeur.uuid}",
            "substitute": adjunct.pk,
            "valid_from": today.isoformat(),
            "valid_until": (today - dt.timedelta(days=1)).isoformat(),
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert field_error(response, "valid_until") == "De einddatum ligt vóór de begindatum."
    assert not Substitution.objects.exists()


def test_only_the_functional_administrator_opens_beheer_ondertekening(handler, citizen, directeur_function):
    from balie.documents.signing import procedures

    procedure = procedures.create_procedure(name="Besluit", by=None)
    paths = [
        reverse("backoffice:manage_signing"),
        reverse("backoffice:manage_signing_procedure_create"),
        reverse("backoffice:manage_signing_procedure", args=[procedure.uuid]),
        reverse("backoffice:manage_signing_function_create"),
        reverse("backoffice:manage_signing_function", args=[directeur_function.uuid]),
        reverse("backoffice:manage_signing_substitution_create"),
    ]
    employee, outsider = client_for(handler), client_for(citizen)
    for path in paths:
        assert employee.get(path).status_code == 403, path
        assert outsider.get(path).status_code == 404, path
    response = employee.post(
        reverse("backoffice:manage_signing_procedure_create"), {"name": "Indringer", "method": "balie"}
    )
    assert response.status_code == 403
    assert list(SigningProcedure.objects.values_list("name", flat=True)) == ["Besluit"]
