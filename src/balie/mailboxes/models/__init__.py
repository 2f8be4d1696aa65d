"""Functional mailboxes (info@, post@, klachten@ …): what comes in (`incoming`) and what Balie
sends (`outgoing`)."""

from .mailbox import ImapSecurity, Mailbox, MailboxAuth
from .outgoing import (
    MailboxSending,
    MailTemplate,
    SentMail,
    SentMailAttachment,
    SentMailState,
    Transport,
)

__all__ = [
    "ImapSecurity",
    "MailTemplate",
    "Mailbox",
    "MailboxAuth",
    "MailboxSending",
    "SentMail",
    "SentMailAttachment",
    "SentMailState",
    "Transport",
]
