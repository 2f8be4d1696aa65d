"""How a mail Balie sends carries its case, so that the answer finds its way back.

Three marks, in the order threading trusts them (`threading.py` reads them back):
1. the Message-ID of what Balie sent, which a reply names in In-Reply-To / References;
2. a per-case reply address: the mailbox's address with the case number as plus-address,
   `info+C2026-000123@zonnedaal.be`;
3. a token in the subject, `[C2026-000123]`, which survives relays that rewrite Message-IDs and
   clients that drop References and reply to the plain address.
"""

from __future__ import annotations

import re
import uuid

CASE_NUMBER = r"C\d{4}-\d{6}"

# "[C2026-000123]", also "[Zaak C2026-000123]" / "[dossier c2026-000123]" as people retype it.
_SUBJECT_TOKEN = re.compile(rf"\[\s*(?:zaak|dossier|ref\.?|réf\.?)?\s*({CASE_NUMBER})\s*\]", re.IGNORECASE)
_PLUS = re.compile(rf"^[^@+]+\+({CASE_NUMBER})@", re.IGNORECASE)


def subject_token(case_number: str) -> str:
    return f"[{case_number}]"


def subject_with_token(subject: str, case_number: str) -> str:
    """The subject with the case's token once, at the end (where a reply's "Re: " leaves it alone)."""
    if case_number_from_subject(subject) == case_number:
        return subject
    return f"{subject.strip()} {subject_token(case_number)}".strip()


def case_number_from_subject(subject: str) -> str | None:
    match = _SUBJECT_TOKEN.search(subject or "")
    return match.group(1).upper() if match else None


def reply_address(mailbox_address: str, case_number: str) -> str:
    """`info@zonnedaal.be` → `info+C2026-000123@zonnedaal.be`."""
    local, _, domain = mailbox_address.partition("@")
    local = local.split("+", 1)[0]
    return f"{local}+{case_number}@{domain}"


def case_number_from_address(address: str) -> str | None:
    match = _PLUS.match((address or "").strip())
    return match.group(1).upper() if match else None


def base_address(address: str) -> str:
    """`info+C2026-000123@Zonnedaal.be` → `info@zonnedaal.be`: which mailbox it was sent to."""
    local, _, domain = (address or "").strip().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}".lower()


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID for a mail Balie sends, with angle brackets."""
    return f"<{uuid.uuid4().hex}.balie@{domain}>"
