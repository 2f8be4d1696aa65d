# ruff: noqa: F811 - the room fixtures come from reservations' conftest
"""A citizen books a room at the e-loket at the price of their own category, pays it online at the
(demo) payment provider, sees the door PIN of the confirmed booking, cancels within the policy and
gets the refund it promises. Bad slots are refused next to their field and store nothing; another
citizen's booking, order, invoice and receipt are "not found", whatever id is guessed."""

from __future__ import annotations

import datetime as dt
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balie.parties.actions import add_representation, register_party
from balie.parties.models import PartyKind
from balie.payments.adapters.demo_provider import ensure_demo_provider
from balie.payments.models import EntryKind, Order, OrderState
from balie.reservations.actions import request_booking
from balie.reservations.models import Booking, BookingStatus, CustomerCategory, Tariff, TimeBlock
from balie.reservations.tests.conftest import (  # noqa: F401 - fixtures
    building,
    days_ahead,
    demo_door,
    door_zone,
    hall_a,
    meeting_room,
    pay_at_register,
    projector,
    recognised,
    resident,
    room_manager,
    tariffs,
)
from balie.reservations.tests.conftest import cashier as room_cashier  # noqa: F401 - a fixture
from balie.room_access.actions import pin_for_holder
from balie.room_access.models import GrantState

from .conftest import citizen

NO_REASON = {"reason": "", "website": ""}

# -- given ----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _zonnedaal(settings) -> None:
    settings.BALIE_FICTIONAL_POSTCODES = True  # Zonnedaal's 2645
    settings.BALIE_RESIDENT_POSTCODES = ["2645", "2646"]


@pytest.fixture
def categories(resident, recognised):
    return {
        "resident": resident,
        "association": recognised,
        "non_resident": CustomerCategory.objects.create(
            code="non_resident", name="Niet-inwoner", horizon_days=90
        ),
        "company": CustomerCategory.objects.create(code="company", name="Onderneming", horizon_days=120),
    }


@pytest.fixture
def priced(tariffs, hall_a, categories):
    """Next to the resident's 25/hour (deposit 100): non-residents 40/hour, companies 60/hour."""
    for code, price in (("non_resident", "40"), ("company", "60")):
        Tariff.objects.create(
            room=hall_a,
            category=categories[code],
            time_block=TimeBlock.HOUR,
            valid_from=dt.date(2026, 1, 1),
            price=Decimal(price),
            deposit=Decimal("100"),
        )


@pytest.fixture
def jan(db):
    """Unlike the shared Jan, this one lives in Zonnedaal (2645): he books at the residents' price."""
    return citizen("85073003328", "Jan", "Peeters", postcode="2645")


def _form(day: dt.datetime, start: str, end: str, **extra) -> dict[str, str]:
    data = {
        "date": day.date().isoformat(),
        "start": start,
        "end": end,
        "layout": "theatre",
        "attendees": "40",
        "purpose": "Ledenvergadering",
        "website": "",
        "reserveren": "1",
    }
    data.update(extra)
    return data


def _book(client: Client, room, day: dt.datetime, start: str = "14:00", end: str = "16:00", **extra):
    return client.post(reverse("portal:room", args=[room.code]), _form(day, start, end, **extra))


# -- browsing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anyone_sees_the_rooms_with_their_public_facts(hall_a, priced):
    hall_a.graph_mailbox = "zaal-a@zonnedaal.be"
    hall_a.save()

    page = Client().get(reverse("portal:rooms")).content.decode()

    assert "Zaal A" in page and "Gemeenschapscentrum De Kring" in page and "Tot 80 personen" in page
    assert "zaal-a@zonnedaal.be" not in page


@pytest.mark.django_db
def test_the_cached_room_list_shows_a_room_switched_off_or_renamed_at_once(hall_a, priced):
    before = Client().get(reverse("portal:rooms")).content.decode()
    hall_a.name = "Zaal Aurora"
    hall_a.save()
    renamed = Client().get(reverse("portal:rooms")).content.decode()
    hall_a.active = False
    hall_a.save()
    off = Client().get(reverse("portal:rooms")).content.decode()

    assert "Zaal A<" in before and "Zaal Aurora" in renamed and "Zaal Aurora" not in off


