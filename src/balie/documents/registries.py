"""How higher apps plug into the document store, without signals.

- `document_link_providers`: what documents belong to (a case, a contact moment, a post item),
  for the search results, the document page and the API. Each provider gets the user and a list
  of document ids and returns, per document id, the links that user may see. The store itself
  provides the links to parties (queries.party_links).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from balie.core.registries import Registry


@dataclass(frozen=True)
class DocumentLink:
    kind: str  # "party", "case", "contact_moment", "post_item", …
    uuid: uuid.UUID
    label: str  # what a person recognises it by: a name, a number, a subject


DocumentLinkProvider = Callable[[Any, Sequence[int]], dict[int, list[DocumentLink]]]

document_link_providers: Registry[DocumentLinkProvider] = Registry("document link providers")
