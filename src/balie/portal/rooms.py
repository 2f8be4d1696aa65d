"""The e-loket's room booking and payments: browse the rooms, see when one is free and what it
costs in the booker's own category, book it, pay online, and later find the booking (with its door
PIN once confirmed), cancel it, put it in an agenda, and download invoices and receipts.

Thin views: validate, fetch for the party the citizen acts for, call one action, render. Another
citizen's booking, order or receipt is "not found", whatever id is guessed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balie.core.ratelimit import allow
from balie.payments.actions import start_online_payment
from balie.payments.models import EntryKind, Order, OrderState
from balie.payments.money import format_euro
from balie.payments.pdfs import invoice_pdf, receipt_pdf
from balie.payments.queries import get_order_of_party, get_receipt_of_party, orders_of_party
from balie.reservations.actions import SlotTaken, cancel_booking, refund_for, request_booking
from balie.reservations.calendars import booking_ics
from balie.reservations.models import Booking, BookingStatus, Room
from balie.reservations.pricing import quote
from balie.reservations.queries import (
    bookable_rooms,
    bookable_rooms_stamp,
    cancellation_rules_of,
    category_for_party,
    get_bookable_room,
    get_booking_of_party,
    tariffs_of,
    week_of,
)
from balie.reservations.rules import check_slot
from balie.room_access.actions import pin_for_holder
from balie.room_access.models import CredentialKind, GrantState

from .access import CitizenRequest, citizen_required, pending_form
from .rooms_forms import BookingForm, CancelBookingForm

HOUR = dt.timedelta(hours=1)
ON_PAGE = 20
CANCELLABLE = (BookingStatus.REQUEST, BookingStatus.OPTION, BookingStatus.APPROVED, BookingStatus.CONFIRMED)


def _allowed(citizen: CitizenRequest, scope: str, *, times: int = 1) -> bool:
    """The portal's hourly limit per citizen, as for questions; `times` that for a form people
    send a few times while they look for a free slot."""
    return allow(
        scope=f"portal.{scope}",
        key=str(citizen.person.uuid),
        limit=settings.BALIE_PORTAL_QUESTIONS_PER_HOUR * times,
        per=HOUR,
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/too_many.html", status=429)


def _room(code: str) -> Room:
    try:
        return get_bookable_room(code)
    except Room.DoesNotExist:
        raise Http404 from None


def _booking(citizen: CitizenRequest, booking_id: uuid.UUID) -> Booking:
    try:
        return get_booking_of_party(citizen.party, booking_id)
    except Booking.DoesNotExist:
        raise Http404 from None


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# -- the rooms ----------------------------------------------------------------------------------


@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    """Every bookable room with its public facts; open to anyone (booking asks to sign in)."""
    # The list is the same for everyone: rendered once a minute or when a room changes (the stamp).
    return render(request, "portal/rooms.html", {"rooms": bookable_rooms(), "stamp": bookable_rooms_stamp()})


def _first_day(request: HttpRequest) -> dt.date:
    today = timezone.localdate()
    try:
        first = dt.date.fromisoformat(request.GET.get("van", ""))
    except ValueError:
        return today
    return min(max(first, today), today + dt.timedelta(days=3 * 366))


def _times(request: HttpRequest) -> dict[str, dt.time]:
    """A start and end proposed by a link (an alternative to a slot just taken)."""
    found = {}
    for param, field in (("begin", "start"), ("einde", "end")):
        try:
            found[field] = dt.time.fromisoformat(request.GET.get(param, ""))
        except ValueError:
            continue
    return found


@require_http_methods(["GET", "POST"])
@citizen_required
def room_page(request: HttpRequest, code: str) -> HttpResponse:
    """A room: its facts, its week (free and busy), the tariffs of the booker's category, and the
    booking form. "Prijs berekenen" shows the price of the chosen slot and what the rules say;
    "Reserveren" books it (an option that holds the slot until it is paid)."""
    citizen = cast(CitizenRequest, request)
    room = _room(code)
    category = category_for_party(citizen.party)
    first = _first_day(request)
    initial = {"date": first, "attendees": 1, **_times(request), **pending_form(request)}
    form = BookingForm(request.POST or None, room=room, initial=initial)
    priced = None
    taken: SlotTaken | None = None
    if request.method == "POST":
        if not _allowed(citizen, "room_form", times=3):
            return _too_many(request)
        if category is None:
            form.add_error(None, _("Online boeken kan niet voor u. Bel of mail de dienst Vrije tijd."))
        elif form.is_valid():
            starts_at, ends_at = form.slot()
            data = form.cleaned_data
            first = max(data["date"], timezone.localdate())  # the week of the chosen day
            verdict = check_slot(
                room=room,
                category=category,
                party=citizen.party,
                starts_at=starts_at,
                ends_at=ends_at,
                attendees=data["attendees"],
                layout=data["layout"] or "",
                now=timezone.now(),
            )
            form.add_verdict(verdict)
            if form.is_valid() and "reserveren" not in request.POST:
                priced = quote(room=room, category=category, starts_at=starts_at, ends_at=ends_at)
            elif form.is_valid():
                try:
                    booking = request_booking(
                        room=room,
                        party=citizen.party,
                        category=category,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        purpose=data["purpose"],
                        attendees=data["attendees"],
                        layout=data["layout"] or "",
                        channel="portal",
                        by=request.user,
                    )
                except SlotTaken as error:
                    taken = error
                except ValidationError as error:
                    form.add_refusal(error)
                else:
                    messages.success(
                        request,
                        _("Uw reservatie %(number)s is genoteerd als optie.") % {"number": booking.number},
                    )
                    return HttpResponseRedirect(reverse("portal:booking", args=[booking.uuid]))
    return render(
        request,
        "portal/room.html",
        {
            "room": room,
            "category": category,
            "tariffs": tariffs_of(room, category, on=first) if category else [],
            "cancellation_rules": cancellation_rules_of(room),
            "week": week_of(room, first=first),
            "previous": first - dt.timedelta(days=7) if first > timezone.localdate() else None,
            "next": first + dt.timedelta(days=7),
            "form": form,
            "priced": priced,
            "taken": taken,
        },
        status=400 if form.errors or taken else 200,
    )


# -- my bookings --------------------------------------------------------------------------------


def _refund_if_cancelled(booking: Booking, now: dt.datetime) -> Decimal | None:
    """What cancelling now would give back: the policy for a confirmed booking, everything paid
    for an option."""
    if booking.status == BookingStatus.CONFIRMED:
        return refund_for(booking, now=now)
    if booking.order_id is not None and booking.order is not None:
        return booking.order.paid_total()
    return None


def _booking_context(citizen: CitizenRequest, booking: Booking, cancel_form: CancelBookingForm) -> dict:
    now = timezone.now()
    order: Order | None = booking.order
    grant = booking.grant
    pin = ""
    if (
        booking.status == BookingStatus.CONFIRMED
        and grant is not None
        and grant.state == GrantState.ACTIVE
        and grant.kind == CredentialKind.PIN
        and grant.holder_id == citizen.party.pk
    ):
        pin = pin_for_holder(grant)  # shown to the booker only; never logged
    return {
        "booking": booking,
        "lines": list(booking.price_lines.all()),
        "order": order,
        "balance": order.balance() if order is not None and order.state == OrderState.OPEN else None,
        "grant": grant if pin else None,
        "pin": pin,
        "can_cancel": booking.status in CANCELLABLE and booking.starts_at > now,
        "refund": _refund_if_cancelled(booking, now) if booking.status in CANCELLABLE else None,
        "cancellation_rules": cancellation_rules_of(booking.room),
        "cancel_form": cancel_form,
    }


@require_GET
@citizen_required
def booking_page(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    booking = _booking(citizen, booking_id)
    if request.GET.get("betaling") and booking.status != BookingStatus.CONFIRMED:
        messages.info(
            request, _("Bedankt. Zodra de betaaldienst uw betaling bevestigt, is uw reservatie vast.")
        )
    return _private(
        render(request, "portal/booking.html", _booking_context(citizen, booking, CancelBookingForm()))
    )


@require_POST
@citizen_required
def booking_pay(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """To the payment provider's page for what is still open; back to the booking afterwards."""
    citizen = cast(CitizenRequest, request)
    booking = _booking(citizen, booking_id)
    if not _allowed(citizen, "payment"):
        return _too_many(request)
    back = request.build_absolute_uri(reverse("portal:booking", args=[booking.uuid]) + "?betaling=1")
    if booking.order is None or booking.status not in (BookingStatus.OPTION, BookingStatus.APPROVED):
        messages.error(request, _("Voor deze reservatie is er nu niets te betalen."))
        return HttpResponseRedirect(reverse("portal:booking", args=[booking.uuid]))
    try:
        return HttpResponseRedirect(start_online_payment(order=booking.order, return_url=back))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("portal:booking", args=[booking.uuid]))


