"""Changing a party's own data; every change lands in the history shown on the 360° view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import ChangeRecord

from .conftest import field_error, html, insz


def _edit(party) -> str:
    return reverse("backoffice:party_edit", args=[party.uuid])


def test_the_form_starts_with_the_current_data_formatted(desk, jan):
    page = html(desk.get(_edit(jan)))

    assert 'name="family_name" value="Peeters"' in page
    assert f'name="national_number" value="{jan.national_number_display}"' in page
    assert 'name="birth_date" value="1985-07-30"' in page


def test_it_saves_the_change_and_shows_it_in_the_history(desk, front_desk, jan):
    response = desk.post(
        _edit(jan),
        {
            "family_name": "Peeters",
            "given_name": "Jan-Willem",
            "birth_date": "1985-07-30",
            "national_number": jan.national_number,
            "gender": "M",
            "note": "",
        },
    )

    jan.refresh_from_db()
    assert response["Location"] == reverse("backoffice:party", args=[jan.uuid])
    assert (jan.given_name, jan.gender) == ("Jan-Willem", "M")
    page = html(desk.get(response["Location"]))
    assert "De gegevens zijn bewaard." in page
    assert "<del>Jan</del> → Jan-Willem" in page
    assert "Olga Onthaal (onthaal)" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"national_number": "85073003399"}, "national_number", "controlegetal klopt niet"),
        ({"family_name": "<script>x</script>"}, "family_name", "Gebruik geen HTML-tekens"),
        ({"given_name": "y" * 101}, "given_name", "niet meer dan 100 tekens"),
        ({"family_name": ""}, "family_name", "Dit veld is verplicht."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_changes(desk, jan, data, field, message):
    values = {
        "family_name": "Peeters",
        "given_name": "Jan",
        "birth_date": "1985-07-30",
        "national_number": jan.national_number,
        "gender": "",
        "note": "",
    }
    values.update(data)
    changes_before = ChangeRecord.objects.count()

    response = desk.post(_edit(jan), values)

    assert message in field_error(response, field)
    jan.refresh_from_db()
    assert (jan.family_name, jan.given_name, jan.national_number) == ("Peeters", "Jan", insz("850730", "033"))
    assert ChangeRecord.objects.count() == changes_before


def test_a_national_number_of_another_person_is_refused_next_to_the_field(desk, front_desk, jan):
    from balie.parties.actions import register_party

    other, _ = register_party(
        kind="person", family_name="Maes", national_number=insz("700101", "555"), by=front_desk
    )

    response = desk.post(_edit(other), {"family_name": "Maes", "national_number": jan.national_number})

    assert field_error(response, "national_number")
    other.refresh_from_db()
    assert other.national_number == insz("700101", "555")


def test_an_organisation_is_edited_with_its_own_fields(desk, bakkerij):
    desk.post(
        reverse("backoffice:party_edit", args=[bakkerij.uuid]),
        {
            "name": "Bakkerij De Zon",
            "enterprise_number": "0403.019.261",
            "legal_form": "nv",
            "note": "Klant sinds 1990",
        },
    )

    bakkerij.refresh_from_db()
    assert (bakkerij.legal_form, bakkerij.note) == ("nv", "Klant sinds 1990")
