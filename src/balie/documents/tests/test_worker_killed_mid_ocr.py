"""A real worker process is killed (SIGKILL) while Tesseract reads a scan: nothing is written, the
version keeps waiting, and once the lease has run out the scheduled job has it read again."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone

from balie.core.worker import run_ready_tasks
from balie.documents.actions import store_document
from balie.documents.models import DocumentVersion, TextMethod, TextState
from balie.documents.tasks import LEASE, resume_waiting_versions

from . import samples
from .samples import upload

READ_IN_A_CHILD = (
    "import django, sys; django.setup(); "
    "from balie.documents.tasks import read_version_text; read_version_text(int(sys.argv[1]))"
)


def database_url() -> str:
    """The test database, as a URL for another process."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_ocr_leaves_the_version_to_be_read_again(handler, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the child's too: BALIE_DATA_DIR below
    pages = [
        f"Pagina {number} van de gescande aanvraag\nvoor een terras op de Markt" for number in range(1, 4)
    ]
    document = store_document(file=upload("scan.pdf", samples.scanned_pdf(*pages)), title="Scan", by=handler)
    version_id = document.current_version_id
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", READ_IN_A_CHILD, str(version_id)],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "balie.conf.settings",
            "DATABASE_URL": database_url(),
            "BALIE_DATA_DIR": str(tmp_path),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not DocumentVersion.objects.filter(pk=version_id, text_attempts=1).exists():
            assert child.poll() is None and time.monotonic() < deadline, "the child did not claim the version"
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)  # mid-OCR: it claimed, it has three pages to read
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()

    version = DocumentVersion.objects.get(pk=version_id)
    assert (version.text_state, version.text, version.text_attempts) == (TextState.WAITING, "", 1)
    assert version.text_lease_until is not None and version.text_lease_until > timezone.now()
    assert resume_waiting_versions() == 0  # its lease still runs
    assert resume_waiting_versions(now=timezone.now() + LEASE + dt.timedelta(seconds=1)) == 1
    run_ready_tasks()

    version.refresh_from_db()
    assert (version.text_state, version.text_method, version.text_pages, version.text_attempts) == (
        TextState.DONE,
        TextMethod.OCR,
        3,
        2,
    )
    assert "Pagina 3 van de gescande aanvraag" in version.text
