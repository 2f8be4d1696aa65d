"""Room reservation: buildings, rooms, who may book them, tariffs, bookings and their occupancy.

Terms follow OSLO zaalreservatie (see docs/glossary.md): a Room is an `Infrastructuur`
(`Binnenruimte`/`Buitenruimte`), a Booking an `Infrastructuurreservatie`. Times are stored in UTC;
opening hours and recurring series are read in Europe/Brussels.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from balie.core.models import PublicModel
from balie.parties.models import Party
from balie.payments.models import Order
from balie.room_access.models import AccessGrant, DoorZone

from .constraints import PostgresExclusionConstraint


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Layout(models.TextChoices):
    THEATRE = "theatre", _("theateropstelling")
    CLASSROOM = "classroom", _("klasopstelling")
    U_SHAPE = "u_shape", _("U-vorm")
    RECEPTION = "reception", _("receptie")


class TimeBlock(models.TextChoices):
    HOUR = "hour", _("per uur")
    HALF_DAY = "half_day", _("halve dag")
    DAY = "day", _("dag")
    EVENING = "evening", _("avond")
    WEEKEND = "weekend", _("weekenddag")


class SpaceKind(models.TextChoices):
    INDOOR = "indoor", _("binnenruimte")
    OUTDOOR = "outdoor", _("buitenruimte")


class BookingStatus(models.TextChoices):
    REQUEST = "request", _("aanvraag")
    OPTION = "option", _("optie")
    APPROVED = "approved", _("goedgekeurd")
    CONFIRMED = "confirmed", _("bevestigd")
    COMPLETED = "completed", _("afgelopen")
    CANCELLED = "cancelled", _("geannuleerd")
    EXPIRED = "expired", _("vervallen")
    NO_SHOW = "no_show", _("niet opgedaagd")


# Statuses whose booking holds its slot (and its buffers) on every unit it occupies.
LIVE_STATUSES = (
    BookingStatus.REQUEST,
    BookingStatus.OPTION,
    BookingStatus.APPROVED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


class Building(PublicModel):
    name = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.CharField(_("gemeente"), max_length=100)
    # A confirmed booking lets its booker open this zone (room_access) during the slot.
    door_zone = models.ForeignKey(
        DoorZone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buildings",
        verbose_name=_("deurzone"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("gebouw")
        verbose_name_plural = _("gebouwen")

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.municipality}"


class Facility(PublicModel):
    """Something a room has or lends (Faciliteit): a projector, a hybrid meeting kit, a kitchen."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    oslo_type = models.SlugField(_("OSLO-faciliteittype"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("faciliteit")
        verbose_name_plural = _("faciliteiten")

    def __str__(self) -> str:
        return self.name


