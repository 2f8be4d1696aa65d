"""Why the text of a file could not be read: a failure (shown, retryable) or a file that has no
text Balie can read (not applicable). Both carry a reason in Dutch for the employee."""

from __future__ import annotations


class ExtractionFailed(Exception):
    """Reading the text went wrong; the reason is shown on the version and it can be retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotApplicable(Exception):
    """The file has no text that Balie reads (e.g. an Outlook message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Superseded(Exception):
    """Another worker took the version over (this one's lease had run out): stop, write nothing."""
