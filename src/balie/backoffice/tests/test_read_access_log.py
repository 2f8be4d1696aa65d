"""The privacy officer searches who opened whose personal data, and exports it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.audit.actions import log_personal_data_access
from balie.audit.models import AccessChannel, PersonalDataAccess
from balie.parties.actions import register_party

from .conftest import client_for, field_error, html

LOG = reverse("backoffice:access_log")
CSV = reverse("backoffice:access_log_csv")


@pytest.fixture
def officer(privacy_officer):
    return client_for(privacy_officer)


@pytest.fixture
def julie(front_desk):
    party, _ = register_party(kind="person", family_name="Peeters", given_name="Julie", by=front_desk)
    return party


@pytest.fixture
def log(front_desk, handler, jan, julie):
    def access(by, subject, days_ago=0):
        row = log_personal_data_access(
            by=by,
            subject_uuid=subject.uuid,
            subject_type="person",
            channel=AccessChannel.PAGE,
            location=f"/klanten/{subject.uuid}",
        )
        PersonalDataAccess.objects.filter(pk=row.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))

    access(front_desk, jan, days_ago=10)
    access(handler, jan, days_ago=1)
    access(front_desk, julie, days_ago=1)


def _rows(response) -> int:
    return html(response).count("<tr>") - 1  # minus the header row


def test_it_lists_the_accesses_newest_first(officer, log):
    response = officer.get(LOG)

    assert response.status_code == 200
    assert _rows(response) == 3
    assert "Hans Handel (behandelaar)" in html(response)


def test_it_searches_by_national_number(officer, log, jan):
    response = officer.get(LOG, {"person": jan.national_number_display})

    assert _rows(response) == 2
    assert "Peeters Julie" not in html(response)


def test_a_name_with_several_persons_asks_which_one(officer, log, jan, julie):
    response = officer.get(LOG, {"person": "peeters"})

    assert "Meerdere personen gevonden" in field_error(response, "person")
    assert f"?person_id={jan.uuid}" in html(response) and f"?person_id={julie.uuid}" in html(response)


def test_a_unique_name_finds_the_person(officer, log, julie):
    response = officer.get(LOG, {"person": "peeters julie"})

    assert _rows(response) == 1


def test_it_searches_by_employee_and_period(officer, log, front_desk, handler):
    by_employee = officer.get(LOG, {"employee": str(handler.uuid)})
    today = timezone.localdate()
    by_period = officer.get(
        LOG, {"since": (today - dt.timedelta(days=3)).isoformat(), "until": today.isoformat()}
    )

    assert _rows(by_employee) == 1
    assert _rows(by_period) == 2


def test_bad_search_input_is_shown_next_to_the_field(officer, log):
    bad_number = officer.get(LOG, {"person": "85.07.30-033.99"})
    nobody = officer.get(LOG, {"person": "Vermeulen"})
    backwards = officer.get(LOG, {"since": "2026-02-01", "until": "2026-01-01"})

    assert "controlegetal klopt niet" in field_error(bad_number, "person")
    assert "Geen persoon gevonden" in field_error(nobody, "person")
    assert "De einddatum ligt voor de begindatum." in field_error(backwards, "until")


def test_it_pages_without_counting_the_whole_log(officer, front_desk, jan):
    for _ in range(51):
        log_personal_data_access(
            by=front_desk,
            subject_uuid=jan.uuid,
            subject_type="person",
            channel=AccessChannel.PAGE,
            location="/x",
        )

    first = officer.get(LOG)
    second = officer.get(LOG, {"pagina": "2"})

    assert _rows(first) == 50 and "pagina=2" in html(first)
    assert _rows(second) == 1 and "pagina=3" not in html(second)


def test_it_exports_the_search_as_csv(officer, log, jan, handler):
    response = officer.get(CSV, {"person": jan.national_number})

    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").strip().splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert lines[0].startswith("tijdstip;medewerker;")
    assert len(lines) == 3
    assert (
        f"Hans Handel (behandelaar);{handler.uuid};{jan.uuid};person;scherm;/klanten/{jan.uuid}" in lines[1]
    )


def test_a_cell_that_looks_like_a_formula_is_defused_in_the_csv(officer, front_desk, jan):
    log_personal_data_access(
        by=front_desk,
        subject_uuid=jan.uuid,
        subject_type="person",
        channel=AccessChannel.PAGE,
        location="/x",
        purpose='=HYPERLINK("http://x")',
    )

    body = b"".join(officer.get(CSV).streaming_content).decode()

    assert "'=HYPERLINK" in body
    assert ";=HYPERLINK" not in body and ';"=HYPERLINK' not in body


@pytest.mark.parametrize("path", [LOG, CSV])
def test_an_employee_without_the_role_is_refused(desk, log, path):
    response = desk.get(path)

    assert response.status_code == 403
    assert "Hans Handel" not in response.content.decode(errors="replace")


def test_the_privacy_menu_is_shown_only_to_the_privacy_officer(officer, desk):
    assert LOG in html(officer.get(reverse("backoffice:home")))
    assert LOG not in html(desk.get(reverse("backoffice:home")))
