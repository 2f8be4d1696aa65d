"""Beheer › Briefsjablonen: the functional administrator uploads templates and blocks, sees the
fields they use and why an upload is refused, previews them and uploads new versions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from balie.documents.models import LetterBlock, LetterTemplate
from balie.documents.tests.letter_samples import acknowledgement as acknowledgement_docx
from balie.documents.tests.letter_samples import docx_upload, signature, word
from balie.documents.tests.samples import PDF, stored_files, upload

from .conftest import client_for, html

LIST = reverse("backoffice:manage_letter_templates")
CREATE = reverse("backoffice:manage_letter_template_create")
FIELDS = reverse("backoffice:manage_letter_fields")
NEW_BLOCK = reverse("backoffice:manage_letter_block_create")


def file_errors(response) -> list[str]:
    """The messages shown next to the file field (one, or a list)."""
    page = html(response)
    match = re.search(r'<div class="field__error" id="id_(?:versie-)?file_error">(.*?)</div>', page, re.S)
    assert match, "no error next to the file field"
    items = re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    return [item.strip() for item in items] or [match.group(1).strip()]


def test_the_list_shows_templates_and_blocks(acknowledgement, letter_admin):
    page = html(client_for(letter_admin).get(LIST))

    assert "Ontvangstmelding" in page
    assert "versie 1 van" in page
    assert "{{ blok.briefhoofd }}" in page and "{{ blok.handtekening }}" in page
    assert 'aria-current="page">Briefsjablonen</a>' in page


def test_a_template_is_uploaded_through_the_form_and_its_fields_shown(letter_admin, blocks):
    client = client_for(letter_admin)

    response = client.post(
        CREATE,
        {
            "name": "Ontvangstmelding",
            "description": "Bevestigt de ontvangst.",
            "language": "nl",
            "department": "",
            "file": docx_upload(acknowledgement_docx(), "ontvangstmelding.docx"),
        },
    )

    template = LetterTemplate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:manage_letter_template", args=[template.uuid])
    page = html(client.get(response["Location"]))
    assert "Het sjabloon is opgeladen." in page
    assert "<code>{{ klant.aanspreking }}</code>" in page
    assert "<code>{{ blok.handtekening }}</code>" in page
    assert "De QR-code staat waar het sjabloon {{ qr }} zegt." in page


def test_an_unknown_field_is_shown_next_to_the_file_and_nothing_is_stored(letter_admin, media_root):
    response = client_for(letter_admin).post(
        CREATE,
        {
            "name": "Antwoord",
            "language": "nl",
            "file": docx_upload(word(["{{ klant.naam }}", "{{ zaak.status }}"])),
        },
    )

    assert response.status_code == 200
    assert file_errors(response) == [
        "Onbekend samenvoegveld {{ zaak.status }} in de hoofdtekst, in de alinea „{{ zaak.status }}”."
    ]
    assert 'aria-describedby="id_file_helptext id_file_error"' in html(response)
    assert LetterTemplate.objects.count() == 0
    assert stored_files(media_root) == []


def test_several_problems_are_listed_each_with_its_place(letter_admin):
    response = client_for(letter_admin).post(
        CREATE,
        {
            "name": "Antwoord",
            "language": "nl",
            "file": docx_upload(word(["{{ klant.nam }}", "{% if zaak %}"])),
        },
    )

    assert file_errors(response) == [
        "De sjabloontaal klopt niet in de hoofdtekst: {% if %} wordt nergens afgesloten met {% endif %}.",
    ]


def test_a_pdf_is_refused_as_a_template(letter_admin):
    response = client_for(letter_admin).post(
        CREATE, {"name": "Antwoord", "language": "nl", "file": upload("antwoord.docx", PDF)}
    )

    assert file_errors(response) == [
        "Dit is geen Word-document (.docx) maar PDF. Sla het in Word op als .docx."
    ]
    assert LetterTemplate.objects.count() == 0


def test_the_preview_shows_the_pages_with_example_data(acknowledgement, letter_admin):
    url = reverse("backoffice:manage_letter_template_preview", args=[acknowledgement.current_version.uuid])

    page = html(client_for(letter_admin).get(url))

    assert len(re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', page)) == 1
    assert 'alt="Bladzijde 1 van 1 van het voorbeeld"' in page


def test_the_preview_as_pdf(acknowledgement, letter_admin):
    url = reverse(
        "backoffice:manage_letter_template_preview_pdf", args=[acknowledgement.current_version.uuid]
    )

    response = client_for(letter_admin).get(url)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="voorbeeld-Ontvangstmelding-v1.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_a_new_version_is_uploaded_from_the_template_page(acknowledgement, letter_admin):
    client = client_for(letter_admin)
    url = reverse("backoffice:manage_letter_template_version", args=[acknowledgement.uuid])

    response = client.post(
        url, {"versie-file": docx_upload(word(["{{ klant.aanspreking }},"])), "versie-note": "Korter"}
    )

    assert response.status_code == 302
    acknowledgement.refresh_from_db()
    assert (acknowledgement.current_version.number, acknowledgement.current_version.note) == (2, "Korter")
    page = html(client.get(response["Location"]))
    assert "Versie 2 is opgeladen; nieuwe brieven gebruiken ze vanaf nu." in page
    assert page.count("in gebruik</span>") == 1


def test_a_refused_new_version_shows_why_and_keeps_the_old_one(acknowledgement, letter_admin):
    url = reverse("backoffice:manage_letter_template_version", args=[acknowledgement.uuid])

    response = client_for(letter_admin).post(url, {"versie-file": docx_upload(word(["{{ klant.fax }}"]))})

    assert response.status_code == 200
    assert file_errors(response) == [
        "Onbekend samenvoegveld {{ klant.fax }} in de hoofdtekst, in de alinea „{{ klant.fax }}”."
    ]
    acknowledgement.refresh_from_db()
    assert acknowledgement.current_version.number == 1


def test_the_template_file_is_downloaded_as_word(acknowledgement, letter_admin):
    url = reverse("backoffice:manage_letter_template_file", args=[acknowledgement.current_version.uuid])

    response = client_for(letter_admin).get(url)

    assert response["Content-Disposition"] == 'attachment; filename="ontvangstmelding.docx"'
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_a_block_is_uploaded_and_its_page_names_the_templates_using_it(acknowledgement, letter_admin):
    client = client_for(letter_admin)

    response = client.post(
        NEW_BLOCK,
        {"code": "slot", "name": "Slot", "description": "", "file": docx_upload(signature(), "slot.docx")},
    )

    block = LetterBlock.objects.get(code="slot")
    assert response["Location"] == reverse("backoffice:manage_letter_block", args=[block.uuid])
    handtekening = LetterBlock.objects.get(code="handtekening")
    page = html(client.get(reverse("backoffice:manage_letter_block", args=[handtekening.uuid])))
    assert "Ontvangstmelding</a>" in page
    assert "<code>{{ medewerker.naam }}</code>" in page


def test_the_field_catalogue_lists_every_field(letter_admin):
    page = html(client_for(letter_admin).get(FIELDS))

    assert "<code>{{ klant.aanspreking }}</code>" in page
    assert "<code>{{ poststuk.nummer }}</code>" in page
    assert "<code>{{ qr }}</code>" in page
    assert "Typ een veld in Word tussen dubbele accolades: <code>{{ klant.naam }}</code>." in page


@pytest.mark.parametrize("who", ["front_desk", "handler", "citizen"])
def test_only_the_functional_administrator_gets_in(request, acknowledgement, who, media_root):
    client = client_for(request.getfixturevalue(who))
    expected = 404 if who == "citizen" else 403
    version = acknowledgement.current_version
    pages = [
        LIST,
        CREATE,
        FIELDS,
        NEW_BLOCK,
        reverse("backoffice:manage_letter_template", args=[acknowledgement.uuid]),
        reverse("backoffice:manage_letter_template_preview", args=[version.uuid]),
        reverse("backoffice:manage_letter_template_file", args=[version.uuid]),
    ]
    files = stored_files(media_root)

    for path in pages:
        assert client.get(path).status_code == expected, path
    response = client.post(
        CREATE, {"name": "Sluipweg", "language": "nl", "file": docx_upload(word(["Hallo"]))}
    )

    assert response.status_code == expected
    assert LetterTemplate.objects.count() == 1
    assert stored_files(media_root) == files
