"""Functional mailboxes (info@, post@, klachten@ …): what comes in (`incoming`) and what Balie
sends (`outgoing`)."""

from .incoming import IncomingMail, IncomingMailDocument, MailRule, MailSource, MailState, RuleTarget
from .mailbox import ImapSecurity, Mailbox, MailboxAuth

__all__ = [
    "ImapSecurity",
    "IncomingMail",
    "IncomingMailDocument",
    "MailRule",
    "MailSource",
    "MailState",
    "Mailbox",
    "MailboxAuth",
    "RuleTarget",
]
