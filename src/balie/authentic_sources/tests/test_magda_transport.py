"""MAGDA over mutual TLS: the client presents its certificate and checks the server's against the
configured CA bundle; without either, no answer (and the call is logged as a connection error)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from balie.authentic_sources.consultations import ConsultationError, consult
from balie.authentic_sources.magda.demo import DemoMagdaService
from balie.authentic_sources.models import Consultation, MagdaService

pytestmark = pytest.mark.django_db


OPENSSL = shutil.which("openssl")
pytestmark = [pytestmark, pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")]


def _openssl(*args: str, cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=60)  # noqa: S603


def _certificate(cwd: Path, name: str, subject: str, *, ca: str, extension: str = "") -> None:
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        f"{name}.key",
        "-subj",
        subject,
        "-out",
        f"{name}.csr",
        cwd=cwd,
    )
    extra = ["-extfile", "ext.cnf"] if extension else []
    if extension:
        (cwd / "ext.cnf").write_text(extension)
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key", "-CAcreateserial",
        "-days", "2", "-out", f"{name}.crt", *extra, cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Path:
    """A CA, MAGDA's server certificate for 127.0.0.1, Balie's client certificate, and a stranger CA."""
    cwd = tmp_path_factory.mktemp("pki")
    for ca in ("ca", "stranger"):
        _openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out", f"{ca}.crt",
            "-days", "2", "-subj", f"/CN=Test {ca}", cwd=cwd,
        )  # fmt: skip
    _certificate(cwd, "server", "/CN=magda.test", ca="ca", extension="subjectAltName=IP:127.0.0.1\n")
    _certificate(cwd, "client", "/CN=balie.zonnedaal.test", ca="ca")
    return cwd


@pytest.fixture
def magda_tls(pki: Path, settings) -> Iterator[DemoMagdaService]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki / "ca.crt"))
    context.load_cert_chain(str(pki / "server.crt"), str(pki / "server.key"))
    context.verify_mode = ssl.CERT_REQUIRED  # mutual TLS: no client certificate, no answer
    service = DemoMagdaService(tls=context).start()
    settings.BALIE_MAGDA_URL = service.url
    settings.BALIE_MAGDA_TIMEOUT = 5.0
    settings.BALIE_MAGDA_CA = str(pki / "ca.crt")
    settings.BALIE_MAGDA_CERT = str(pki / "client.crt")
    settings.BALIE_MAGDA_KEY = str(pki / "client.key")
    yield service
    service.stop()


def test_a_call_over_mutual_tls_is_answered(magda_tls, person, purpose, front_desk):
    consulted = consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert magda_tls.url.startswith("https://")
    assert consulted.answer.insz == person.national_number
    assert Consultation.objects.get().outcome == "ok"


@pytest.mark.parametrize(
    "change",
    [
        {"BALIE_MAGDA_CERT": "", "BALIE_MAGDA_KEY": ""},  # no client certificate
        {"BALIE_MAGDA_CA": "stranger.crt"},  # the server's certificate is not trusted
        {"BALIE_MAGDA_CERT": "missing.crt"},  # a certificate file that is not there
    ],
)
def test_without_the_right_certificates_there_is_no_answer(
    magda_tls, pki, settings, person, purpose, front_desk, change
):
    for key, value in change.items():
        setattr(settings, key, str(pki / value) if value else "")

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "niet bereikbaar" in failed.value.message
    assert Consultation.objects.get().outcome == "error"
    assert magda_tls.behaviour.received == []
