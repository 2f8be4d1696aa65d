"""Text normalisation for search: lower case, no accents, single spaces."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s@.+-]")


def normalize(value: str) -> str:
    """'  Dé Wìlde,  Ann ' -> 'de wilde ann'."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _PUNCT.sub(" ", stripped.casefold())).strip()
