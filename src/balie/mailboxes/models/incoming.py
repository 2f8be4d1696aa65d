"""What comes in: the rules of a mailbox and one row per message read (`IncomingMail`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.cases.models import Case, CaseType
from balie.contact_moments.models import ContactMoment
from balie.core.models import PublicModel
from balie.correspondence.models import PostItem
from balie.documents.models import Document
from balie.parties.models import Party

from .mailbox import Mailbox


class RuleTarget(models.TextChoices):
    CONTACT_MOMENT = "contact_moment", _("contactmoment")
    POST_ITEM = "post_item", _("inkomende post")
    CASE = "case", _("nieuwe zaak")
    COMPLAINT = "complaint", _("klacht")
    REPORT = "report", _("melding")
    TRIAGE = "triage", _("triage (een medewerker beslist)")


class MailRule(models.Model):
    """One rule of a mailbox: when every filled-in condition holds, the message becomes `target`.
    Rules are tried in `position` order; the first that matches wins; none: triage."""

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.CASCADE, related_name="rules", verbose_name=_("mailbox")
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("naam"), max_length=100)
    active = models.BooleanField(_("actief"), default=True)
    sender = models.CharField(
        _("afzender"), max_length=254, blank=True, help_text=_("Een adres of een domein (@voorbeeld.be).")
    )
    recipient = models.CharField(_("ontvanger"), max_length=254, blank=True)
    subject_contains = models.CharField(_("onderwerp bevat"), max_length=200, blank=True)
    target = models.CharField(_("wordt"), max_length=20, choices=RuleTarget.choices)
    case_type = models.ForeignKey(
        CaseType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zaaktype"),
    )

    class Meta:
        ordering = ["mailbox", "position", "pk"]
        verbose_name = _("mailregel")
        verbose_name_plural = _("mailregels")

    def __str__(self) -> str:
        return self.name

    def matches(self, *, sender: str, recipients: list[str], subject: str) -> bool:
        sender = sender.lower()
        if self.sender:
            wanted = self.sender.strip().lower()
            if wanted.startswith("@"):
                if not sender.endswith(wanted):
                    return False
            elif sender != wanted:
                return False
        if self.recipient:
            from ..addressing import base_address

            wanted = self.recipient.strip().lower()
            if wanted not in {r.lower() for r in recipients} and wanted not in {
                base_address(r) for r in recipients
            }:
                return False
        return not (self.subject_contains and self.subject_contains.lower() not in subject.lower())


class MailState(models.TextChoices):
    INGESTED = "ingested", _("verwerkt")
    TRIAGE = "triage", _("te bekijken")
    UNPARSEABLE = "unparseable", _("onleesbaar: te bekijken")
    REFUSED = "refused", _("geweigerde afzender")


class MailSource(models.TextChoices):
    IMAP = "imap", _("mailbox")
    UPLOAD = "upload", _("opgeladen door een medewerker")


class IncomingMail(PublicModel):
    """One message read from a mailbox (or dropped on a page), written in the same transaction as
    what Balie made of it. (mailbox, uidvalidity, uid) and (mailbox, Message-ID) are unique: a
    message read twice is recognised and never becomes anything twice."""

    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming",
        verbose_name=_("mailbox"),
    )
    source = models.CharField(_("bron"), max_length=10, choices=MailSource.choices, default=MailSource.IMAP)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)
    in_reply_to = models.JSONField(default=list, blank=True)
    references = models.JSONField(default=list, blank=True)
    state = models.CharField(_("toestand"), max_length=12, choices=MailState.choices)
    received_at = models.DateTimeField(_("ontvangen op"), db_index=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    from_name = models.CharField(_("naam afzender"), max_length=255, blank=True)
    from_address = models.CharField(_("afzender"), max_length=254, blank=True)
    to = models.TextField(_("aan"), blank=True)
    subject = models.CharField(_("onderwerp"), max_length=998, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    html = models.TextField(_("HTML (opgeschoond)"), blank=True)  # sanitised, remote images blocked
    size = models.PositiveBigIntegerField(_("grootte"), default=0)
    defects = models.JSONField(default=list, blank=True)
    skipped_attachments = models.JSONField(default=list, blank=True)  # [{filename, size, reason}]
    raw_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("origineel"),
    )
    raw_file = models.CharField(max_length=255, blank=True)  # in the document storage when too large
    route = models.CharField(_("hoe gerouteerd"), max_length=40, blank=True)  # "message-id", "rule:…", …
    note = models.TextField(_("opmerking"), blank=True)  # why it is in triage
    # What it became.
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact_moment = models.ForeignKey(
        ContactMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post_item = models.ForeignKey(
        PostItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    party = models.ForeignKey(Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("inkomende mail")
        verbose_name_plural = _("inkomende mails")
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=Q(uid__isnull=False),
                name="mailboxes_incoming_uid",
            ),
            models.UniqueConstraint(
                fields=["mailbox", "message_id"],
                condition=Q(mailbox__isnull=False) & ~Q(message_id=""),
                name="mailboxes_incoming_message_id",
            ),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="mailboxes_incoming_state")]

    def __str__(self) -> str:
        return self.subject or self.message_id or f"mail {self.pk}"

    @property
    def needs_human(self) -> bool:
        return self.state in {MailState.TRIAGE, MailState.UNPARSEABLE}


class IncomingMailDocument(models.Model):
    """A document made from a message: an attachment (inline images too, with their Content-ID)."""

    mail = models.ForeignKey(IncomingMail, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    content_id = models.CharField(max_length=255, blank=True)
    inline = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
