"""What Balie sends from a functional mailbox: mail templates, how a mailbox sends (SMTP or
Microsoft Graph), and every mail sent (`SentMail`), kept so that replies and bounces find it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.cases.models import Case
from balie.contact_moments.models import ContactMoment
from balie.core.models import PublicModel
from balie.documents.models import Document, DocumentVersion
from balie.parties.models import Party

from .mailbox import Mailbox


class MailTemplate(PublicModel):
    """A mail text kept by the functional administrator, with merge fields in Dutch
    ({{ klant.naam }}, {{ zaak.nummer }}, {{ medewerker.naam }}, {{ gemeente.naam }} …)."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    subject = models.CharField(_("onderwerp"), max_length=250)
    body = models.TextField(_("tekst"), validators=[MaxLengthValidator(20000)])
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailsjabloon")
        verbose_name_plural = _("mailsjablonen")

    def __str__(self) -> str:
        return self.name


class Transport(models.TextChoices):
    SETTING = "", _("volgens de instelling BALIE_MAIL_TRANSPORT")
    SMTP = "smtp", _("SMTP (de mailserver van Balie)")
    GRAPH = "graph", _("Microsoft Graph (sendMail)")


class MailboxSending(models.Model):
    """How one mailbox sends, when it differs from the setting: over SMTP or through Microsoft
    Graph as the mailbox's own user."""

    mailbox = models.OneToOneField(Mailbox, on_delete=models.CASCADE, related_name="sending")
    transport = models.CharField(_("versturen via"), max_length=8, choices=Transport.choices, blank=True)
    graph_user = models.CharField(
        _("Graph-gebruiker"),
        max_length=255,
        blank=True,
        help_text=_("Leeg: het adres van de mailbox."),
    )

    class Meta:
        verbose_name = _("verzendinstelling")
        verbose_name_plural = _("verzendinstellingen")

    def __str__(self) -> str:
        return f"{self.mailbox}: {self.transport or '-'}"


class SentMailState(models.TextChoices):
    QUEUED = "queued", _("wacht op verzending")
    SENT = "sent", _("verstuurd")
    FAILED = "failed", _("mislukt")
    BOUNCED = "bounced", _("teruggekomen")


class SentMail(PublicModel):
    """One mail sent from a functional mailbox. The message is built once, kept byte for byte as
    a document (`eml`), and exactly those bytes go out, as often as the outbox must try."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="sent_mails")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="sent_mails"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="sent_mails"
    )
    contact_moment = models.OneToOneField(
        ContactMoment, on_delete=models.PROTECT, related_name="sent_mail", verbose_name=_("contactmoment")
    )
    answers = models.ForeignKey(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_by_mails",
        verbose_name=_("antwoord op"),
    )
    template = models.ForeignKey(
        MailTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resend_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends"
    )
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    transport = models.CharField(_("verstuurd via"), max_length=8, choices=Transport.choices)
    from_address = models.CharField(_("van"), max_length=320)
    to_address = models.EmailField(_("aan"), max_length=320)
    reply_to = models.CharField(_("antwoorden aan"), max_length=320, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references = models.TextField(_("References"), blank=True)
    eml = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("e-mail"))
    state = models.CharField(
        _("toestand"), max_length=8, choices=SentMailState.choices, default=SentMailState.QUEUED
    )
    queued_at = models.DateTimeField(_("aangeboden op"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    failed_at = models.DateTimeField(_("mislukt op"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("teruggekomen op"), null=True, blank=True)
    detail = models.CharField(_("toelichting"), max_length=1000, blank=True)
    bounce_recipient = models.CharField(_("geweigerd adres"), max_length=320, blank=True)
    bounce_status = models.CharField(_("statuscode"), max_length=16, blank=True)
    outbox_key = models.UUIDField(_("idempotentiesleutel"))

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("verstuurde e-mail")
        verbose_name_plural = _("verstuurde e-mails")
        indexes = [
            models.Index(fields=["-queued_at", "-id"], name="sentmail_time"),
            models.Index(fields=["case", "-queued_at"], name="sentmail_case"),
            models.Index(fields=["party", "-queued_at"], name="sentmail_party"),
            models.Index(fields=["state", "-queued_at"], name="sentmail_state"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"


class SentMailAttachment(models.Model):
    """A document version sent along, in the order of the message."""

    mail = models.ForeignKey(SentMail, on_delete=models.CASCADE, related_name="attachments")
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    file_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["mail", "position"], name="sentmail_attachment_position")
        ]

    def __str__(self) -> str:
        return self.file_name
