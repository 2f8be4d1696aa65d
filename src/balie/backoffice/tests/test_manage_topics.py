"""The functional administrator keeps the topic catalogue: list, add, change, take out of use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import ChangeRecord
from balie.contact_moments.models import Topic

from .conftest import client_for, field_error, html

LIST = reverse("backoffice:manage_topics")
CREATE = reverse("backoffice:manage_topic_create")


def _state() -> list[tuple]:
    return list(
        Topic.objects.order_by("pk").values_list("name", "description", "department", "keywords", "active")
    )


def test_the_list_shows_topics_in_use_and_out_of_use(admin_client, topic):
    old = Topic.objects.create(name="Huisvuil", active=False)

    page = html(admin_client.get(LIST))

    assert "Identiteitskaart" in page and "Burgerzaken" in page
    assert "Huisvuil" in page and "niet in gebruik" in page
    assert reverse("backoffice:manage_topic", args=[old.uuid]) in page


def test_the_nav_shows_beheer_to_the_administrator_only(admin_client, desk):
    assert f'<a href="{LIST}"' in html(admin_client.get(reverse("backoffice:home")))
    assert LIST not in html(desk.get(reverse("backoffice:home")))


def test_it_adds_a_topic_with_history(admin_client, functional_admin, burgerzaken):
    response = admin_client.post(
        CREATE,
        {
            "name": "Rijbewijs",
            "description": "Aanvraag en vernieuwing",
            "department": burgerzaken.pk,
            "keywords": "rijbewijs, voorlopig",
        },
    )

    assert response.status_code == 302 and response["Location"] == LIST
    topic = Topic.objects.get(name="Rijbewijs")
    assert (topic.department, topic.keywords, topic.active) == (burgerzaken, "rijbewijs, voorlopig", True)
    record = ChangeRecord.objects.get(object_uuid=topic.uuid)
    assert record.action == "create" and record.actor_uuid == functional_admin.uuid
    assert "Het onderwerp is toegevoegd." in html(admin_client.get(LIST))


def test_it_changes_a_topic_and_records_old_and_new(admin_client, topic, burgerzaken, omgeving):
    response = admin_client.post(
        reverse("backoffice:manage_topic", args=[topic.uuid]),
        {"name": "Identiteitskaart (eID)", "description": "", "department": omgeving.pk, "keywords": "eid"},
    )

    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.department, topic.keywords) == ("Identiteitskaart (eID)", omgeving, "eid")
    record = ChangeRecord.objects.get(object_uuid=topic.uuid, action="update")
    assert record.changes == {
        "name": ["Identiteitskaart", "Identiteitskaart (eID)"],
        "department": [str(burgerzaken.uuid), str(omgeving.uuid)],
        "keywords": ["", "eid"],
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Dit veld is verplicht."),
        ({"name": "<script>alert(1)</script>"}, "name", "Gebruik geen HTML-tekens"),
        ({"name": "x" * 151}, "name", "niet meer dan 150 tekens"),
        ({"name": "Afval", "keywords": "<b>"}, "keywords", "Gebruik geen HTML-tekens"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(admin_client, topic, data, field, message):
    before = _state()

    created = admin_client.post(CREATE, data)
    edited = admin_client.post(reverse("backoffice:manage_topic", args=[topic.uuid]), data)

    assert message in field_error(created, field)
    assert message in field_error(edited, field)
    assert _state() == before
    assert list(ChangeRecord.objects.filter(object_uuid=topic.uuid).values_list("action", flat=True)) == [
        "create"
    ]


def test_a_duplicate_name_in_other_capitals_is_refused(admin_client, topic):
    other = Topic.objects.create(name="Afval")
    before = _state()

    created = admin_client.post(CREATE, {"name": "IDENTITEITSKAART"})
    renamed = admin_client.post(
        reverse("backoffice:manage_topic", args=[other.uuid]), {"name": "identiteitskaart"}
    )

    assert "Er bestaat al een onderwerp met deze naam." in field_error(created, "name")
    assert "Er bestaat al een onderwerp met deze naam." in field_error(renamed, "name")
    assert _state() == before


def test_it_takes_a_topic_out_of_use_and_back(admin_client, topic, functional_admin):
    url = reverse("backoffice:manage_topic_active", args=[topic.uuid])

    admin_client.post(url, {"active": "0"})
    topic.refresh_from_db()
    assert topic.active is False
    assert "Identiteitskaart" in html(admin_client.get(LIST))

    admin_client.post(url, {"active": "1"})
    topic.refresh_from_db()
    assert topic.active is True
    changes = list(
        ChangeRecord.objects.filter(object_uuid=topic.uuid, action="update")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]


def test_deactivating_needs_a_post(admin_client, topic):
    assert admin_client.get(reverse("backoffice:manage_topic_active", args=[topic.uuid])).status_code == 405


def _pages(topic) -> list[str]:
    return [
        LIST,
        CREATE,
        reverse("backoffice:manage_topic", args=[topic.uuid]),
    ]


def test_another_employee_gets_403_and_changes_nothing(desk, privacy_officer, topic):
    for client in (desk, client_for(privacy_officer)):
        for path in _pages(topic):
            assert client.get(path).status_code == 403, path
        assert client.post(CREATE, {"name": "Sluipweg"}).status_code == 403
        response = client.post(reverse("backoffice:manage_topic_active", args=[topic.uuid]), {"active": "0"})
        assert response.status_code == 403
    assert not Topic.objects.filter(name="Sluipweg").exists()
    topic.refresh_from_db()
    assert topic.active is True


def test_a_citizen_gets_not_found_and_anonymous_the_login_page(citizen, client, topic):
    for path in _pages(topic):
        response = client_for(citizen).get(path)
        assert response.status_code == 404 and "Identiteitskaart" not in html(response)
        assert client.get(path)["Location"].startswith(reverse("backoffice:login"))
