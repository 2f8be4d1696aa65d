"""The documents app's models, one module per part: the store (documents and versions, with the
text read from them); links to parties; letters (templates and their blocks) and signing add their
own modules and are imported here."""

from .links import PartyDocument
from .store import Document, DocumentVersion, TextMethod, TextState

__all__ = ["Document", "DocumentVersion", "PartyDocument", "TextMethod", "TextState"]