class CustomerCategory(PublicModel):
    """Who books: resident, recognised association, company, non-resident, internal department."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    horizon_days = models.PositiveIntegerField(_("boekingshorizon (dagen)"), default=180)
    max_bookings_per_month = models.PositiveIntegerField(
        _("maximaal aantal boekingen per maand"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("klantencategorie")
        verbose_name_plural = _("klantencategorieën")

    def __str__(self) -> str:
        return self.name


class Room(PublicModel):
    """A bookable space. A combined room (hall A+B) has `parts`: booking it occupies each part;
    a room without parts is its own smallest bookable unit."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms")
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=10, choices=SpaceKind.choices, default=SpaceKind.INDOOR)
    oslo_type = models.SlugField(_("OSLO-ruimtetype"), max_length=50, default="Vergaderzaal")
    description = models.TextField(_("beschrijving"), blank=True)
    accessibility = models.CharField(_("toegankelijkheid"), max_length=300, blank=True)
    wheelchair_accessible = models.BooleanField(_("rolstoeltoegankelijk"), default=False)
    photo = models.ImageField(_("foto"), upload_to="rooms/", blank=True)
    buffer_before = models.DurationField(_("opbouwtijd"), default=dt.timedelta(0))
    buffer_after = models.DurationField(_("opruimtijd"), default=dt.timedelta(0))
    min_duration = models.DurationField(_("minimale duur"), default=dt.timedelta(hours=1))
    max_duration = models.DurationField(_("maximale duur"), default=dt.timedelta(hours=16))
    requires_approval = models.BooleanField(_("goedkeuring nodig"), default=False)
    option_hours = models.PositiveIntegerField(_("optie geldig (uren)"), null=True, blank=True)
    parts = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="combined_into")
    facilities = models.ManyToManyField(Facility, blank=True, related_name="rooms")
    eligible_categories = models.ManyToManyField(
        CustomerCategory,
        blank=True,
        related_name="rooms",
        help_text=_("Leeg: iedereen mag boeken."),
    )
    cancellation_terms = models.CharField(_("annuleringsvoorwaarden"), max_length=500, blank=True)
    calendar_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    graph_mailbox = models.EmailField(_("Microsoft 365-zaalpostvak"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["building__name", "name"]
        verbose_name = _("zaal")
        verbose_name_plural = _("zalen")

    def __str__(self) -> str:
        return self.name


class RoomLayout(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="layouts")
    layout = models.CharField(_("opstelling"), max_length=20, choices=Layout.choices)
    capacity = models.PositiveIntegerField(_("capaciteit"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "layout"], name="reservations_layout_unique")]
        verbose_name = _("opstelling")
        verbose_name_plural = _("opstellingen")

    def __str__(self) -> str:
        return f"{self.room}: {self.get_layout_display()} ({self.capacity})"


class OpeningHours(models.Model):
    """When a room may be used on a weekday (0 = Monday), local time; several rows per day allowed."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekdag"))
    opens = models.TimeField(_("open"))
    closes = models.TimeField(_("sluit"))

    class Meta:
        ordering = ["room", "weekday", "opens"]
        verbose_name = _("openingsuren")
        verbose_name_plural = _("openingsuren")

    def __str__(self) -> str:
        return f"{self.room} {self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Blackout(PublicModel):
    """A period a room cannot be booked (works, elections, the municipality's own use)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blackouts")
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    reason = models.CharField(_("reden"), max_length=200)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("blokkering")
        verbose_name_plural = _("blokkeringen")

    def __str__(self) -> str:
        return f"{self.room}: {self.reason}"


class Tariff(PublicModel):
    """A price from the council's regulation: for a room or a facility, a customer category and a
    time block, valid for a period. Excluding VAT; a deposit per booking (rooms only)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, null=True, blank=True, related_name="tariffs")
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, null=True, blank=True, related_name="tariffs"
    )
    category = models.ForeignKey(CustomerCategory, on_delete=models.PROTECT, related_name="tariffs")
    time_block = models.CharField(_("tijdsblok"), max_length=10, choices=TimeBlock.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    price = models.DecimalField(_("prijs excl. btw"), max_digits=9, decimal_places=2)
    vat_rate = models.DecimalField(_("btw-tarief (%)"), max_digits=4, decimal_places=2, default=Decimal("21"))
    deposit = models.DecimalField(_("waarborg"), max_digits=9, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["room", "facility", "category", "time_block", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(room__isnull=False, facility__isnull=True)
                | Q(room__isnull=True, facility__isnull=False),
                name="reservations_tariff_room_or_facility",
            )
        ]
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")

    def __str__(self) -> str:
        return f"{self.room or self.facility} {self.category} {self.time_block}: {self.price}"


class CancellationRule(models.Model):
    """Refund when cancelling at least `days_before` days ahead; the rule with the largest
    `days_before` that applies wins. Rules of the room first, else the default rules (room empty)."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="cancel_rules"
    )
    days_before = models.PositiveIntegerField(_("dagen vooraf"))
    refund_percent = models.PositiveSmallIntegerField(_("terugbetaling (%)"))

    class Meta:
        ordering = ["room", "-days_before"]
        verbose_name = _("annuleringsregel")
        verbose_name_plural = _("annuleringsregels")

    def __str__(self) -> str:
        return f"≥{self.days_before} d: {self.refund_percent}%"


class BookingSeries(PublicModel):
    """A recurring booking (an association's weekly evening): one Booking per occurrence."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="booking_series")
    description = models.CharField(_("omschrijving"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")

    def __str__(self) -> str:
        return self.description


class Booking(PublicModel):
    """An Infrastructuurreservatie. The price is frozen on it (price lines) when it is made."""

    number = models.CharField(_("boekingsnummer"), max_length=20, unique=True, null=True, blank=True)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="bookings")
    category = models.ForeignKey(CustomerCategory, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    buffer_before = models.DurationField(_("opbouwtijd"), default=dt.timedelta(0))
    buffer_after = models.DurationField(_("opruimtijd"), default=dt.timedelta(0))
    layout = models.CharField(_("opstelling"), max_length=20, choices=Layout.choices, blank=True)
    attendees = models.PositiveIntegerField(_("aantal personen"), default=1)
    purpose = models.CharField(_("activiteit"), max_length=200)
    activity_type = models.SlugField(_("OSLO-activiteittype"), max_length=50, blank=True)
    series = models.ForeignKey(
        BookingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    option_expires_at = models.DateTimeField(_("optie vervalt op"), null=True, blank=True)
    total_excl_vat = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    total_vat = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(_("totaal"), max_digits=10, decimal_places=2, default=Decimal("0"))
    deposit = models.DecimalField(_("waarborg"), max_digits=10, decimal_places=2, default=Decimal("0"))
    refund = models.DecimalField(_("terugbetaling"), max_digits=10, decimal_places=2, null=True, blank=True)
    rules_overridden = models.BooleanField(_("regels overschreven"), default=False)
    channel = models.CharField(_("kanaal"), max_length=20, default="counter")
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("bestelling")
    )
    grant = models.ForeignKey(
        AccessGrant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegangsrecht"),
    )
    graph_event_id = models.CharField(max_length=200, blank=True)  # the event in the room mailbox
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["room", "starts_at"], name="reservations_booking_room"),
            models.Index(fields=["party", "starts_at"], name="reservations_booking_party"),
            models.Index(
                fields=["option_expires_at"],
                condition=Q(status__in=["option", "approved"]),
                name="reservations_booking_option",
            ),
            models.Index(fields=["status", "starts_at"], name="reservations_booking_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="reservations_booking_period"
            )
        ]
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")

    def __str__(self) -> str:
        return self.number or str(self.uuid)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def occupied_from(self) -> dt.datetime:
        return self.starts_at - self.buffer_before

    @property
    def occupied_until(self) -> dt.datetime:
        return self.ends_at + self.buffer_after


class PriceLine(models.Model):
    """One line of a booking's frozen price: the room or a facility, from the tariff that applied."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="price_lines")
    tariff = models.ForeignKey(Tariff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    description = models.CharField(_("omschrijving"), max_length=200)
    time_block = models.CharField(_("tijdsblok"), max_length=10, choices=TimeBlock.choices)
    quantity = models.DecimalField(_("aantal"), max_digits=7, decimal_places=2)
    unit_price = models.DecimalField(_("eenheidsprijs"), max_digits=9, decimal_places=2)
    vat_rate = models.DecimalField(_("btw-tarief (%)"), max_digits=4, decimal_places=2)
    amount_excl_vat = models.DecimalField(max_digits=10, decimal_places=2)
    vat = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount_excl_vat}"


class BookingStatusChange(models.Model):
    """Append-only status history: who moved a booking, when and why."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=BookingStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.booking}: {self.from_status} → {self.to_status}"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()  # PostgreSQL only: used inside the constraint


class Occupancy(models.Model):
    """One unit blocked for a period, buffers included: by a booking (one row per smallest unit a
    combined room occupies) or a blackout. The database refuses two live rows that overlap on one
    unit (PostgreSQL); `live` follows the booking's status."""

    unit = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="occupancies")
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="occupancies"
    )
    blackout = models.ForeignKey(
        Blackout, on_delete=models.CASCADE, null=True, blank=True, related_name="occupancies"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    live = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "starts_at"], name="reservations_occupancy_unit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="reservations_occupancy_period"
            ),
            PostgresExclusionConstraint(
                name="reservations_occupancy_no_overlap",
                expressions=[
                    ("unit", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(live=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("wacht")
    OFFERED = "offered", _("aangeboden")
    BOOKED = "booked", _("geboekt")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class WaitingListEntry(PublicModel):
    """A party that wants a slot that is taken; offered the slot when it frees up."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="waiting_list")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(CustomerCategory, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    purpose = models.CharField(_("activiteit"), max_length=200)
    status = models.CharField(max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    offered_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("wachtlijst")
        verbose_name_plural = _("wachtlijst")

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class BookerFeed(models.Model):
    """The secret address of one booker's iCal feed."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, default=new_token, unique=True)

    def __str__(self) -> str:
        return str(self.party_id)
