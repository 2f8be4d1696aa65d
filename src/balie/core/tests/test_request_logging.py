"""Log lines carry no personal data: requests by path only, numbers and addresses masked."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from django.test import Client

from balie.core.logging import JsonFormatter, redact


@pytest.fixture(autouse=True)
def _static_without_manifest(settings) -> None:
    """Pages render without `collectstatic` having run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.django_db
def test_a_request_is_logged_by_its_path_without_the_query_string(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    client.get(
        "/bestaat-niet/",
        {"rijksregisternummer": "85.07.30-033.28", "q": "85073003328 jan@example.com"},
        secure=True,
    )

    lines = [JsonFormatter().format(record) for record in caplog.records]
    request_lines = [json.loads(line) for line in lines if '"logger": "balie.request"' in line]
    assert len(request_lines) == 1
    assert request_lines[0]["method"] == "GET"
    assert request_lines[0]["path"] == "/bestaat-niet/"
    assert request_lines[0]["status"] == 404
    assert request_lines[0]["user"] == ""
    text = "\n".join(lines)
    assert "/bestaat-niet/" in text
    for secret in ("85073003328", "85.07.30-033.28", "033.28", "jan@example.com", "rijksregisternummer"):
        assert secret not in text


@pytest.mark.django_db
def test_a_logged_in_user_is_logged_by_public_id_only(
    client: Client, caplog: pytest.LogCaptureFixture, front_desk
) -> None:
    client.force_login(front_desk)
    caplog.set_level(logging.INFO)

    client.get("/", secure=True)  # the workspace's home page, which knows who is logged in

    record = next(r for r in caplog.records if r.name == "balie.request")
    line = JsonFormatter().format(record)
    assert json.loads(line)["user"] == str(front_desk.uuid)
    assert "onthaal" not in line and "Olga" not in line


def test_the_formatter_masks_national_numbers_and_email_addresses_in_messages_and_tracebacks() -> None:
    try:
        raise ValueError("Key (national_number)=(85073003328) already exists for jan.peeters@example.com")
    except ValueError:
        record = logging.LogRecord(
            "test", logging.ERROR, __file__, 1, "lookup %s failed", ("85.07.30-033.28",), None
        )
        import sys

        record.exc_info = sys.exc_info()

    line = JsonFormatter().format(record)

    assert json.loads(line)["message"] == "lookup [insz] failed"
    assert "85073003328" not in line and "jan.peeters@example.com" not in line
    assert "Key (national_number)=([insz]) already exists for [e-mail]" in line


def test_public_ids_and_other_numbers_are_left_alone() -> None:
    public_id = str(uuid.UUID("0e4a9c1b-2f3d-4c5e-8a7b-123456789012"))

    assert redact(f"party {public_id} page 2 of 12345") == f"party {public_id} page 2 of 12345"
