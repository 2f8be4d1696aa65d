"""Merging two registrations of the same customer, after a confirmation that shows both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.parties.actions import add_contact_point, register_party
from balie.parties.models import Party

from .conftest import client_for, field_error, html


@pytest.fixture
def duplicate(front_desk):
    party, _ = register_party(kind="person", family_name="Peters", given_name="Jan", by=front_desk)
    add_contact_point(party=party, kind="phone", value="03 440 99 88", by=front_desk)
    register_contact_moment(by=front_desk, channel="phone", summary="Oproep op de dubbele fiche", party=party)
    return party


def _confirm(first, second) -> str:
    return reverse("backoffice:merge_confirm", args=[first.uuid, second.uuid])


def test_the_picker_finds_the_other_party_of_the_same_kind(desk, jan, duplicate, bakkerij):
    page = html(desk.get(reverse("backoffice:merge_pick", args=[jan.uuid]), {"q": "peters"}))

    assert _confirm(jan, duplicate) in page
    assert "Bakkerij" not in page


def test_the_confirmation_page_shows_both_parties(desk, jan, duplicate):
    page = html(desk.get(_confirm(jan, duplicate)))

    assert "Peeters Jan" in page and "Peters Jan" in page
    assert "jan.peeters@example.be" in page and "03 440 99 88" in page
    assert "Dit kan niet ongedaan gemaakt worden." in page


def test_it_merges_into_the_chosen_survivor(desk, jan, duplicate):
    response = desk.post(_confirm(jan, duplicate), {"survivor": str(jan.uuid), "reason": "Dubbel ingevoerd"})

    duplicate.refresh_from_db()
    assert response["Location"] == reverse("backoffice:party", args=[jan.uuid])
    assert duplicate.merged_into == jan
    assert ContactMoment.objects.get().party == jan
    assert jan.contact_points.filter(value="+3234409988").exists()
    assert "De klanten zijn samengevoegd." in html(desk.get(response["Location"]))


def test_the_other_one_can_be_the_survivor(desk, jan, duplicate):
    desk.post(_confirm(jan, duplicate), {"survivor": str(duplicate.uuid), "reason": ""})

    jan.refresh_from_db()
    assert jan.merged_into == duplicate


def test_a_refused_merge_shows_why_and_changes_nothing(desk, jan, bakkerij):
    response = desk.post(_confirm(jan, bakkerij), {"survivor": str(jan.uuid), "reason": "fout"})

    assert "Alleen partijen van dezelfde soort" in html(response)
    assert Party.objects.filter(merged_into__isnull=False).count() == 0


def test_a_reason_with_markup_is_refused(desk, jan, duplicate):
    response = desk.post(_confirm(jan, duplicate), {"survivor": str(jan.uuid), "reason": "<script>"})

    assert "Gebruik geen HTML-tekens" in field_error(response, "reason")
    assert Party.objects.filter(merged_into__isnull=False).count() == 0


def test_an_employee_without_the_role_may_not_merge(handler, jan, duplicate):
    client = client_for(handler)

    picker = client.get(reverse("backoffice:merge_pick", args=[jan.uuid]))
    response = client.post(_confirm(jan, duplicate), {"survivor": str(jan.uuid)})

    assert picker.status_code == 403
    assert response.status_code == 403
    assert "U hebt hier geen toegang toe" in html(response)
    assert Party.objects.filter(merged_into__isnull=False).count() == 0
    assert "Samenvoegen" not in html(client.get(reverse("backoffice:party", args=[jan.uuid])))
