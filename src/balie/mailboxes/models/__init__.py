"""Functional mailboxes (info@, post@, klachten@ …): what comes in (`incoming`) and what Balie
sends (`outgoing`)."""

from .mailbox import ImapSecurity, Mailbox, MailboxAuth

__all__ = ["ImapSecurity", "Mailbox", "MailboxAuth"]
