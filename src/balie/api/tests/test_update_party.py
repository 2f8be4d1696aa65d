"""Another system changes a party's own fields."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from balie.api.models import ApiApplication
from balie.audit.models import ChangeRecord
from balie.parties.models import Party

from .conftest import ApiClient, row_counts


def test_it_changes_only_the_fields_sent_and_keeps_the_history(
    api: ApiClient, website: ApiApplication, jan: Party
) -> None:
    # when
    response = api.patch(f"/api/v1/parties/{jan.uuid}", {"given_name": "Johan", "birth_date": "1985-07-30"})
    # then
    assert response.status_code == 200
    assert (response.json()["display_name"], response.json()["birth_date"]) == ("Peeters Johan", "1985-07-30")
    jan.refresh_from_db()
    assert (jan.given_name, jan.family_name, jan.national_number) == ("Johan", "Peeters", "85073003328")
    change = ChangeRecord.objects.filter(object_uuid=jan.uuid, action="update").get()
    assert change.changes == {"given_name": ["Jan", "Johan"], "birth_date": [None, "1985-07-30"]}
    assert change.actor_uuid == website.user.uuid


def test_it_clears_a_national_number_with_null(api: ApiClient, jan: Party) -> None:
    # when
    response = api.patch(f"/api/v1/parties/{jan.uuid}", {"national_number": None})
    # then
    assert (response.status_code, response.json()["national_number"]) == (200, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"national_number": "85073003329"}, "national_number"),
        ({"family_name": ""}, "family_name"),
        ({"family_name": "<script>x</script>"}, "family_name"),
        ({"given_name": "J" * 101}, "given_name"),
        ({"given_name": None}, "given_name"),
        ({"name": "Bakkerij"}, "name"),
        ({"kind": "organisation"}, "kind"),
    ],
)
def test_it_refuses_bad_changes_and_changes_nothing(
    api: ApiClient, jan: Party, body: dict[str, Any], field: str
) -> None:
    # given
    before = row_counts()
    # when
    response = api.patch(f"/api/v1/parties/{jan.uuid}", body)
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    jan.refresh_from_db()
    assert (jan.given_name, jan.family_name, jan.national_number) == ("Jan", "Peeters", "85073003328")
    assert row_counts() == before


def test_it_answers_404_for_an_unknown_party(api: ApiClient) -> None:
    # when
    response = api.patch(f"/api/v1/parties/{uuid.uuid4()}", {"given_name": "Johan"})
    # then
    assert response.status_code == 404
