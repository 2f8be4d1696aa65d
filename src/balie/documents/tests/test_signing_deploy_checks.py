"""`balie check --deploy` says what is wrong with signing before anyone tries to sign."""

from __future__ import annotations

import base64
import datetime as dt

from balie.documents.signing.certificates import issue
from balie.documents.signing.checks import check_signing

from .signing_fixtures import PASSWORD


def _production(settings, tmp_path, seal) -> None:
    path = tmp_path / "gemeente.p12"
    path.write_bytes(seal.pkcs12(PASSWORD))
    path.chmod(0o600)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(b"")
    settings.BALIE_SIGNING_PKCS12 = str(path)
    settings.BALIE_SIGNING_PKCS12_BASE64 = ""
    settings.BALIE_SIGNING_PKCS12_PASSWORD = PASSWORD
    settings.BALIE_SIGNING_TRUST_ROOTS = [str(roots)]
    settings.BALIE_SIGNING_PLATFORM_URL = "https://ondertekenen.example.be"
    settings.BALIE_SIGNING_CALLBACK_URL = "https://balie.example.be"


def test_production_settings_pass(settings, tmp_path, seal):
    _production(settings, tmp_path, seal)
    assert check_signing() == []
    settings.BALIE_SIGNING_PLATFORM_URL = "off"
    assert check_signing() == []


def test_a_certificate_others_can_read_a_wrong_password_and_the_demo_are_reported(settings, tmp_path, seal):
    _production(settings, tmp_path, seal)
    (tmp_path / "gemeente.p12").chmod(0o644)
    settings.BALIE_SIGNING_PKCS12_PASSWORD = "fout"
    settings.BALIE_SIGNING_TRUST_ROOTS = []
    settings.BALIE_SIGNING_PLATFORM_URL = ""
    found = check_signing()
    assert [message.id for message in found] == ["balie.W161", "balie.E161", "balie.W163", "balie.W164"]
    assert "het wachtwoord is fout" in found[1].msg


def test_a_certificate_about_to_expire_is_warned_of(settings, tmp_path, test_root):
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    _production(settings, tmp_path, issue(test_root, "Bijna verlopen", not_after=soon))
    settings.BALIE_SIGNING_PKCS12 = ""
    settings.BALIE_SIGNING_PKCS12_BASE64 = base64.b64encode(
        issue(test_root, "Bijna verlopen", not_after=soon).pkcs12(PASSWORD)
    ).decode()
    settings.BALIE_SIGNING_CALLBACK_URL = "http://balie.example.be"
    assert [message.id for message in check_signing()] == ["balie.W162", "balie.W165"]


def test_a_site_that_does_not_sign_has_nothing_to_fix(settings):
    settings.BALIE_SIGNING_PKCS12 = ""
    settings.BALIE_SIGNING_PKCS12_BASE64 = ""
    settings.BALIE_SIGNING_TRUST_ROOTS = []
    settings.BALIE_SIGNING_PLATFORM_URL = "off"
    assert check_signing() == []
