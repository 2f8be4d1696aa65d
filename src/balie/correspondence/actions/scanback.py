"""A signed paper copy that comes back through the scanner. Every Balie letter carries a QR code
with its register number (`BALIE:OUT-YYYY-NNNNNN`, `documents.letters.qr`). When a scan registered
as incoming post has that code on its first page, and it names an outgoing item the employee may
see, the scan is not a new letter: it is that item's signed copy. It is stored as a document of
the outgoing item (role "signed copy", of the item's department and confidentiality), with a line
in the item's history, and no IN number is taken.
"""

from __future__ import annotations

import logging
import subprocess
from typing import Any

from django.db import transaction
from PIL import UnidentifiedImageError

from balie.accounts.models import User
from balie.documents.actions import discard_new_files_on_failure, write_file
from balie.documents.letters.qr import find_letter_codes
from balie.documents.models import Letter

from ..models import Direction, DocumentRole, PostItem, PostItemDocument
from ..queries import post_items_for
from .base import _lock, _require_registrar, _store_documents

logger = logging.getLogger(__name__)


def _content(scan: Any) -> bytes:
    scan.seek(0)
    data = scan.read()
    scan.seek(0)
    return data if isinstance(data, bytes) else bytes(data)


def returned_letter_of(scan: Any, by: User) -> PostItem | None:
    """The outgoing item whose letter `scan` is a copy of: the Balie code on its first page names
    its OUT number (or the letter itself), and `by` may see the item. None for any other scan,
    also one whose code names an item that does not exist or that `by` may not see."""
    try:
        codes = find_letter_codes(_content(scan))
    except (subprocess.SubprocessError, UnidentifiedImageError, OSError, ValueError):
        logger.info("no letter code read from a scan", exc_info=True)
        return None
    visible = post_items_for(by).filter(direction=Direction.OUTGOING)
    for code in codes:
        if code.register_number:
            item = visible.filter(number=code.register_number).first()
        elif code.letter_uuid is not None:
            letters = Letter.objects.filter(uuid=code.letter_uuid).values("pdf_document_id")
            item = visible.filter(
                documents__role=DocumentRole.LETTER, documents__document_id__in=letters
            ).first()
        else:
            continue
        if item is not None:
            return item
    return None


def attach_signed_copy(*, item: PostItem, scan: Any, mime_type: str, by: User) -> PostItemDocument:
    """Store `scan` (already checked as a scan) as the signed paper copy of the outgoing `item`."""
    _require_registrar(by)
    with discard_new_files_on_failure():
        stored = write_file(scan, mime_type=mime_type)
        with transaction.atomic():
            locked = _lock(item)
            _store_documents(locked, [(stored, DocumentRole.SIGNED_COPY)], by=by)
            return PostItemDocument.objects.filter(item=locked, role=DocumentRole.SIGNED_COPY).latest("pk")
