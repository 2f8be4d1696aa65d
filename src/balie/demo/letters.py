"""Gemeente Zonnedaal's letter templates and blocks, made as an administrator makes them in Word
(here with python-docx), uploaded through the same actions, and one mass mailing to the
associations about the rooms, which the demo's worker makes when it starts.

The letters are A4 in Arial (LibreOffice substitutes the metric-compatible Liberation Sans), the
address sits where a window envelope (DL, window on the right) shows it.
"""

from __future__ import annotations

import io
import math
from typing import Any

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

from balie.accounts.models import User
from balie.documents.letters.admin import create_block, create_template
from balie.documents.letters.mailing import start_mailing
from balie.documents.models import LetterTemplate, Mailing
from balie.parties.models import Party

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GREY = RGBColor(0x4A, 0x55, 0x61)
ADDRESS_INDENT = Mm(95)


def logo_png() -> bytes:
    """Zonnedaal's logo: a sun rising over a valley, in the municipality's blue and yellow."""
    size = 480
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    centre, radius = (size // 2, size // 2 + 40), 110
    for angle in range(0, 181, 20):
        rad = math.radians(180 + angle)
        inner = (centre[0] + math.cos(rad) * (radius + 20), centre[1] + math.sin(rad) * (radius + 20))
        outer = (centre[0] + math.cos(rad) * (radius + 90), centre[1] + math.sin(rad) * (radius + 90))
        draw.line([inner, outer], fill=(245, 176, 0), width=18)
    draw.pieslice(
        [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
        180,
        360,
        fill=(245, 176, 0),
    )
    draw.polygon(
        [(0, size), (0, centre[1]), (size // 2, centre[1] + 60), (size, centre[1] - 10), (size, size)],
        fill=(11, 84, 113),
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _document() -> Any:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(15), Mm(20)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    return document


def _paragraph(
    document: Any,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    indent: Any = None,
    align: Any = None,
    grey: bool = False,
    after: float | None = None,
) -> Any:
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if grey:
            run.font.color.rgb = GREY
    if indent is not None:
        paragraph.paragraph_format.left_indent = indent
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _saved(document: Any, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=DOCX)


def letterhead() -> SimpleUploadedFile:
    document = _document()
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    logo_cell, text_cell = table.rows[0].cells
    for column, cell, width in (
        (table.columns[0], logo_cell, Mm(30)),
        (table.columns[1], text_cell, Mm(135)),
    ):
        column.width = cell.width = width
    logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(logo_png()), width=Mm(22))
    name = text_cell.paragraphs[0].add_run("{{ gemeente.naam }}")
    name.bold, name.font.size = True, Pt(16)
    for line in (
        "{{ gemeente.adres }}",
        "{{ gemeente.telefoon }} · {{ gemeente.email }} · {{ gemeente.website }}",
    ):
        run = text_cell.add_paragraph().add_run(line)
        run.font.size, run.font.color.rgb = Pt(9), GREY
    return _saved(document, "briefhoofd.docx")


def signature() -> SimpleUploadedFile:
    document = _document()
    _paragraph(document, "Met vriendelijke groeten,", after=24)
    _paragraph(document, "{{ medewerker.naam }}", bold=True, after=0)
    _paragraph(document, "{{ medewerker.functie }}", after=0)
    _paragraph(document, "Dienst {{ medewerker.dienst }}", grey=True)
    return _saved(document, "handtekening.docx")


def closing() -> SimpleUploadedFile:
    document = _document()
    _paragraph(
        document,
        "Hebt u nog vragen? Bel ons op {{ gemeente.telefoon }} of mail naar {{ medewerker.email }}. "
        "Vermeld dan altijd ons kenmerk.",
    )
    return _saved(document, "slot.docx")


def _head(document: Any, *, subject: str) -> None:
    """The blocks and lines every letter starts with: letterhead, address, reference, date, subject."""
    _paragraph(document, "{{ blok.briefhoofd }}")
    _paragraph(document, after=18)
    _paragraph(document, "{{ klant.naam }}", indent=ADDRESS_INDENT, after=0)
    _paragraph(document, "{%p for regel in klant.adresregels %}", indent=ADDRESS_INDENT)
    _paragraph(document, "{{ regel }}", indent=ADDRESS_INDENT, after=0)
    _paragraph(document, "{%p endfor %}", indent=ADDRESS_INDENT)
    _paragraph(document, after=24)
    _paragraph(document, "{%p if poststuk.nummer or zaak %}")
    reference = (
        "Ons kenmerk: {{ poststuk.nummer }}{% if poststuk.nummer and zaak %} · {% endif %}"
        "{% if zaak %}zaak {{ zaak.nummer }}{% endif %}"
    )
    _paragraph(document, reference, size=9, grey=True, after=0)
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "Contactpersoon: {{ medewerker.naam }}, {{ medewerker.email }}", size=9, grey=True)
    _paragraph(document, "Zonnedaal, {{ poststuk.datum }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=12)
    _paragraph(document, subject, bold=True, after=12)
    _paragraph(document, "{{ klant.aanspreking }},")


def _footer(document: Any) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run("{{ gemeente.naam }} · {{ gemeente.adres }} · {{ gemeente.website }}")
    run.font.size, run.font.color.rgb = Pt(8), GREY


def acknowledgement() -> SimpleUploadedFile:
    document = _document()
    _head(document, subject="Betreft: ontvangstmelding{% if zaak %} – {{ zaak.type }}{% endif %}")
    _paragraph(document, "{%p if zaak %}")
    _paragraph(
        document,
        "Wij hebben uw aanvraag „{{ zaak.onderwerp }}” goed ontvangen op {{ zaak.datum }}. Ze kreeg het "
        "zaaknummer {{ zaak.nummer }}: vermeld dat nummer als u ons contacteert.",
    )
    _paragraph(document, "{%p if zaak.termijn %}")
    _paragraph(
        document,
        "U krijgt een beslissing uiterlijk op {{ zaak.termijn }}. "
        "{% if zaak.behandelaar %}{{ zaak.behandelaar }} behandelt{% else %}De dienst {{ zaak.dienst }} "
        "behandelt{% endif %} uw dossier.",
    )
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p else %}")
    _paragraph(
        document,
        "Wij hebben uw brief goed ontvangen en geregistreerd onder nummer {{ poststuk.nummer }}. "
        "We bezorgen u zo snel mogelijk een antwoord.",
    )
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{{ blok.slot }}")
    _paragraph(document, "{{ blok.handtekening }}")
    _paragraph(document, "{{ qr }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(document)
    document.core_properties.title = "Ontvangstmelding {{ poststuk.nummer }}"
    return _saved(document, "Ontvangstmelding.docx")


def answer() -> SimpleUploadedFile:
    document = _document()
    _head(document, subject="Betreft: {{ poststuk.onderwerp }}")
    _paragraph(
        document,
        "Naar aanleiding van uw {% if zaak %}aanvraag {{ zaak.nummer }}{% else %}brief{% endif %} "
        "bezorgen wij u graag ons antwoord.",
    )
    _paragraph(
        document, "[Schrijf hier het antwoord: download de brief, vul hem aan in Word en laad hem weer op.]"
    )
    _paragraph(document, "{{ blok.slot }}")
    _paragraph(document, "{{ blok.handtekening }}")
    _footer(document)
    return _saved(document, "Antwoordbrief.docx")


def room_terms() -> SimpleUploadedFile:
    document = _document()
    _head(document, subject="Betreft: nieuwe huurvoorwaarden voor de gemeentelijke zalen")
    _paragraph(
        document,
        "Vanaf 1 januari gelden nieuwe huurvoorwaarden voor de zalen van de gemeente: de parochiezaal van "
        "Heikant, de polyvalente zaal van het gemeentehuis en de vergaderzalen in de bibliotheek.",
    )
    _paragraph(document, "{%p if klant.soort == 'vereniging' %}")
    _paragraph(
        document,
        "Als Zonnedaalse vereniging betaalt {{ klant.naam }} het verenigingstarief; u reserveert voortaan "
        "ook 's avonds en in het weekend via het e-loket.",
    )
    _paragraph(document, "{%p endif %}")
    _paragraph(
        document,
        "Wij lichten de voorwaarden toe op een infoavond op donderdag 14 januari om 20 uur in de polyvalente "
        "zaal. U bent van harte welkom.",
    )
    _paragraph(document, "{{ blok.slot }}")
    _paragraph(document, "{{ blok.handtekening }}")
    _footer(document)
    return _saved(document, "Huurvoorwaarden zalen.docx")


def build_letters(
    *, admin: User, room_manager: User, associations: list[Party]
) -> tuple[list[LetterTemplate], Mailing]:
    """The blocks, three templates and a mass mailing to the associations (made by the worker)."""
    create_block(
        code="briefhoofd",
        name="Briefhoofd",
        file=letterhead(),
        by=admin,
        description="Logo, naam en contactgegevens van de gemeente, bovenaan.",
    )
    create_block(
        code="handtekening",
        name="Handtekening",
        file=signature(),
        by=admin,
        description="Groet, naam, functie en dienst van de medewerker.",
    )
    create_block(
        code="slot", name="Slot", file=closing(), by=admin, description="Waar de klant met vragen terechtkan."
    )
    templates = [
        create_template(
            name="Ontvangstmelding",
            file=acknowledgement(),
            by=admin,
            description="Bevestigt dat we een aanvraag of brief ontvingen, met het zaaknummer en de "
            "termijn als die er zijn.",
        )
    ]
    templates.append(
        create_template(
            name="Antwoordbrief",
            file=answer(),
            by=admin,
            description="Een antwoord op een vraag of brief; de medewerker vult het aan in Word.",
        )
    )
    terms = create_template(
        name="Nieuwe huurvoorwaarden zalen",
        file=room_terms(),
        by=admin,
        department=room_manager.department,
        description="Brief aan de verenigingen over de huurvoorwaarden van de zalen.",
    )
    templates.append(terms)
    mailing = start_mailing(
        template=terms,
        parties=associations,
        by=room_manager,
        title="Huurvoorwaarden zalen – alle verenigingen",
    )
    return templates, mailing
