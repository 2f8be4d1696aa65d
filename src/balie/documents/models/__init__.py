"""The documents app's models, one module per part: the store (documents and versions); letters
(templates and their blocks) and signing add their own modules and are imported here."""

from .store import Document, DocumentVersion

__all__ = ["Document", "DocumentVersion"]
