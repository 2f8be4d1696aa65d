"""Public-space reports (meldingen): the category tree, routing rules, and the report on its case.

A `Report` is one-to-one with a `cases.Case` of the report case type: the case keeps the status
history, the deadline, the reporter (its initiator role) and the photos (case documents); the report
keeps what is particular to a report: category, place, its own status code (`workflow`), the
duplicate link and the work order's send state.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.cases.models import Case
from balie.core.models import OutboxMessage, PublicModel
from balie.core.validators import validate_no_control_chars, validate_plain_text
from balie.parties.models import Party

from .workflow import ReportStatus


class Category(PublicModel):
    """A kind of report (e.g. "Wegdek › Losliggende tegel"), in a tree kept by the functional
    administrator. Its code is the Open311 service_code."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120, validators=[validate_plain_text])
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("hoofdcategorie"),
    )
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_categories",
        verbose_name=_("behandelende dienst"),
    )
    forward_to_work_orders = models.BooleanField(_("doorsturen naar het werkorderbeheer"), default=False)
    active = models.BooleanField(_("actief"), default=True)
    keywords = models.CharField(_("trefwoorden"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("meldingscategorie")
        verbose_name_plural = _("meldingscategorieën")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name


class RoutingRule(PublicModel):
    """Reports of a category (or any) in an area (a box, or anywhere) go to a department.

    The rules are tried in order; the first that matches wins; no rule: the category's department,
    else the report case type's."""

    order = models.PositiveIntegerField(_("volgorde"), default=10)
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("categorie"),
    )
    area_name = models.CharField(_("gebied"), max_length=100, blank=True)
    min_lat = models.FloatField(_("zuidgrens"), null=True, blank=True)
    max_lat = models.FloatField(_("noordgrens"), null=True, blank=True)
    min_lon = models.FloatField(_("westgrens"), null=True, blank=True)
    max_lon = models.FloatField(_("oostgrens"), null=True, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="report_routing_rules", verbose_name=_("dienst")
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routeringsregel")
        verbose_name_plural = _("routeringsregels")

    def __str__(self) -> str:
        return f"{self.order}: {self.category or '*'} / {self.area_name or '*'} → {self.department}"

    def matches(self, category: Category, lat: float | None, lon: float | None) -> bool:
        if self.category_id is not None and self.category_id not in (category.pk, category.parent_id):
            return False
        if self.min_lat is None:
            return True
        if lat is None or lon is None:
            return False
        return bool(
            self.min_lat <= lat <= (self.max_lat or 90)
            and (self.min_lon or -180) <= lon <= (self.max_lon or 180)
        )


class SendState(models.TextChoices):
    NOT_SENT = "not_sent", _("niet doorgestuurd")
    PENDING = "pending", _("wordt verstuurd")
    SENT = "sent", _("aangekomen")
    FAILED = "failed", _("mislukt")


class Report(PublicModel):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="report")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("categorie")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    is_open = models.BooleanField(_("open"), default=True)
    description = models.TextField(
        _("omschrijving"), validators=[MaxLengthValidator(5000), validate_no_control_chars]
    )
    lat = models.FloatField(_("breedtegraad"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad"), null=True, blank=True)
    cell = models.BigIntegerField(_("rastercel"), null=True, blank=True, editable=False)
    address = models.CharField(_("adres"), max_length=200, blank=True, validators=[validate_plain_text])
    reporter = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("melder"),
    )
    channel = models.CharField(_("kanaal"), max_length=16, default="counter")
    reported_at = models.DateTimeField(_("gemeld op"))
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("dubbel van"),
    )
    # the work order (forwarding to the technical services' system)
    send_state = models.CharField(
        _("doorsturen"), max_length=10, choices=SendState.choices, default=SendState.NOT_SENT
    )
    send_fail_count = models.PositiveIntegerField(_("mislukte pogingen"), default=0)
    send_fail_reason = models.CharField(_("laatste fout"), max_length=1000, blank=True)
    send_failed_at = models.DateTimeField(_("laatst mislukt op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("aangekomen op"), null=True, blank=True)
    external_ref = models.CharField(_("referentie werkorder"), max_length=100, blank=True)
    work_order_message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = [
            # nearby duplicates: open reports of a category in a few grid cells
            models.Index(fields=["category", "cell"], condition=Q(is_open=True), name="report_open_cell"),
            # the map of open reports (newest first, keyset)
            models.Index(fields=["-reported_at", "-id"], condition=Q(is_open=True), name="report_open_time"),
            models.Index(fields=["-reported_at", "-id"], name="report_time"),
            # stuck work orders
            models.Index(
                fields=["send_state", "send_failed_at"],
                condition=Q(send_state__in=["pending", "failed"]),
                name="report_send_stuck",
            ),
            models.Index(fields=["external_ref"], condition=~Q(external_ref=""), name="report_external_ref"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True) | Q(lat__isnull=False, lon__isnull=False),
                name="report_lat_lon_together",
            ),
            models.CheckConstraint(condition=~Q(lat__isnull=True, address=""), name="report_has_location"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.category.name}"

    @property
    def anonymous(self) -> bool:
        return self.reporter_id is None


class ReopenRequest(PublicModel):
    """The reporter asks to reopen a closed (or resolved) report; an employee decides."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reopen_requests")
    text = models.TextField(_("waarom"), validators=[MaxLengthValidator(2000), validate_no_control_chars])
    asked_at = models.DateTimeField(_("gevraagd op"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("genoteerd door")
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted = models.BooleanField(_("heropend"), null=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("vraag om heropening")
        verbose_name_plural = _("vragen om heropening")

    def __str__(self) -> str:
        return f"{self.report} {self.asked_at:%d/%m/%Y}"


class CallbackNonce(models.Model):
    """A work-order callback's nonce, kept for as long as its timestamp is accepted: a replay of
    the same signed callback finds it and is refused."""

    nonce = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["received_at"], name="report_nonce_time")]

    def __str__(self) -> str:
        return self.nonce
