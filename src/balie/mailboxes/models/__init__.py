"""Functional mailboxes (info@, post@, klachten@ …): what comes in (`incoming`) and what Balie
sends (`outgoing`)."""

from .incoming import IncomingMail, IncomingMailDocument, MailRule, MailSource, MailState, RuleTarget
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
    "IncomingMail",
    "IncomingMailDocument",
    "MailRule",
    "MailSource",
    "MailState",
    "MailTemplate",
    "Mailbox",
    "MailboxAuth",
    "MailboxSending",
    "RuleTarget",
    "SentMail",
    "SentMailAttachment",
    "SentMailState",
    "Transport",
]
