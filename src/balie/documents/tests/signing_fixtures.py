"""Fixtures of the signing tests: a certification authority made for the test run (a root and the
certificates it issues; no key is ever stored in the repository), the municipality's certificate
as the secret setting, a small municipality (an author, a team lead, the algemeen directeur, a
colleague who substitutes) and a PDF letter."""

from __future__ import annotations

import base64
import datetime as dt
import io
import subprocess
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balie.accounts.actions import create_department, create_employee
from balie.accounts.models import Department, Role, User
from balie.documents.actions import store_document
from balie.documents.models import Document, SigningFunction, SigningProcedure
from balie.documents.signing import procedures
from balie.documents.signing.certificates import Issued, issue, make_root

PASSWORD = "Geheim-2026"


def letter_pdf(text: str = "Beslissing over uw aanvraag", pages: int = 2) -> bytes:
    """A real PDF letter (reportlab), `pages` pages long."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        page.drawString(72, 770, "Gemeente Zonnedaal")
        page.drawString(72, 740, f"{text} (pagina {number})")
        page.showPage()
    page.save()
    return buffer.getvalue()


def pdf_upload(data: bytes | None = None, name: str = "brief.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data if data is not None else letter_pdf(), content_type="application/pdf"
    )


def pdfsig(data: bytes, tmp_path) -> str:
    """What poppler's pdfsig says of a PDF."""
    path = tmp_path / f"pdfsig-{len(data)}.pdf"
    path.write_bytes(data)
    command = ["pdfsig", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    return result.stdout + result.stderr


def pdftotext(data: bytes, tmp_path, *, page: int | None = None) -> str:
    """The text poppler reads from a PDF (signature blocks included), of one page or all."""
    path = tmp_path / f"text-{len(data)}.pdf"
    path.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", *pages, "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout  # noqa: S603


@pytest.fixture(scope="session")
def test_root() -> Issued:
    return make_root("Balie test root CA", organisation="Balie tests")


@pytest.fixture(scope="session")
def seal(test_root: Issued) -> Issued:
    """The municipality's certificate, issued by the test root."""
    return issue(test_root, "Gemeente Zonnedaal (test)", organisation="Gemeente Zonnedaal")


@pytest.fixture
def municipality_certificate(settings, seal: Issued) -> Issued:
    """The certificate as production gets it: a PKCS#12 in base64 and its password, as settings."""
    settings.BALIE_SIGNING_PKCS12 = ""
    settings.BALIE_SIGNING_PKCS12_BASE64 = base64.b64encode(seal.pkcs12(PASSWORD)).decode()
    settings.BALIE_SIGNING_PKCS12_PASSWORD = PASSWORD
    settings.BALIE_SIGNING_TRUST_ROOTS = []
    settings.BALIE_SIGNING_TSA_URL = ""
    return seal


@pytest.fixture
def personal_dir(settings, tmp_path) -> Iterator:
    directory = tmp_path / "persoonlijk"
    directory.mkdir()
    settings.BALIE_SIGNING_PERSONAL_DIR = str(directory)
    yield directory


@pytest.fixture
def secretariaat(db) -> Department:
    return create_department(name="Secretariaat", code="secretariaat", by=None)


@pytest.fixture
def directeur(secretariaat: Department) -> User:
    return create_employee(
        username="directeur",
        first_name="Katrien",
        last_name="Lambrechts",
        email="katrien.lambrechts@zonnedaal.be",
        password="Balie-demo-2026",
        department=secretariaat,
        roles=[Role.TEAM_LEAD],
        job_title="Algemeen directeur",
        by=None,
    )


@pytest.fixture
def adjunct(secretariaat: Department) -> User:
    return create_employee(
        username="adjunct",
        first_name="Geert",
        last_name="Wuyts",
        email="geert.wuyts@zonnedaal.be",
        password="Balie-demo-2026",
        department=secretariaat,
        roles=[Role.CASE_HANDLER],
        job_title="Adjunct-algemeen directeur",
        by=None,
    )


@pytest.fixture
def burgemeester(secretariaat: Department) -> User:
    return create_employee(
        username="burgemeester",
        first_name="Marc",
        last_name="Verstraeten",
        email="burgemeester@zonnedaal.be",
        password="Balie-demo-2026",
        department=secretariaat,
        job_title="Burgemeester",
        by=None,
    )


@pytest.fixture
def lead(omgeving: Department, handler: User) -> User:
    """The team lead of Omgeving, who approves the case handler's letters."""
    return create_employee(
        username="teamlead",
        first_name="Tom",
        last_name="Lead",
        email="tom@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        team=handler.team,
        roles=[Role.TEAM_LEAD, Role.CASE_HANDLER],
        by=None,
    )


@pytest.fixture
def directeur_function(directeur: User) -> SigningFunction:
    return procedures.create_function(name="Algemeen directeur", holder=directeur, by=None)


@pytest.fixture
def approved_letter_procedure(directeur_function: SigningFunction) -> SigningProcedure:
    """A team lead approves, then the algemeen directeur signs with the municipality's certificate."""
    procedure = procedures.create_procedure(
        name="Brief met handtekening algemeen directeur", approval_required=True, by=None
    )
    procedures.add_signer(procedure=procedure, function=directeur_function, by=None)
    return procedure


@pytest.fixture
def two_signers_procedure(directeur_function: SigningFunction, burgemeester: User) -> SigningProcedure:
    """No approval; the burgemeester signs, then the algemeen directeur."""
    procedure = procedures.create_procedure(name="Besluit burgemeester en algemeen directeur", by=None)
    procedures.add_signer(procedure=procedure, user=burgemeester, by=None)
    procedures.add_signer(procedure=procedure, function=directeur_function, by=None)
    return procedure


@pytest.fixture
def letter(handler: User) -> Document:
    """A PDF letter written by the case handler (department Omgeving)."""
    return store_document(file=pdf_upload(), title="Beslissing omgevingsvergunning", by=handler)


def days(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=n)
