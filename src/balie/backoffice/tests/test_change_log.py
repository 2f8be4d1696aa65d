import pytest
from django.urls import reverse

from balie.parties.actions import register_party, update_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_party(front_desk, handler):
    party, _ = register_party(kind="person", family_name="Peeters", given_name="Jan", by=front_desk)
    update_party(party=party, given_name="Johan", by=handler)
    return party


def test_the_privacy_officer_sees_who_changed_what(client, privacy_officer, changed_party, handler):
    client.force_login(privacy_officer)
    response = client.get(reverse("backoffice:change_log"), {"employee": str(handler.uuid)})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.action, row.changes, party) for row, party in rows] == [
        ("update", {"given_name": ["Jan", "Johan"]}, changed_party)
    ]
    assert "Jan → Johan" in response.content.decode()


def test_the_change_log_is_exported_as_csv_one_line_per_field(client, privacy_officer, changed_party):
    client.force_login(privacy_officer)
    response = client.get(reverse("backoffice:change_log_csv"), {"person_id": str(changed_party.uuid)})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("tijdstip;door;")
    assert any(";given_name;Jan;Johan;" in line for line in lines)
    assert any(";family_name;;Peeters;" in line for line in lines)


@pytest.mark.parametrize("name", ["change_log", "change_log_csv"])
def test_other_employees_and_outsiders_get_no_change_log(client, front_desk, citizen, changed_party, name):
    client.force_login(front_desk)
    assert client.get(reverse(f"backoffice:{name}")).status_code == 403
    client.force_login(citizen)
    assert client.get(reverse(f"backoffice:{name}")).status_code in (302, 404)
