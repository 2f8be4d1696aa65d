"""How higher apps hear that a signing request ended, without documents knowing them.

`signing_outcome_handlers`: called with the request inside the transaction that ends it (signed,
refused, failed or withdrawn), so what a handler writes (an outgoing post item moving on to
dispatch, a case event) exists exactly when the outcome does. Register in AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable

from balie.core.registries import Registry

from ..models import SigningRequest

SigningOutcomeHandler = Callable[[SigningRequest], None]

signing_outcome_handlers: Registry[SigningOutcomeHandler] = Registry("signing outcome handlers")


def tell_outcome(request: SigningRequest) -> None:
    for _key, handler in signing_outcome_handlers:
        handler(request)
