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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from balie.core.registries import Registry
from balie.core.timeline import TimelineEntry
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
