"""How the outgoing half plugs into threading, without importing it.

`sent_message_lookups`: given the Message-IDs a reply names (In-Reply-To, References, newest
first), a lookup returns (case, party) of the mail Balie sent with one of them, or None. The app
that sends mail registers one; without it, threading by Message-ID knows incoming mails only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from balie.cases.models import Case
from balie.core.registries import Registry
from balie.parties.models import Party

SentMessageLookup = Callable[[Sequence[str]], tuple[Case | None, Party | None] | None]

sent_message_lookups: Registry[SentMessageLookup] = Registry("sent message lookups")
