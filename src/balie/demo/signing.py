"""Demo signing: the algemeen directeur's function, three procedures, a substitution for the summer,
and two letters on their way (one waits for the team lead's approval, one for the directeur's
signature). Made through the signing actions, as the administrator and the employees would."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from balie.accounts.models import User
from balie.documents.actions import store_document
from balie.documents.models import CertificateKind, SigningMethod
from balie.documents.signing import procedures
from balie.documents.signing.actions import approve, request_signing
from balie.documents.signing.credentials import municipality_configured

LETTER_PROCEDURE = "Brief met handtekening algemeen directeur"

LETTERS = [
    (
        "Antwoord op uw vraag over de huisvuilophaling",
        [
            "Beste mevrouw Janssens,",
            "",
            "U vroeg ons waarom uw restafval op 3 november niet werd opgehaald.",
            "De ophaling in uw straat werd die dag door wegenwerken verplaatst naar 4 november.",
            "Wij verontschuldigen ons dat u hier niet tijdig van op de hoogte was.",
        ],
    ),
    (
        "Bevestiging van uw adreswijziging",
        [
            "Beste heer Peeters,",
            "",
            "Wij bevestigen dat uw nieuwe adres in het bevolkingsregister werd ingeschreven.",
            "Uw identiteitskaart werd aangepast bij uw bezoek aan het onthaal.",
        ],
    ),
]


def letter_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page letter of the municipality (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 780, settings.BALIE_MUNICIPALITY_NAME)
    page.setFont("Helvetica", 10)
    page.drawString(72, 764, "Gemeenteplein 1, 2645 Zonnedaal")
    page.drawString(400, 720, timezone.localdate().strftime("Zonnedaal, %d/%m/%Y"))
    page.setFont("Helvetica-Bold", 11)
    page.drawString(72, 680, title)
    page.setFont("Helvetica", 11)
    for number, line in enumerate([*lines, "", "Met vriendelijke groeten,"]):
        page.drawString(72, 650 - 16 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def build_signing(employees: dict[str, User]) -> None:
    directeur = employees["directeur"]
    adjunct = employees["geert.wuyts"]
    admin = employees["beheer"]
    function = procedures.create_function(name="Algemeen directeur", holder=directeur, by=admin)
    letter = procedures.create_procedure(
        name=LETTER_PROCEDURE,
        description="Uitgaande brieven: een teamverantwoordelijke keurt goed, de algemeen directeur "
        "ondertekent met het certificaat van de gemeente.",
        approval_required=True,
        by=admin,
    )
    procedures.add_signer(procedure=letter, function=function, by=admin)
    platform = procedures.create_procedure(
        name="Brief via het ondertekenplatform",
        description="De algemeen directeur ondertekent op het externe ondertekenplatform.",
        method=SigningMethod.PLATFORM,
        by=admin,
    )
    procedures.add_signer(procedure=platform, function=function, by=admin)
    personal = procedures.create_procedure(
        name="Attest met persoonlijke handtekening algemeen directeur",
        description="De algemeen directeur ondertekent met haar eigen certificaat (in de demo: het "
        "wachtwoord van de demo).",
        by=admin,
    )
    procedures.add_signer(
        procedure=personal, function=function, certificate=CertificateKind.PERSONAL, by=admin
    )
    today = timezone.localdate()
    summer = dt.date(today.year + (1 if today.month > 7 else 0), 7, 1)
    procedures.add_substitution(
        for_function=function,
        substitute=adjunct,
        valid_from=summer,
        valid_until=summer + dt.timedelta(days=30),
        reason="Zomerverlof",
        by=admin,
    )
    if not municipality_configured():  # `balie load_demo_data` without `balie demo`'s certificates
        return
    author, lead = employees["onthaal"], employees["teamlead"]
    requests = []
    for title, lines in LETTERS:
        upload = SimpleUploadedFile(f"{title}.pdf", letter_pdf(title, lines), content_type="application/pdf")
        document = store_document(file=upload, title=title, by=author)
        requests.append(request_signing(document=document, procedure=letter, by=author))
    approve(request=requests[1], by=lead, note="In orde.")
