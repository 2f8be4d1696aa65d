"""An outsider (a citizen account) or an anonymous visitor never sees a page of the back-office."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment, InternalTask
from balie.parties.models import ContactPoint, Party

from .conftest import client_for, html


@pytest.fixture
def world(front_desk, handler, jan, bakkerij):
    moment = register_contact_moment(
        by=front_desk,
        channel="phone",
        summary="Vraag over de identiteitskaart",
        party=jan,
        handoff={"department": handler.department, "description": "Terugbellen"},
    )
    return {"jan": jan, "bakkerij": bakkerij, "moment": moment, "task": moment.tasks.get()}


def _pages(world) -> list[str]:
    jan, other, moment, task = world["jan"], world["bakkerij"], world["moment"], world["task"]
    return [
        reverse("backoffice:home"),
        reverse("backoffice:search") + "?q=peeters",
        reverse("backoffice:party", args=[jan.uuid]),
        reverse("backoffice:party_edit", args=[jan.uuid]),
        reverse("backoffice:party_history", args=[jan.uuid]),
        reverse("backoffice:party_create"),
        reverse("backoffice:party_similar") + "?kind=person&family_name=Peeters",
        reverse("backoffice:contact_point_add", args=[jan.uuid]),
        reverse("backoffice:address_add", args=[jan.uuid]),
        reverse("backoffice:merge_pick", args=[jan.uuid]) + "?q=peeters",
        reverse("backoffice:merge_confirm", args=[jan.uuid, other.uuid]),
        reverse("backoffice:register_contact"),
        reverse("backoffice:contact_moment", args=[moment.uuid]),
        reverse("backoffice:task", args=[task.uuid]),
        reverse("backoffice:tasks", args=["mijn"]),
        reverse("backoffice:tasks", args=["dienst"]),
        reverse("backoffice:access_log"),
        reverse("backoffice:access_log_csv"),
    ]


def test_a_citizen_account_gets_not_found_on_every_page(world, citizen):
    client = client_for(citizen)

    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Peeters" not in html(response), path
        assert "identiteitskaart" not in html(response), path
    assert PersonalDataAccess.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_login_from_every_page(world):
    client = Client()

    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("backoffice:login")), path


def test_an_htmx_request_without_a_session_is_redirected_by_htmx(world):
    response = Client().get(reverse("backoffice:search") + "?q=peeters", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("backoffice:login"))


def test_a_citizen_account_changes_nothing_by_posting(world, citizen):
    client = client_for(citizen)
    jan, task = world["jan"], world["task"]
    before = (Party.objects.count(), ContactMoment.objects.count(), ContactPoint.objects.count())

    posts = [
        (reverse("backoffice:register_for_party", args=[jan.uuid]), {"channel": "phone", "summary": "x"}),
        (reverse("backoffice:register_contact"), {"channel": "phone", "direction": "in", "summary": "x"}),
        (reverse("backoffice:party_create"), {"kind": "person", "family_name": "Indringer"}),
        (reverse("backoffice:party_edit", args=[jan.uuid]), {"family_name": "Gewijzigd"}),
        (reverse("backoffice:contact_point_add", args=[jan.uuid]), {"kind": "email", "value": "a@b.be"}),
        (reverse("backoffice:task_complete", args=[task.uuid]), {}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path

    assert (Party.objects.count(), ContactMoment.objects.count(), ContactPoint.objects.count()) == before
    jan.refresh_from_db()
    assert jan.family_name == "Peeters"
    assert InternalTask.objects.get().status == "todo"
