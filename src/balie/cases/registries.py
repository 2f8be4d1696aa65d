"""How higher apps plug into the case engine, without signals.

- `customer_message_recorders`: after Balie informed a customer about a case (an e-mail), each
  recorder keeps a trace of it; `contact_moments` records it as an outgoing contact moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from balie.core.registries import Registry
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
