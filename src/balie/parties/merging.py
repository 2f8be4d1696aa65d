"""Who else must follow when two parties are merged.

Apps above `parties` (contact moments, cases, post …) register a handler that re-points their
rows from the duplicate to the survivor; `merge_parties` calls each inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from balie.core.registries import Registry

from .models import Party

MergeHandler = Callable[[Party, Party], int]
"""handler(survivor, duplicate) -> number of rows moved."""

merge_handlers: Registry[MergeHandler] = Registry("party merge handlers")
