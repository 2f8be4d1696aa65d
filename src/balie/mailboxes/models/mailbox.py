from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.core.models import PublicModel


class ImapSecurity(models.TextChoices):
    SSL = "ssl", _("TLS (IMAPS, poort 993)")
    STARTTLS = "starttls", _("STARTTLS (poort 143)")
    NONE = "none", _("geen (enkel voor een testserver op deze machine)")


class MailboxAuth(models.TextChoices):
    PASSWORD = "password", _("wachtwoord")
    OAUTH2 = "oauth2", _("OAuth2 (Microsoft 365)")


class Mailbox(PublicModel):
    """A functional mailbox of the municipality that Balie reads and sends from.

    The secret (a password or an OAuth2 client secret) is never stored in the database: the
    mailbox names the environment variable that holds it (`secret_setting`)."""

    name = models.CharField(_("naam"), max_length=100)
    address = models.EmailField(_("e-mailadres"), unique=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="mailboxes", verbose_name=_("dienst")
    )
    active = models.BooleanField(_("actief"), default=True)
    imap_host = models.CharField(_("IMAP-server"), max_length=255)
    imap_port = models.PositiveIntegerField(_("IMAP-poort"), default=993)
    imap_security = models.CharField(
        _("beveiliging"), max_length=16, choices=ImapSecurity.choices, default=ImapSecurity.SSL
    )
    imap_username = models.CharField(_("gebruikersnaam"), max_length=255)
    auth = models.CharField(
        _("aanmelden met"), max_length=16, choices=MailboxAuth.choices, default=MailboxAuth.PASSWORD
    )
    secret_setting = models.CharField(
        _("omgevingsvariabele met het geheim"),
        max_length=100,
        help_text=_("De naam van de omgevingsvariabele die het wachtwoord of het OAuth2-geheim bevat."),
    )
    folder = models.CharField(_("map om te lezen"), max_length=255, default="INBOX")
    done_folder = models.CharField(
        _("map voor verwerkte berichten"),
        max_length=255,
        blank=True,
        help_text=_("Leeg: verwerkte berichten blijven staan en krijgen een vlag."),
    )

    # Who may send (one address or "@domain" per line): on the deny list → kept, never routed;
    # with an allow list, anyone not on it → triage.
    allowed_senders = models.TextField(_("toegelaten afzenders"), blank=True)
    denied_senders = models.TextField(_("geweigerde afzenders"), blank=True)
    # The system account in whose name mail from this mailbox is registered (made on first use).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("systeemaccount"),
    )
    # The state of the connection, shown to employees (polls.py keeps it).
    last_poll_at = models.DateTimeField(_("laatst opgehaald"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("laatst gelukt"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("laatste fout"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("laatste fout op"), null=True, blank=True, editable=False)
    down_since = models.DateTimeField(_("onbereikbaar sinds"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("mislukte pogingen na elkaar"), default=0, editable=False)
    next_poll_at = models.DateTimeField(_("volgende poging"), null=True, blank=True, editable=False)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True, editable=False)
    status_note = models.TextField(_("opmerking bij de regels"), blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxen")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def sender_rule(self, address: str) -> str:
        """ "deny", "allow" or "" (no list names it) for a sender address."""
        address = (address or "").strip().lower()
        domain = "@" + address.rpartition("@")[2]

        def listed(text: str) -> bool:
            entries = {line.strip().lower() for line in text.splitlines() if line.strip()}
            return address in entries or domain in entries

        if listed(self.denied_senders):
            return "deny"
        if listed(self.allowed_senders):
            return "allow"
        return ""
