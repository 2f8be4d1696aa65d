"""The shape of one line on a customer's timeline (the 360° view).

Each domain app offers its own `timeline_for(user, party, ...)` that returns these; the backoffice
merges them by time. A new kind of record (a case, a letter, a booking) adds itself that way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "contact_moment", "task", later "case", "post_item", …
    uuid: uuid.UUID
    at: dt.datetime
    title: str
    summary: str = ""
    url: str = ""
    badges: tuple[str, ...] = field(default_factory=tuple)
    confidential: bool = False
