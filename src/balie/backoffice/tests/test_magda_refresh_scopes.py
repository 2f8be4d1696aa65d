"""The weekly Rijksregister refresh looks after persons with an open case or a recent contact
(cases and contact_moments register their scope); the rest wait until they come back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.authentic_sources.magda_actions import apply_person_data, fetch_person, refresh_candidates
from balie.authentic_sources.models import SourcedFields
from balie.contact_moments.actions import register_contact_moment
from balie.parties.actions import register_party

from .conftest import insz

pytestmark = pytest.mark.django_db


def test_only_persons_with_a_recent_contact_or_an_open_case_are_refreshed(magda, purpose, front_desk, jan):
    quiet, _created = register_party(
        kind="person", family_name="Stil", national_number=insz("700101", "004"), by=front_desk
    )
    for party in (jan, quiet):
        fetched = fetch_person(party=party, purpose=purpose, by=front_desk)
        apply_person_data(party=party, answer=fetched.answer, by=front_desk)
    SourcedFields.objects.update(fetched_at=timezone.now() - dt.timedelta(days=10))
    assert list(refresh_candidates()) == []

    register_contact_moment(party=jan, channel="phone", summary="Vraag over afval", by=front_desk)

    assert [row.party for row in refresh_candidates()] == [jan]