@pytest.mark.django_db
def test_the_room_page_shows_the_tariff_of_my_category_and_the_busy_blocks(
    jan, els, hall_a, priced, room_manager, categories
):
    client, _party = jan
    day = days_ahead(2, 10)
    request_booking(
        room=hall_a,
        party=els[1],
        category=categories["resident"],
        starts_at=day,
        ends_at=day + dt.timedelta(hours=2),
        purpose="Geheim feestje",
        by=room_manager,
    )

    page = client.get(reverse("portal:room", args=[hall_a.code])).content.decode()

    assert "U reserveert als: <strong>Inwoner</strong>" in page
    assert "€ 25,00" in page and "€ 40,00" not in page and "€ 60,00" not in page
    assert "Bezet: 10:00–12:30" in page  # with the half hour to tidy up; no name, no purpose
    assert "Geheim feestje" not in page and "Maes" not in page


@pytest.mark.django_db
def test_signing_in_is_needed_to_book(hall_a):
    response = Client().get(reverse("portal:room", args=[hall_a.code]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


# -- booking -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resident_books_an_option_at_the_resident_price(jan, hall_a, priced):
    client, party = jan
    day = days_ahead(30, 0)

    response = _book(client, hall_a, day)

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:booking", args=[booking.uuid])
    assert (booking.party, booking.category.code, booking.status, booking.channel) == (
        party,
        "resident",
        BookingStatus.OPTION,
        "portal",
    )
    # 2 hours at 25 + 21% VAT; the deposit on top
    assert (booking.total, booking.deposit) == (Decimal("60.50"), Decimal("100.00"))
    assert [(line.quantity, line.unit_price) for line in booking.price_lines.all()] == [
        (Decimal("2.00"), Decimal("25.00"))
    ]
    assert (booking.order.party, booking.order.total, booking.order.state) == (
        party,
        Decimal("160.50"),
        OrderState.OPEN,
    )
    page = client.get(response["Location"]).content.decode()
    assert booking.number in page and "Online betalen" in page and "€ 160,50" in page


@pytest.mark.django_db
def test_a_non_resident_pays_the_non_resident_price(els, hall_a, priced):
    client, _party = els

    _book(client, hall_a, days_ahead(30, 0))

    booking = Booking.objects.get()
    assert (booking.category.code, booking.total) == ("non_resident", Decimal("96.80"))


@pytest.mark.django_db
def test_the_price_preview_shows_the_quote_and_stores_nothing(jan, hall_a, priced):
    client, _party = jan
    data = _form(days_ahead(30, 0), "14:00", "16:00")
    del data["reserveren"]
    data["prijs"] = "1"

    response = client.post(reverse("portal:room", args=[hall_a.code]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Prijs van dit moment" in page and "Totaal: € 60,50" in page and "waarborg € 100,00" in page
    assert Booking.objects.count() == 0 and Order.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start": "16:00", "end": "14:00"}, "end", "Het einde ligt voor het begin."),
        ({"start": "06:00", "end": "07:30"}, "start", "Dit moment valt buiten de openingsuren van de zaal."),
        ({"date": "beyond"}, "date", "Zo ver vooruit kan nog niet geboekt worden: hoogstens 180 dagen."),
        ({"attendees": "500"}, "attendees", "Te veel personen: deze zaal biedt in deze opstelling plaats"),
        ({"date": "yesterday"}, "date", "Dit moment ligt in het verleden."),
        ({"purpose": ""}, "purpose", "Dit veld is verplicht."),
    ],
)
def test_a_refused_slot_is_explained_next_to_its_field_and_stores_nothing(
    jan, hall_a, priced, changes, field, message
):
    client, _party = jan
    data = _form(days_ahead(30, 0), "14:00", "16:00")
    if changes.get("date") == "beyond":
        changes = {"date": days_ahead(200, 0).date().isoformat()}
    elif changes.get("date") == "yesterday":
        changes = {"date": days_ahead(-1, 0).date().isoformat()}
    data.update(changes)

    response = client.post(reverse("portal:room", args=[hall_a.code]), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="error" id="id_{field}_error">{message}' in page
    assert Booking.objects.count() == 0 and Order.objects.count() == 0


@pytest.mark.django_db
def test_a_slot_taken_a_moment_earlier_offers_alternatives_and_stores_nothing(
    jan, els, hall_a, meeting_room, priced, room_manager, categories
):
    client, _party = jan
    day = days_ahead(30, 0)
    theirs = request_booking(
        room=hall_a,
        party=els[1],
        category=categories["non_resident"],
        starts_at=day + dt.timedelta(hours=14),
        ends_at=day + dt.timedelta(hours=16),
        purpose="Vergadering",
        by=room_manager,
    )

    response = _book(client, hall_a, day, attendees="10")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Dit moment is net geboekt door iemand anders" in page
    assert reverse("portal:room", args=[meeting_room.code]) in page  # free at that time
    assert list(Booking.objects.all()) == [theirs]


@pytest.mark.django_db
def test_acting_for_an_organisation_books_for_it_in_its_category(jan, hall_a, priced):
    client, person = jan
    company, _created = register_party(
        kind=PartyKind.ORGANISATION, name="Bakkerij Peeters", enterprise_number="0403170701", by=None
    )
    add_representation(representative=person, represented=company, capacity="zaakvoerder", by=None)
    client.post(reverse("portal:act_for"), {"party": str(company.uuid)})

    _book(client, hall_a, days_ahead(30, 0))

    booking = Booking.objects.get()
    assert (booking.party, booking.category.code, booking.total) == (company, "company", Decimal("145.20"))
    assert booking.order.party == company


@pytest.mark.django_db
def test_too_many_booking_attempts_are_refused(jan, hall_a, priced, settings):
    settings.BALIE_PORTAL_QUESTIONS_PER_HOUR = 1
    client, _party = jan
    for days in (30, 31, 32):  # three tries an hour for the booking form
        _book(client, hall_a, days_ahead(days, 0))

    response = _book(client, hall_a, days_ahead(33, 0))

    assert response.status_code == 429 and Booking.objects.count() == 3


# -- paying online, the door PIN, cancelling -----------------------------------------------------


@pytest.fixture
def balie_server(settings, transactional_db) -> Iterator[str]:
    """Balie itself on a loopback port, for the payment provider's webhook."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.BALIE_PAYMENT_WEBHOOK_BASE_URL = url
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def psp(settings):
    demo = ensure_demo_provider()
    demo.payments.clear()
    demo.sent_webhooks.clear()
    return demo


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _choose(checkout_url: str, method: str) -> tuple[int, str]:
    """What the payer's browser does on the provider's page: post the chosen method."""
    opener = urllib.request.build_opener(_NoRedirect)
    data = urllib.parse.urlencode({"method": method}).encode()
    try:
        opener.open(urllib.request.Request(checkout_url, data=data, method="POST"), timeout=10)  # noqa: S310
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", "")
    raise AssertionError("the provider did not redirect")


def test_paying_online_confirms_the_booking_and_shows_the_door_pin_then_cancelling_refunds_it(
    jan, hall_a, priced, door_zone, psp, balie_server
):
    client, party = jan
    _book(client, hall_a, days_ahead(30, 0))
    booking = Booking.objects.get()
    page_url = reverse("portal:booking", args=[booking.uuid])

    to_provider = client.post(reverse("portal:booking_pay", args=[booking.uuid]))
    assert to_provider.status_code == 302 and to_provider["Location"].startswith(psp.url)
    status, back = _choose(to_provider["Location"], "bancontact")

    assert (status, back) == (303, f"http://testserver{page_url}?betaling=1")
    booking.refresh_from_db()
    grant = booking.grant
    assert (booking.status, booking.order.state) == (BookingStatus.CONFIRMED, OrderState.PAID)
    assert (grant.holder, grant.state) == (party, GrantState.ACTIVE)
    page = client.get(page_url)
    pin = pin_for_holder(grant)
    assert page["Cache-Control"] == "private, no-store"
    assert f'<p class="pin__code">{pin}</p>' in page.content.decode()
    payments = client.get(reverse("portal:payments")).content.decode()
    assert booking.order.number in payments and "betaald" in payments

    # 30 days ahead: the whole price and the deposit come back
    cancelled = client.post(reverse("portal:booking_cancel", args=[booking.uuid]), NO_REASON)

    booking.refresh_from_db()
    grant.refresh_from_db()
    assert cancelled.status_code == 302
    assert (booking.status, booking.refund, grant.state) == (
        BookingStatus.CANCELLED,
        Decimal("160.50"),
        GrantState.REVOKED,
    )
    refunds = booking.order.entries.filter(kind=EntryKind.REFUND)
    assert [(e.amount, e.method) for e in refunds] == [(Decimal("160.50"), "online")]
    assert pin not in client.get(page_url).content.decode()


@pytest.mark.django_db
def test_cancelling_a_confirmed_booking_five_days_ahead_gives_back_half_and_the_deposit(
    jan, hall_a, priced, room_cashier, django_capture_on_commit_callbacks
):
    client, _party = jan
    _book(client, hall_a, days_ahead(5, 0))
    booking = Booking.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        pay_at_register(booking.order, room_cashier)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert "€ 130,25" in client.get(reverse("portal:booking", args=[booking.uuid])).content.decode()

    client.post(reverse("portal:booking_cancel", args=[booking.uuid]), {"reason": "Ziek", "website": ""})

    booking.refresh_from_db()
    assert (booking.status, booking.refund) == (BookingStatus.CANCELLED, Decimal("130.25"))
    assert booking.status_changes.last().reason == "Ziek"


@pytest.mark.django_db
def test_a_booking_that_has_started_cannot_be_cancelled_and_nothing_changes(
    jan, hall_a, priced, room_manager, categories
):
    client, party = jan
    started = request_booking(
        room=hall_a,
        party=party,
        category=categories["resident"],
        starts_at=timezone.now() + dt.timedelta(minutes=1),
        ends_at=timezone.now() + dt.timedelta(hours=2),
        purpose="Vergadering",
        by=room_manager,
        override_reason="test: vandaag",
    )
    Booking.objects.filter(pk=started.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))

    response = client.post(reverse("portal:booking_cancel", args=[started.uuid]), NO_REASON)

    started.refresh_from_db()
    assert response.status_code == 400 and "kan niet meer geannuleerd worden" in response.content.decode()
    assert started.status == BookingStatus.OPTION and started.order.state == OrderState.OPEN


@pytest.mark.django_db
def test_the_booking_goes_into_my_agenda_as_an_ics_file(jan, hall_a, priced):
    client, _party = jan
    _book(client, hall_a, days_ahead(30, 0))
    booking = Booking.objects.get()

    response = client.get(reverse("portal:booking_calendar", args=[booking.uuid]))

    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:{booking.uuid}@balie" in body and f"SUMMARY:{booking.number} Ledenvergadering" in body


@pytest.mark.django_db
def test_mine_lists_my_bookings_and_payments_and_the_invoice_downloads(jan, els, hall_a, priced):
    client, _party = jan
    _book(client, hall_a, days_ahead(30, 0))
    _book(els[0], hall_a, days_ahead(31, 0), purpose="Feest bij Els")
    mine = Booking.objects.get(party=jan[1])
    theirs = Booking.objects.get(party=els[1])

    page = client.get(reverse("portal:mine")).content.decode()
    invoice = client.get(reverse("portal:payment_invoice", args=[mine.order.uuid]))
    order_page = client.get(reverse("portal:payment", args=[mine.order.uuid])).content.decode()

    assert mine.number in page and mine.order.number in page
    assert theirs.number not in page and theirs.order.number not in page
    assert invoice.status_code == 200 and invoice.content.startswith(b"%PDF")
    assert mine.order.ogm_display in order_page


# -- outsiders -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_guessing_another_citizens_booking_order_invoice_or_receipt_shows_not_found(
    jan, els, hall_a, priced, room_cashier, django_capture_on_commit_callbacks
):
    client, _party = jan
    _book(els[0], hall_a, days_ahead(30, 0))
    theirs = Booking.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        pay_at_register(theirs.order, room_cashier)
    receipt = theirs.order.receipts.get()

    gets = [
        reverse("portal:booking", args=[theirs.uuid]),
        reverse("portal:booking_calendar", args=[theirs.uuid]),
        reverse("portal:payment", args=[theirs.order.uuid]),
        reverse("portal:payment_invoice", args=[theirs.order.uuid]),
        reverse("portal:payment_receipt", args=[receipt.uuid]),
    ]
    posts = [
        reverse("portal:booking_cancel", args=[theirs.uuid]),
        reverse("portal:booking_pay", args=[theirs.uuid]),
        reverse("portal:payment_pay", args=[theirs.order.uuid]),
    ]

    assert [client.get(url).status_code for url in gets] == [404] * len(gets)
    assert [client.post(url, {"reason": "weg", "website": ""}).status_code for url in posts] == [404] * 3
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED and theirs.refund is None
    # and Els herself gets her receipt
    assert els[0].get(reverse("portal:payment_receipt", args=[receipt.uuid])).content.startswith(b"%PDF")
