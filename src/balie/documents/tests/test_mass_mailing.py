"""A mass mailing: one template × a list of parties, made letter by letter by the background
worker; one letter's failure is recorded without losing the others, a run that stopped is taken
up where it was, and failed letters can be tried again.

Post registration (a higher app) numbers each letter through a registrar; the one here does
what it would: an outgoing register number from the numbering service, and no letter by post for
a party without an address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.core.numbering import next_register_number
from balie.core.worker import run_ready_tasks
from balie.documents.letters.mailing import mailing_registrars, retry_failed, run_mailing_now, start_mailing
from balie.documents.letters.qr import find_letter_codes
from balie.documents.models import Document, Letter, Mailing, MailingItem, MailingState
from balie.parties.actions import add_address, register_party

from .letter_samples import pdf_text, stored


class PostRegister:
    """Numbers each letter OUT-YYYY-NNNNNN and refuses a party it cannot send a letter to."""

    def __init__(self) -> None:
        self.attached: list[tuple[str, str]] = []
        self.stop_at: int | None = None

    def reserve(self, *, mailing, item, by):
        if item.position == self.stop_at:
            self.stop_at = None
            raise SystemExit("the worker is killed here")
        if not item.party.addresses.exists():
            raise ValidationError("Geen adres bekend: deze brief kan niet met de post.")
        return {"register_number": next_register_number(prefix="OUT"), "subject": mailing.title}

    def attach(self, *, mailing, item, letter, by):
        self.attached.append((item.reserved["register_number"], letter.register_number))


REGISTER = PostRegister()
mailing_registrars.add("tests.post", REGISTER)


@pytest.fixture(autouse=True)
def _fresh_register():
    REGISTER.attached.clear()
    REGISTER.stop_at = None


def person(given: str, family: str, *, street: str | None = "Molenstraat") -> object:
    party, _created = register_party(kind="person", given_name=given, family_name=family, by=None)
    if street:
        add_address(
            party=party,
            kind="residence",
            street=street,
            house_number="5",
            postcode="2645",
            municipality="Zonnedaal",
            by=None,
        )
    return party


@pytest.fixture
def bookers(an) -> list:
    """The bookers of the parish hall, as room reservation would pass them."""
    return [an, person("Jef", "Claes"), person("Lies", "Maes")]


def test_a_mailing_makes_one_letter_per_party_in_the_background(acknowledgement, bookers, handler):
    mailing = start_mailing(
        template=acknowledgement,
        parties=bookers,
        by=handler,
        title="Zaal Heikant gesloten",
        registrar="tests.post",
    )

    assert mailing.state == MailingState.QUEUED
    assert mailing.total == 3
    assert Letter.objects.count() == 0

    run_ready_tasks()

    mailing.refresh_from_db()
    year = timezone.localdate().year
    assert (mailing.state, mailing.done_count, mailing.failed_count, mailing.percent) == (
        MailingState.DONE,
        3,
        0,
        100,
    )
    items = list(
        MailingItem.objects.filter(mailing=mailing).select_related("letter", "party").order_by("position")
    )
    assert [(i.party.family_name, i.state, i.letter.register_number) for i in items] == [
        ("Peeters", "done", f"OUT-{year}-000001"),
        ("Claes", "done", f"OUT-{year}-000002"),
        ("Maes", "done", f"OUT-{year}-000003"),
    ]
    assert REGISTER.attached == [(f"OUT-{year}-00000{n}",) * 2 for n in (1, 2, 3)]
    last = stored(items[2].letter.pdf_document.current_version)
    assert "Geachte Lies Maes" in pdf_text(last)
    assert [code.register_number for code in find_letter_codes(last)] == [f"OUT-{year}-000003"]
    assert Document.objects.count() == 6


def test_one_letter_failing_does_not_stop_the_others(acknowledgement, an, handler):
    nowhere = person("Kris", "Goris", street=None)
    mailing = start_mailing(
        template=acknowledgement, parties=[nowhere, an], by=handler, registrar="tests.post"
    )

    run_ready_tasks()

    mailing.refresh_from_db()
    assert (mailing.state, mailing.done_count, mailing.failed_count) == (MailingState.DONE, 1, 1)
    failed, made = MailingItem.objects.filter(mailing=mailing).order_by("position")
    assert (failed.state, failed.error, failed.letter) == (
        "failed",
        "Geen adres bekend: deze brief kan niet met de post.",
        None,
    )
    # The refused letter took no number: the register stays gap-free.
    assert made.letter.register_number == f"OUT-{timezone.localdate().year}-000001"
    assert Letter.objects.count() == 1


def test_failed_letters_are_tried_again(acknowledgement, an, handler):
    nowhere = person("Kris", "Goris", street=None)
    mailing = start_mailing(
        template=acknowledgement, parties=[an, nowhere], by=handler, registrar="tests.post"
    )
    run_ready_tasks()
    add_address(
        party=nowhere,
        kind="postal",
        street="Beekstraat",
        house_number="8",
        postcode="2646",
        municipality="Heikant",
        by=None,
    )

    assert retry_failed(mailing=mailing, by=handler) == 1
    run_ready_tasks()

    mailing.refresh_from_db()
    assert (mailing.state, mailing.done_count, mailing.failed_count) == (MailingState.DONE, 2, 0)
    assert sorted(Letter.objects.values_list("register_number", flat=True)) == [
        f"OUT-{timezone.localdate().year}-00000{n}" for n in (1, 2)
    ]


def test_only_who_sees_a_mailing_tries_it_again(acknowledgement, an, handler, front_desk):
    nowhere = person("Kris", "Goris", street=None)
    mailing = start_mailing(
        template=acknowledgement, parties=[nowhere], by=handler, registrar="tests.post", confidential=True
    )
    run_ready_tasks()

    with pytest.raises(ValidationError) as caught:
        retry_failed(mailing=mailing, by=front_desk)

    assert caught.value.messages == ["Deze reeks bestaat niet of u mag ze niet zien."]
    assert MailingItem.objects.get(mailing=mailing).state == "failed"


def test_a_mailing_whose_worker_died_continues_where_it_stopped(acknowledgement, bookers, handler):
    mailing = start_mailing(template=acknowledgement, parties=bookers, by=handler, registrar="tests.post")
    REGISTER.stop_at = 2

    with pytest.raises(SystemExit):
        run_mailing_now(mailing.pk)

    mailing.refresh_from_db()
    assert (mailing.state, mailing.done_count, mailing.runs) == (MailingState.RUNNING, 1, 1)
    assert list(MailingItem.objects.filter(mailing=mailing).values_list("state", flat=True)) == [
        "done",
        "pending",
        "pending",
    ]
    # Its lease runs out; the schedule's job enqueues a run that takes it up.
    Mailing.objects.filter(pk=mailing.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    from balie.documents.letters.tasks import resume_mailings

    resume_mailings.enqueue()
    run_ready_tasks()

    mailing.refresh_from_db()
    assert (mailing.state, mailing.done_count, mailing.failed_count) == (MailingState.DONE, 3, 0)
    assert Letter.objects.count() == 3
    assert sorted(Letter.objects.values_list("register_number", flat=True)) == [
        f"OUT-{timezone.localdate().year}-00000{n}" for n in (1, 2, 3)
    ]


def test_a_run_leaves_alone_a_mailing_another_run_holds(acknowledgement, an, handler):
    mailing = start_mailing(template=acknowledgement, parties=[an], by=handler)
    Mailing.objects.filter(pk=mailing.pk).update(
        state=MailingState.RUNNING, runner="other", lease_until=timezone.now() + dt.timedelta(minutes=3)
    )

    assert run_mailing_now(mailing.pk) == {"made": 0, "failed": 0}
    assert Letter.objects.count() == 0


def test_a_mailing_needs_parties_and_an_employee(acknowledgement, an, handler, citizen):
    with pytest.raises(ValidationError) as nobody:
        start_mailing(template=acknowledgement, parties=[], by=handler)
    with pytest.raises(ValidationError) as outsider:
        start_mailing(template=acknowledgement, parties=[an], by=citizen)

    assert nobody.value.messages == ["Kies minstens één geadresseerde."]
    assert outsider.value.messages == ["Alleen een medewerker van de gemeente kan brieven maken."]
    assert Mailing.objects.count() == 0
