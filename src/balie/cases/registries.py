"""How higher apps plug into the case engine, without signals.

- `customer_message_recorders`: after Balie informed a customer about a case (an e-mail), each
  recorder keeps a trace of it; `contact_moments` records it as an outgoing contact moment.
- `case_destruction_handlers`: a case is about to be destroyed (retention.py); each handler lets go
  of the rows of its app that point at the case (a foreign key to Case must not stop the
  destruction, nor be deleted with it unasked). `contact_moments` clears its contacts' case link.
  Called inside the destroying transaction, with the case locked; returns how many rows it changed.
- `case_timeline_sources`: what higher apps add to a case's own timeline (the case page), as
  `core.timeline.TimelineEntry` rows that the reader may see; `correspondence` adds the case's
  post items. `queries.case_timeline` merges them with the case's events by time.
- `intake_handlers`: the flows that turn something a customer brought in into a case of their own
  kind (`complaints`, `reports`), keyed by kind; used by whoever receives it (a mail rule, the
  portal, the API, a conversion) so that flows in one row need not import each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from balie.core.registries import Registry
from balie.core.timeline import TimelineEntry
from balie.documents.models import Document
from balie.parties.models import Party

from .models import Case


@dataclass(frozen=True)
class CustomerMessage:
    case: Case
    party: Party
    address: str
    subject: str
    body: str
    sent_by: Any  # the user in whose name it went out (who set the status)


CustomerMessageRecorder = Callable[[CustomerMessage], None]

customer_message_recorders: Registry[CustomerMessageRecorder] = Registry("customer message recorders")


CaseDestructionHandler = Callable[[Case, Any], int]  # (case, destroyed by) -> rows let go

case_destruction_handlers: Registry[CaseDestructionHandler] = Registry("case destruction handlers")


CaseTimelineSource = Callable[[Any, Case, int], list[TimelineEntry]]  # (reader, case, limit) -> newest first

case_timeline_sources: Registry[CaseTimelineSource] = Registry("case timeline sources")


@dataclass(frozen=True)
class Intake:
    """Something a customer brought in that a flow turns into a case of its own kind.

    A mail rule, the portal, the API or a counter form fills one in and hands it to the handler
    registered under `kind` ("complaint", "report", …) in `intake_handlers`. A conversion (a report
    that turns out to be a complaint, a complaint that is not one) fills in `converted_from`: the
    new case keeps a link to the old one, which keeps its own history."""

    kind: str  # the key in intake_handlers
    channel: str  # a contact_moments.Channel value: "counter", "phone", "email", "web", "letter", …
    party: Party | None  # None: anonymous
    subject: str
    text: str
    received_at: dt.datetime
    by: Any  # the employee (or the department's system account) registering it
    documents: tuple[Document, ...] = ()
    source: str = ""  # where it came from, for the history: "mail:<Message-ID>", "post:IN2026-000012"
    converted_from: Case | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # what the kind understands (a location, …)


IntakeHandler = Callable[[Intake], Case]  # creates and returns the case; ValidationError on bad input

intake_handlers: Registry[IntakeHandler] = Registry("intake handlers")
