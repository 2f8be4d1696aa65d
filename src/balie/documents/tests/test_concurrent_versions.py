"""Ten new versions of one document at once get ten distinct numbers, gap-free, and the document
points at the last one. Threads with their own connections queue on the document's row lock
(PostgreSQL) or the database's write lock (SQLite)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from balie.documents.actions import add_version, store_document
from balie.documents.models import Document, DocumentVersion

from . import samples
from .samples import stored_files, upload

THREADS = 10

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_versions_are_numbered_without_gaps(handler, media_root):
    document = store_document(file=upload("plan.pdf", samples.PDF), title="Plan", by=handler)
    barrier = threading.Barrier(THREADS)
    outcomes: dict[int, str] = {}

    def add(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            content = samples.PDF + f"% versie van thread {i}\n".encode()
            add_version(document=Document(pk=document.pk), file=upload(f"plan-{i}.pdf", content), by=handler)
            outcomes[i] = "ok"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[i] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == dict.fromkeys(range(THREADS), "ok")
    numbers = list(
        DocumentVersion.objects.filter(document=document).order_by("number").values_list("number", flat=True)
    )
    assert numbers == list(range(1, THREADS + 2))
    document.refresh_from_db()
    assert document.current_version.number == THREADS + 1
    assert len(stored_files(media_root)) == THREADS + 1
