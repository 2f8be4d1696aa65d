"""Error pages in the face the visitor uses: the e-loket's own under /e-loket/, the back-office's
elsewhere (the handlers in conf/errors.py)."""

import pytest
from django.test import RequestFactory

from balie.conf.errors import page_not_found, permission_denied, server_error


@pytest.mark.django_db
def test_each_face_keeps_its_own_error_pages(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    portal_error = server_error(RequestFactory().get("/e-loket/mijn")).content.decode()
    office_error = server_error(RequestFactory().get("/partijen/")).content.decode()
    office_missing = page_not_found(RequestFactory().get("/partijen/x"), Exception()).content.decode()
    portal_denied = permission_denied(RequestFactory().get("/e-loket/mijn"), Exception()).content.decode()

    assert "Het e-loket kon uw vraag niet verwerken" in portal_error
    assert "Balie kon uw vraag niet verwerken" in office_error
    assert "backoffice/balie.css" in office_missing
    assert "Dit kunt u hier niet doen" in portal_denied and "portal/portal.css" in portal_denied