@require_POST
@citizen_required
def booking_cancel(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Cancel a booking that has not started: the refund follows the cancellation policy."""
    citizen = cast(CitizenRequest, request)
    booking = _booking(citizen, booking_id)
    if not _allowed(citizen, "booking_cancel"):
        return _too_many(request)
    form = CancelBookingForm(request.POST)
    if form.is_valid():
        if booking.status not in CANCELLABLE or booking.starts_at <= timezone.now():
            form.add_error(None, _("Deze reservatie kan niet meer geannuleerd worden."))
        else:
            reason = form.cleaned_data["reason"].strip() or _("Geannuleerd door de aanvrager via het e-loket")
            try:
                cancelled = cancel_booking(booking=booking, by=request.user, reason=reason)
            except ValidationError as error:
                for problem in error.messages:
                    form.add_error(None, problem)
            else:
                text = _("Uw reservatie %(number)s is geannuleerd.") % {"number": cancelled.number}
                if cancelled.refund:
                    text += " " + _("U krijgt %(amount)s terug.") % {"amount": format_euro(cancelled.refund)}
                messages.success(request, text)
                return HttpResponseRedirect(reverse("portal:booking", args=[booking.uuid]))
    booking = _booking(citizen, booking_id)
    return _private(
        render(request, "portal/booking.html", _booking_context(citizen, booking, form), status=400)
    )


@require_GET
@citizen_required
def booking_calendar(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """The booking as an .ics file, for the booker's own agenda."""
    citizen = cast(CitizenRequest, request)
    booking = _booking(citizen, booking_id)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reservatie-{booking.number}.ics"'
    return _private(response)


# -- my payments --------------------------------------------------------------------------------


@require_GET
@citizen_required
def payment_list(request: HttpRequest) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    return _private(
        render(request, "portal/payments.html", {"orders": list(orders_of_party(citizen.party)[:100])})
    )


@require_GET
@citizen_required
def payment_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    order = get_order_of_party(citizen.party, order_id)
    return _private(
        render(
            request,
            "portal/payment.html",
            {
                "order": order,
                "lines": list(order.lines.all()),
                "entries": list(order.entries.exclude(kind=EntryKind.CHARGE)),
                "receipts": list(order.receipts.all()),
                "balance": order.balance(),
            },
        )
    )


@require_POST
@citizen_required
def payment_pay(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    order = get_order_of_party(citizen.party, order_id)
    if not _allowed(citizen, "payment"):
        return _too_many(request)
    back = request.build_absolute_uri(reverse("portal:payment", args=[order.uuid]))
    try:
        return HttpResponseRedirect(start_online_payment(order=order, return_url=back))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@require_GET
@citizen_required
def payment_invoice(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    order = get_order_of_party(citizen.party, order_id)
    return _pdf(invoice_pdf(order), f"factuur-{order.number}.pdf")


@require_GET
@citizen_required
def payment_receipt(request: HttpRequest, receipt_id: uuid.UUID) -> HttpResponse:
    citizen = cast(CitizenRequest, request)
    receipt = get_receipt_of_party(citizen.party, receipt_id)
    return _pdf(receipt_pdf(receipt), f"kasticket-{receipt.number}.pdf")
