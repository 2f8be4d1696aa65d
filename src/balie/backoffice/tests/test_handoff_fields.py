import pytest
from django.urls import reverse

from balie.parties.actions import register_party

pytestmark = pytest.mark.django_db


def test_the_360_view_loads_the_colleagues_lists_only_when_the_hand_off_is_opened(
    client, front_desk, handler
):
    party, _ = register_party(kind="person", family_name="Peeters", by=front_desk)
    client.force_login(front_desk)
    page = client.get(reverse("backoffice:party", args=[party.uuid])).content.decode()
    assert 'name="assignee"' not in page
    assert f'hx-get="{reverse("backoffice:handoff_fields")}"' in page
    fields = client.get(reverse("backoffice:handoff_fields"), HTTP_HX_REQUEST="true").content.decode()
    assert 'name="department"' in fields and 'name="assignee"' in fields and "Hans Handel" in fields


def test_the_standalone_contact_page_shows_the_hand_off_at_once(client, front_desk):
    client.force_login(front_desk)
    page = client.get(reverse("backoffice:register_contact")).content.decode()
    assert 'name="department"' in page and 'name="assignee"' in page


def test_the_hand_off_fields_are_for_employees_only(client, citizen):
    assert client.get(reverse("backoffice:handoff_fields")).status_code == 302
    client.force_login(citizen)
    assert client.get(reverse("backoffice:handoff_fields")).status_code == 404
