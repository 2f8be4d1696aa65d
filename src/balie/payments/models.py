"""The ledger: orders with lines, and the append-only entries that move their balance; online
payments, bank statements, the cash register and its receipts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from balie.core.models import PublicModel
from balie.parties.models import Party

from .money import ZERO, cents
from .ogm import format_ogm


class OrderState(models.TextChoices):
    OPEN = "open", _("te betalen")
    PAID = "paid", _("betaald")
    CANCELLED = "cancelled", _("geannuleerd")


class LineKind(models.TextChoices):
    FEE = "fee", _("vergoeding")
    DEPOSIT = "deposit", _("waarborg")


class Order(PublicModel):
    """What a party owes for one thing (a booking, a counter sale). Its balance is the sum of its
    ledger entries; `state` follows the balance and is changed only by actions."""

    number = models.CharField(_("nummer"), max_length=20, unique=True)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="orders", verbose_name=_("klant")
    )
    reference = models.CharField(_("verwijzing"), max_length=100, db_index=True)
    ogm = models.CharField(_("gestructureerde mededeling"), max_length=12, unique=True)
    state = models.CharField(
        _("toestand"), max_length=10, choices=OrderState.choices, default=OrderState.OPEN
    )
    due_on = models.DateField(_("te betalen tegen"), null=True, blank=True)
    total = models.DecimalField(_("totaal"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "-created_at"], name="payments_order_state")]
        verbose_name = _("bestelling")
        verbose_name_plural = _("bestellingen")

    def __str__(self) -> str:
        return self.number

    @property
    def ogm_display(self) -> str:
        return format_ogm(self.ogm)

    @property
    def reference_kind(self) -> str:
        return self.reference.partition(":")[0]

    def balance(self) -> Decimal:
        """What the party still owes: the sum of the ledger (charges and refunds up, payments and
        credit notes down)."""
        return cents(self.entries.aggregate(total=Sum("amount"))["total"] or ZERO)

    def paid_total(self) -> Decimal:
        """Money received, less money given back."""
        total = self.entries.filter(kind__in=[EntryKind.PAYMENT, EntryKind.REFUND]).aggregate(
            total=Sum("amount")
        )["total"]
        return cents(-(total or ZERO))


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("omschrijving"), max_length=200)
    quantity = models.DecimalField(_("aantal"), max_digits=9, decimal_places=2)
    unit_amount = models.DecimalField(_("eenheidsprijs incl. btw"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("btw-tarief (%)"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("soort"), max_length=10, choices=LineKind.choices, default=LineKind.FEE)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="payments_orderline_position")
        ]
        verbose_name = _("bestellijn")
        verbose_name_plural = _("bestellijnen")

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Decimal:
        return cents(self.quantity * self.unit_amount)

    @property
    def vat_amount(self) -> Decimal:
        """The VAT inside the amount (prices include VAT, as a citizen sees them)."""
        return cents(self.amount * self.vat_rate / (Decimal(100) + self.vat_rate))


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("aanrekening")
    PAYMENT = "payment", _("betaling")
    REFUND = "refund", _("terugbetaling")
    CREDIT_NOTE = "credit_note", _("creditnota")


class Method(models.TextChoices):
    ONLINE = "online", _("online")
    TRANSFER = "transfer", _("overschrijving")
    CASH = "cash", _("contant")
    CARD = "card", _("kaart")
    NONE = "", _("—")


class CashRegister(PublicModel):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    location = models.CharField(_("plaats"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kassa")
        verbose_name_plural = _("kassa's")

    def __str__(self) -> str:
        return self.name


class RegisterSession(PublicModel):
    """One day (or shift) of a register: opened with a float, closed with a count, signed off by a
    second person. At most one open session per register."""

    register = models.ForeignKey(CashRegister, on_delete=models.PROTECT, related_name="sessions")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("geopend op"))
    opening_float = models.DecimalField(_("wisselgeld bij opening"), max_digits=12, decimal_places=2)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    expected_cash = models.DecimalField(
        _("verwacht in kas"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    counted_cash = models.DecimalField(_("geteld"), null=True, blank=True, max_digits=12, decimal_places=2)
    difference = models.DecimalField(_("verschil"), null=True, blank=True, max_digits=12, decimal_places=2)
    count_detail = models.JSONField(_("telling per coupure"), default=dict, blank=True)
    close_note = models.CharField(_("opmerking"), max_length=500, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("afgetekend op"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["register"], condition=Q(closed_at__isnull=True), name="payments_session_one_open"
            )
        ]
        verbose_name = _("kassasessie")
        verbose_name_plural = _("kassasessies")

    def __str__(self) -> str:
        return f"{self.register} {self.opened_at:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def cash_received(self) -> Decimal:
        """Cash in minus cash out during the session, from the ledger."""
        total = self.entries.filter(method=Method.CASH).aggregate(total=Sum("amount"))["total"]
        return cents(-(total or ZERO))

    def card_received(self) -> Decimal:
        total = self.entries.filter(method=Method.CARD).aggregate(total=Sum("amount"))["total"]
        return cents(-(total or ZERO))


class BankStatement(PublicModel):
    """An imported bank statement file (CODA or CSV); the same file twice is refused."""

    filename = models.CharField(_("bestand"), max_length=200)
    file_format = models.CharField(_("formaat"), max_length=10)
    sha256 = models.CharField(max_length=64, unique=True)
    account_iban = models.CharField(_("rekening"), max_length=34, blank=True)
    statement_date = models.DateField(_("datum"), null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rekeninguittreksel")
        verbose_name_plural = _("rekeninguittreksels")

    def __str__(self) -> str:
        return self.filename


class BankLineState(models.TextChoices):
    MATCHED = "matched", _("gekoppeld")
    UNMATCHED = "unmatched", _("niet gekoppeld")
    IGNORED = "ignored", _("genegeerd")


class BankLine(PublicModel):
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    booked_on = models.DateField(_("boekingsdatum"))
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    counterparty_name = models.CharField(_("tegenpartij"), max_length=200, blank=True)
    counterparty_account = models.CharField(_("rekening tegenpartij"), max_length=34, blank=True)
    communication = models.CharField(_("mededeling"), max_length=300, blank=True)
    ogm = models.CharField(_("gestructureerde mededeling"), max_length=12, blank=True)
    state = models.CharField(_("toestand"), max_length=10, choices=BankLineState.choices)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_lines"
    )
    note = models.CharField(_("opmerking"), max_length=300, blank=True)

    class Meta:
        ordering = ["statement", "position"]
        indexes = [models.Index(fields=["state", "booked_on"], name="payments_bankline_state")]
        verbose_name = _("rekeninglijn")
        verbose_name_plural = _("rekeninglijnen")

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount}"

    @property
    def ogm_display(self) -> str:
        return format_ogm(self.ogm) if self.ogm else ""


class Receipt(PublicModel):
    """A numbered receipt (gap-free per year, `core.numbering`) for what was paid at the register."""

    number = models.CharField(_("nummer"), max_length=20, unique=True)
    session = models.ForeignKey(RegisterSession, on_delete=models.PROTECT, related_name="receipts")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    method = models.CharField(_("betaalwijze"), max_length=10, choices=Method.choices)
    tendered = models.DecimalField(_("ontvangen"), null=True, blank=True, max_digits=12, decimal_places=2)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    emailed_to = models.EmailField(_("gemaild naar"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kasticket")
        verbose_name_plural = _("kastickets")

    def __str__(self) -> str:
        return self.number

    @property
    def change(self) -> Decimal | None:
        return None if self.tendered is None else cents(self.tendered - self.amount)


class LedgerEntry(PublicModel):
    """One movement of an order's balance. Never changed or deleted: a mistake is corrected by
    another entry. Charges and refunds count up, payments and credit notes down."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("soort"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    method = models.CharField(_("betaalwijze"), max_length=10, choices=Method.choices, blank=True)
    number = models.CharField(_("nummer"), max_length=20, blank=True)  # a credit note's number
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    by_label = models.CharField(_("door"), max_length=200)
    session = models.ForeignKey(
        RegisterSession, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    bank_line = models.OneToOneField(
        BankLine, on_delete=models.PROTECT, null=True, blank=True, related_name="entry"
    )
    provider_payment_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["order", "created_at", "id"]
        constraints = [
            # one payment per provider payment: a replayed webhook cannot pay twice
            models.UniqueConstraint(
                fields=["provider_payment_id", "kind"],
                condition=~Q(provider_payment_id=""),
                name="payments_entry_provider_once",
            )
        ]
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class OnlinePaymentState(models.TextChoices):
    CREATED = "created", _("aangemaakt")
    PAID = "paid", _("betaald")
    FAILED = "failed", _("mislukt")
    CANCELLED = "cancelled", _("afgebroken")
    EXPIRED = "expired", _("verlopen")


class OnlinePayment(PublicModel):
    """A payment started at the provider: its id there, the page the payer was sent to."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="online_payments")
    provider = models.CharField(_("aanbieder"), max_length=30)
    provider_id = models.CharField(_("id bij de aanbieder"), max_length=100, unique=True)
    amount = models.DecimalField(_("bedrag"), max_digits=12, decimal_places=2)
    state = models.CharField(
        _("toestand"), max_length=10, choices=OnlinePaymentState.choices, default=OnlinePaymentState.CREATED
    )
    method = models.CharField(_("betaalmiddel"), max_length=30, blank=True)
    checkout_url = models.URLField(_("betaalpagina"), max_length=500)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("onlinebetaling")
        verbose_name_plural = _("onlinebetalingen")

    def __str__(self) -> str:
        return self.provider_id


class WebhookReceipt(models.Model):
    """A provider webhook that was accepted, by its id: the same id again is a replay."""

    webhook_id = models.CharField(max_length=100, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)
    event_type = models.CharField(max_length=50)
    provider_payment_id = models.CharField(max_length=100)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.webhook_id


class FeeItem(models.Model):
    """The counter's small fee catalogue (a document, a waste bin): data, kept by the admin."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    description = models.CharField(_("omschrijving"), max_length=200)
    unit_amount = models.DecimalField(_("prijs incl. btw"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("btw-tarief (%)"), max_digits=5, decimal_places=2, default=Decimal(0))
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["description"]
        verbose_name = _("kassa-artikel")
        verbose_name_plural = _("kassa-artikelen")

    def __str__(self) -> str:
        return self.description
