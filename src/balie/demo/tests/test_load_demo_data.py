"""The demo municipality loads on an empty database, once, with data that passes every rule."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone
from stdnum.be import nn

from balie.accounts.models import Role, RoleAssignment, User
from balie.cases.models import Case, RetentionReview
from balie.complaints.models import Complaint
from balie.contact_moments.models import ContactMoment, InternalTask, Outcome, TaskStatus
from balie.correspondence.models import PostItem
from balie.demo.identifiers import enterprise_number, establishment_number, national_number
from balie.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data
from balie.documents.models import LetterBlock, LetterTemplate, Mailing
from balie.mailboxes.models import IncomingMail, SentMail
from balie.parties.identifiers import (
    clean_enterprise_number,
    clean_establishment_number,
    clean_insz,
    clean_phone,
)
from balie.parties.models import ContactPoint, EstablishmentUnit, Party, PartyKind, Representation
from balie.reports.models import Report
from balie.room_access.models import AccessGrant, DoorZone


@pytest.mark.django_db
def test_the_loader_fills_an_empty_database_with_valid_demo_data() -> None:
    now = timezone.now()

    summary = load_demo_data(now=now, persons=120, contact_moments=1000)  # `balie demo`: 300 and 3000

    assert summary.loaded is True
    assert (summary.departments, summary.persons, summary.organisations, summary.associations) == (
        9,
        120,
        40,
        18,
    )
    # (one more: a demo complaint that was a question, converted into a contact moment; and the
    # outgoing e-mail contact of each mail the demo sends, and the incoming one of each mail it read)
    assert (
        summary.contact_moments
        == ContactMoment.objects.exclude(case__case_type__code="klacht").count()
        == 1000 + SentMail.objects.count() + IncomingMail.objects.filter(contact_moment__isnull=False).count()
    )
    assert summary.tasks == InternalTask.objects.count()
    assert (
        (summary.case_types, summary.cases)
        == (3, Case.objects.exclude(case_type__code__in=["klacht", "melding"]).count())
        == (
            3,
            126,
        )
    )
    # complaints in every step for the `klachten` login, and a closed year for the annual report
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == {
        "registered",
        "admissible",
        "acknowledged",
        "investigating",
        "answered",
        "closed",
        "inadmissible",
        "converted",
    }
    assert Complaint.objects.filter(received_on__year=now.year - 1, state="closed").count() == 18
    # reports (meldingen) on the map: their own case type, one merged as a duplicate
    assert Report.objects.count() == 41 and Report.objects.filter(status="duplicate").count() == 1
    # three letter templates with their blocks, and a mass mailing to the associations, queued
    assert summary.letter_templates == LetterTemplate.objects.count() == 3
    assert sorted(LetterBlock.objects.values_list("code", flat=True)) == [
        "briefhoofd",
        "handtekening",
        "slot",
    ]
    mailing = Mailing.objects.get()
    assert (mailing.state, mailing.total) == ("queued", 18)
    # a door zone per building on the demo controller, three association grants on their way to it
    assert DoorZone.objects.count() == 6
    assert (
        AccessGrant.objects.filter(reference__startswith="demo:", last_message__state="pending").count() == 3
    )
    # the room bookings' buildings open through their zone: confirmed future bookings hold a grant
    from balie.reservations.models import Booking, Building

    assert not Building.objects.filter(door_zone__isnull=True).exists()
    assert Booking.objects.filter(status="confirmed", grant__state="active").exists()
    assert Booking.objects.filter(order__isnull=False).exists()
    # six cases of three years ago wait for the archivist
    assert RetentionReview.objects.filter(decision="pending").count() == 6
    assert Case.objects.filter(closed_at__isnull=False).exists()
    assert Case.objects.filter(closed_at__isnull=True).exists()
    # every identifier passes the application's own validation
    numbers = list(Party.objects.filter(kind=PartyKind.PERSON).values_list("national_number", flat=True))
    assert len(numbers) == 120
    assert all(clean_insz(number) == number for number in numbers)
    kbo = list(Party.objects.exclude(enterprise_number=None).values_list("enterprise_number", flat=True))
    assert all(clean_enterprise_number(number) == number for number in kbo)
    assert Party.objects.filter(kind=PartyKind.ASSOCIATION, enterprise_number=None).count() == 10
    units = list(EstablishmentUnit.objects.values_list("number", flat=True))
    assert units and all(clean_establishment_number(number) == number for number in units)
    phones = ContactPoint.objects.exclude(kind="email").values_list("value", flat=True)
    assert all(clean_phone(value) == value for value in phones)
    assert Representation.objects.count() >= 58
    # one login per role, with the shared demo password
    assert sorted(role for _username, role in DEMO_LOGINS) == sorted(Role.values)
    for username, role in DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert set(user.roles) == {role}
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    # the history: six months, in the past, on every channel, some handed off, a few confidential
    moments = ContactMoment.objects.all()
    first = moments.order_by("registered_at").first()
    assert first is not None and first.registered_at > now - dt.timedelta(days=183)
    assert not moments.filter(registered_at__gt=now).exists()
    assert moments.values("channel").distinct().count() == 7
    assert moments.filter(outcome=Outcome.HANDED_OFF).count() == summary.tasks
    confidential = moments.filter(confidential=True)
    assert 0 < confidential.count() < 50
    assert set(confidential.values_list("department__code", flat=True)) == {"welzijn"}
    assert InternalTask.objects.filter(status=TaskStatus.TODO).exists()
    assert InternalTask.objects.filter(status=TaskStatus.DONE, done_at__lte=now).exists()
    # The history's own contacts are dated back, created_at included; contacts that other parts of
    # the demo register through their actions (mails, complaints …) carry the time of loading.
    history = moments.filter(created_at__lt=now)
    assert history.count() >= 1000
    for moment in history.order_by("?")[:100]:
        moment.full_clean()
        assert moment.created_at == moment.registered_at
        assert moment.department_id == moment.employee.department_id
    # the post register: incoming post in every state, answers sent, a batch still to complete
    post = PostItem.objects.all()
    assert summary.post_items == post.count() > 90
    incoming = post.filter(direction="in")
    assert set(incoming.values_list("status", flat=True)) == {
        "registered",
        "assigned",
        "in_treatment",
        "answered",
        "filed",
    }
    assert post.filter(direction="out", status="sent").exists()
    assert incoming.filter(needs_details=True).count() == 3
    assert set(incoming.filter(confidential=True).values_list("department__code", flat=True)) <= {
        "welzijn",
        "personeel",
    }
    assert not post.filter(registered_at__gt=now).exists()
    assert incoming.filter(status="in_treatment", deadline__lt=timezone.localdate(now)).exists()  # overdue
    numbers = sorted(
        int(n[-6:])
        for n in incoming.filter(number__startswith=f"IN-{now.year}").values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))  # gap-free
    for item in post.order_by("?")[:50]:
        item.full_clean()
        assert [e.sequence for e in item.history.order_by("sequence")] == list(
            range(1, item.history_count + 1)
        )


@pytest.mark.django_db
def test_loading_a_second_time_changes_nothing() -> None:
    load_demo_data(persons=10, contact_moments=20)
    counts = (Party.objects.count(), ContactMoment.objects.count(), User.objects.count())

    summary = load_demo_data(persons=10, contact_moments=20)

    assert summary.loaded is False
    assert (Party.objects.count(), ContactMoment.objects.count(), User.objects.count()) == counts


def test_generated_national_numbers_pass_the_checksum_in_both_centuries() -> None:
    rng = random.Random(1)

    for birth in (dt.date(1951, 3, 4), dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2006, 7, 8)):
        male = national_number(rng, birth_date=birth, male=True)
        female = national_number(rng, birth_date=birth, male=False)

        assert nn.is_valid(male) and nn.get_birth_date(male) == birth
        assert nn.is_valid(female) and nn.get_birth_date(female) == birth
        assert nn.get_gender(male) == "M" and nn.get_gender(female) == "F"


def test_generated_kbo_numbers_are_enterprise_and_establishment_numbers() -> None:
    rng = random.Random(2)

    numbers = [enterprise_number(rng) for _ in range(50)]
    units = [establishment_number(rng) for _ in range(50)]

    assert all(number[0] == "0" and clean_enterprise_number(number) == number for number in numbers)
    assert all(number[0] == "2" and clean_establishment_number(number) == number for number in units)
