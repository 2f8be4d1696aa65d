from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balie.audit.models import ChangeRecord
from balie.reservations.actions import SlotTaken, request_booking
from balie.reservations.models import Booking, BookingStatus, Occupancy

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def book(room, party, category, by, start, end, **extra):
    return request_booking(
        room=room,
        party=party,
        category=category,
        starts_at=start,
        ends_at=end,
        purpose="Repetitie",
        by=by,
        now=NOW,
        **extra,
    )


def test_a_free_slot_becomes_an_option_with_a_number_and_a_frozen_price(
    hall_a, association, resident, room_manager, tariffs, projector
):
    booking = book(
        hall_a, association, resident, room_manager, at(10, 14), at(10, 16), facilities=[projector]
    )

    assert booking.status == BookingStatus.OPTION
    assert booking.number == "ZR-2026-000001"
    assert booking.option_expires_at == NOW + dt.timedelta(hours=72)
    assert [(line.description, line.quantity, line.unit_price) for line in booking.price_lines.all()] == [
        ("Zaal A (per uur)", Decimal("2.00"), Decimal("25.00")),
        ("Projector (per uur)", Decimal("2.00"), Decimal("5.00")),
    ]
    assert (booking.total_excl_vat, booking.total_vat, booking.total) == (
        Decimal("60.00"),
        Decimal("12.60"),
        Decimal("72.60"),
    )
    assert booking.deposit == Decimal("100.00")
    assert [(s.from_status, s.to_status) for s in booking.status_changes.all()] == [
        ("", "request"),
        ("request", "option"),
    ]
    occupancy = Occupancy.objects.get(booking=booking)
    assert (occupancy.starts_at, occupancy.ends_at) == (at(10, 14), at(10, 16, 30))  # clean-up buffer
    assert ChangeRecord.objects.filter(object_uuid=booking.uuid, action="create").count() == 1


def test_an_evening_is_charged_as_one_evening_block(hall_a, association, resident, room_manager, tariffs):
    booking = book(hall_a, association, resident, room_manager, at(10, 19), at(10, 22))

    assert [(line.time_block, line.quantity, line.unit_price) for line in booking.price_lines.all()] == [
        ("evening", Decimal("1.00"), Decimal("90.00"))
    ]


def test_the_price_stays_frozen_when_the_tariff_changes(hall_a, association, resident, room_manager, tariffs):
    booking = book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))
    hall_a.tariffs.update(price=Decimal("99"))

    booking.refresh_from_db()
    assert booking.total == Decimal("60.50")


def test_an_overlapping_slot_is_just_taken_with_alternatives(
    hall_a, hall_b, association, other_party, resident, room_manager
):
    book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))

    with pytest.raises(SlotTaken) as refused:
        book(hall_a, other_party, resident, room_manager, at(10, 16, 15), at(10, 18))  # inside the buffer

    assert "net geboekt" in refused.value.messages[0]
    assert refused.value.alternatives[0].room == hall_b
    assert Booking.objects.count() == 1


def test_back_to_back_after_the_buffer_is_fine(hall_a, association, other_party, resident, room_manager):
    book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))
    second = book(hall_a, other_party, resident, room_manager, at(10, 16, 30), at(10, 18))

    assert second.status == BookingStatus.OPTION


def test_the_combined_hall_blocks_both_parts(
    hall_ab, hall_a, hall_b, association, other_party, resident, room_manager
):
    book(hall_ab, association, resident, room_manager, at(10, 14), at(10, 16))

    with pytest.raises(SlotTaken):
        book(hall_b, other_party, resident, room_manager, at(10, 15), at(10, 17))
    assert sorted(Occupancy.objects.values_list("unit__code", flat=True)) == ["zaal-a", "zaal-b"]


def test_a_part_that_is_booked_blocks_the_combined_hall(
    hall_ab, hall_a, association, other_party, resident, room_manager
):
    book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))

    with pytest.raises(SlotTaken):
        book(hall_ab, other_party, resident, room_manager, at(10, 15), at(10, 17))


@pytest.mark.parametrize(
    ("start", "end", "extra", "message"),
    [
        (at(10, 16), at(10, 14), {}, "Het einde ligt voor het begin."),
        (at(10, 6), at(10, 9), {}, "Dit moment valt buiten de openingsuren van de zaal."),
        (at(10, 14), at(10, 16), {"attendees": 81}, "Te veel personen"),
        (at(10, 14), at(10, 16), {"attendees": 41, "layout": "classroom"}, "Te veel personen"),
        (
            dt.datetime(2026, 12, 1, 14, tzinfo=dt.UTC),
            dt.datetime(2026, 12, 1, 16, tzinfo=dt.UTC),
            {},
            "Zo ver vooruit kan nog niet geboekt worden: hoogstens 180 dagen.",
        ),
        (at(1, 14), at(1, 16), {}, "Dit moment ligt in het verleden."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    hall_a, association, resident, room_manager, start, end, extra, message
):
    with pytest.raises(ValidationError) as refused:
        book(hall_a, association, resident, room_manager, start, end, **extra)

    assert any(m.startswith(message) for m in refused.value.messages)
    assert Booking.objects.count() == 0
    assert Occupancy.objects.count() == 0


def test_a_room_manager_may_override_the_opening_hours_with_a_reason(
    hall_a, association, resident, room_manager
):
    booking = book(
        hall_a,
        association,
        resident,
        room_manager,
        at(10, 6),
        at(10, 9),
        override_reason="Vroege opbouw markt",
    )

    assert booking.rules_overridden is True
    record = ChangeRecord.objects.get(object_uuid=booking.uuid, action="update")
    assert record.reason == "Vroege opbouw markt"


def test_a_front_desk_clerk_may_not_override(hall_a, association, resident, front_desk_clerk):
    with pytest.raises(PermissionDenied):
        book(hall_a, association, resident, front_desk_clerk, at(10, 6), at(10, 9), override_reason="graag")
    assert Booking.objects.count() == 0


def test_a_category_not_eligible_for_the_room_is_refused(
    hall_a, association, resident, recognised, room_manager
):
    hall_a.eligible_categories.set([recognised])

    with pytest.raises(ValidationError) as refused:
        book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))

    assert refused.value.messages == ["Deze zaal kan niet geboekt worden door “Inwoner”."]


def test_the_monthly_quota_is_enforced(hall_a, association, resident, room_manager):
    resident.max_bookings_per_month = 1
    resident.save()
    book(hall_a, association, resident, room_manager, at(10, 14), at(10, 16))

    with pytest.raises(ValidationError) as refused:
        book(hall_a, association, resident, room_manager, at(12, 14), at(12, 16))

    assert refused.value.messages == ["Het maximum van 1 boekingen per maand is bereikt."]
    assert Booking.objects.count() == 1
