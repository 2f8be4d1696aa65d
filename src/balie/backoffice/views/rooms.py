"""Room booking in the back-office: the planning board (rooms × days), a booking and what can be
done with it, approvals, a counter booking for a walk-in customer, and occupancy and revenue."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balie.parties.actions import register_party
from balie.parties.models import PartyKind
from balie.reservations import oslo
from balie.reservations.actions import (
    SlotTaken,
    approve_booking,
    cancel_booking,
    confirm_booking,
    mark_no_show,
    request_booking,
    reschedule_booking,
)
from balie.reservations.models import Booking, BookingStatus
from balie.reservations.permissions import can_book_rooms, can_manage_bookings
from balie.reservations.queries import (
    awaiting_approval_for,
    bookings_for,
    figures_for,
    get_booking_for,
    planning_board_for,
    rooms,
    waiting_list_for,
)
from balie.reservations.workflow import allowed_next

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.rooms import CancelForm, CounterBookingForm, MoveForm

MOVABLE = (BookingStatus.REQUEST, BookingStatus.OPTION, BookingStatus.APPROVED, BookingStatus.CONFIRMED)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _booking(request: EmployeeRequest, uuid: Any) -> Booking:
    try:
        return get_booking_for(request.user, uuid)
    except Booking.DoesNotExist:
        raise Http404 from None


@require_GET
@permission_required(can_book_rooms)
def planning(request: EmployeeRequest) -> HttpResponseBase:
    first = _date(request.GET.get("van"), timezone.localdate())
    board = planning_board_for(request.user, first=first, days=7)
    return render(
        request,
        "backoffice/rooms/planning.html",
        {
            "board": board,
            "first": first,
            "previous": first - dt.timedelta(days=7),
            "next": first + dt.timedelta(days=7),
            "approvals": awaiting_approval_for(request.user).count(),
            "can_move": can_manage_bookings(request.user),
            "movable": MOVABLE,
        },
    )


@require_GET
@permission_required(can_book_rooms)
def booking_detail(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    booking = _booking(request, uuid)
    local_start = timezone.localtime(booking.starts_at)
    local_end = timezone.localtime(booking.ends_at)
    return render(
        request,
        "backoffice/rooms/booking.html",
        {
            "booking": booking,
            "next_statuses": allowed_next(booking) if can_manage_bookings(request.user) else [],
            "history": booking.status_changes.select_related("by"),
            "lines": booking.price_lines.all(),
            "move_form": MoveForm(
                initial={
                    "room": booking.room_id,
                    "date": local_start.date(),
                    "start": local_start.time(),
                    "end": local_end.time(),
                }
            ),
            "cancel_form": CancelForm(),
        },
    )


@require_POST
@permission_required(can_manage_bookings)
def booking_status(request: EmployeeRequest, uuid: Any, status: str) -> HttpResponseBase:
    booking = _booking(request, uuid)
    reason = request.POST.get("reason", "")
    steps = {
        "approved": lambda: approve_booking(booking=booking, by=request.user),
        "confirmed": lambda: confirm_booking(booking=booking, by=request.user),
        "cancelled": lambda: cancel_booking(booking=booking, by=request.user, reason=reason),
        "no_show": lambda: mark_no_show(booking=booking, by=request.user, reason=reason),
    }
    if status not in steps:
        raise Http404
    try:
        steps[status]()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De boeking is bijgewerkt."))
    return redirect("backoffice:room_booking", uuid=booking.uuid)


@require_POST
@permission_required(can_manage_bookings)
def booking_move(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    """The "Verplaatsen" form of the booking page; the planning board's drag posts the same form
    with `terug` set to the board, where the outcome is shown."""
    booking = _booking(request, uuid)
    form = MoveForm(request.POST)
    if form.is_valid():
        start, end = form.slot()
        try:
            reschedule_booking(
                booking=booking, starts_at=start, ends_at=end, room=form.cleaned_data["room"], by=request.user
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Boeking %(number)s is verplaatst.") % {"number": booking.number})
    else:
        messages.error(request, _("Kies een zaal en vul een geldige datum en uren in."))
    back = request.POST.get("terug", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("backoffice:room_booking", uuid=booking.uuid)


@require_GET
@permission_required(can_manage_bookings)
def approvals(request: EmployeeRequest) -> HttpResponseBase:
    return render(
        request,
        "backoffice/rooms/approvals.html",
        {
            "bookings": awaiting_approval_for(request.user)[:200],
            "waiting": waiting_list_for(request.user)[:200],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(can_book_rooms)
def counter_booking(request: EmployeeRequest) -> HttpResponseBase:
    """A walk-in customer books at the counter: their name, the slot, and (paid at once) confirmed."""
    initial = {"room": request.GET.get("zaal"), "date": request.GET.get("datum")}
    form = CounterBookingForm(request.POST or None, initial=initial)
    taken: SlotTaken | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.slot()
        try:
            party, _created = register_party(
                kind=PartyKind.PERSON,
                by=request.user,
                given_name=data["given_name"],
                family_name=data["family_name"],
            )
            booking = request_booking(
                room=data["room"],
                party=party,
                category=data["category"],
                starts_at=start,
                ends_at=end,
                purpose=data["purpose"],
                attendees=data["attendees"],
                layout=data["layout"],
                facilities=list(data["facilities"]),
                channel="counter",
                by=request.user,
                override_reason=data["override_reason"],
            )
            if data["confirm_now"] and not booking.room.requires_approval:
                booking = confirm_booking(booking=booking, by=request.user)
        except SlotTaken as error:
            taken = error
        except PermissionDenied as error:
            form.add_error("override_reason", str(error))
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Boeking %(number)s is gemaakt.") % {"number": booking.number})
            return redirect("backoffice:room_booking", uuid=booking.uuid)
    return render(request, "backoffice/rooms/counter.html", {"form": form, "taken": taken})


@require_GET
@permission_required(can_manage_bookings)
def figures(request: EmployeeRequest) -> HttpResponseBase:
    today = timezone.localdate()
    first = _date(request.GET.get("van"), today.replace(day=1))
    last = _date(request.GET.get("tot"), today)
    per_room, per_category = figures_for(request.user, first=first, last=last)
    top_hours = max((f.hours for f in per_room), default=0) or 1
    top_revenue = max((float(f.revenue) for f in per_category), default=0) or 1
    return render(
        request,
        "backoffice/rooms/figures.html",
        {
            "first": first,
            "last": last,
            "per_room": [(f, round(100 * f.hours / top_hours)) for f in per_room],
            "per_category": [(f, round(100 * float(f.revenue) / top_revenue)) for f in per_category],
        },
    )


@require_GET
@permission_required(can_book_rooms)
def oslo_export(request: EmployeeRequest) -> HttpResponseBase:
    """Rooms and the coming bookings as OSLO zaalreservatie JSON-LD (with who booked: staff only)."""
    now = timezone.now()
    bookings = bookings_for(request.user).filter(ends_at__gte=now).order_by("starts_at")[:1000]
    document = oslo.document(
        rooms=rooms().prefetch_related("facilities", "opening_hours"),
        bookings=bookings,
        base=request.build_absolute_uri("/").rstrip("/"),
        organisation=str(settings.BALIE_MUNICIPALITY_NAME),
        with_booker=True,
    )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
