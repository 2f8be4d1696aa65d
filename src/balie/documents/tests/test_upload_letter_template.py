"""A functional administrator uploads a Word template: it is checked against the merge-field
catalogue before anything is stored; a refused upload leaves no row and no file."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.documents.letters.admin import add_template_version, create_block, create_template
from balie.documents.models import LetterBlock, LetterTemplate, LetterTemplateVersion

from .letter_samples import acknowledgement, docx_upload, word
from .samples import PDF, stored_files, upload


def refused(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        create_template(**kwargs)
    return caught.value.message_dict


def test_an_upload_becomes_version_one_with_the_fields_it_uses(letter_admin, blocks, media_root):
    template = create_template(
        name="Ontvangstmelding",
        description="Bevestiging van ontvangst.",
        file=docx_upload(acknowledgement(), "Ontvangstmelding v1.docx"),
        by=letter_admin,
    )

    version = template.current_version
    assert version.number == 1
    assert version.original_filename == "Ontvangstmelding v1.docx"
    assert version.fields == [
        "blok.briefhoofd",
        "blok.handtekening",
        "gemeente.adres",
        "gemeente.naam",
        "gemeente.website",
        "klant.aanspreking",
        "klant.adresregels",
        "klant.naam",
        "poststuk.datum",
        "poststuk.nummer",
        "qr",
        "zaak.nummer",
        "zaak.onderwerp",
    ]
    assert version.blocks == ["briefhoofd", "handtekening"]
    assert version.uses_qr is True
    assert len(version.sha256) == 64
    assert version.file.name in [str(p.relative_to(media_root)) for p in stored_files(media_root)]
    assert ChangeRecord.objects.filter(object_uuid=template.uuid, action="create").count() == 1


def test_an_unknown_merge_field_is_refused_naming_it_and_where(letter_admin, media_root):
    errors = refused(
        name="Antwoord", file=docx_upload(word(["Beste", "Geachte {{ klant.voornam }},"])), by=letter_admin
    )

    assert errors == {
        "file": [
            "Onbekend samenvoegveld {{ klant.voornam }} in de hoofdtekst, in de alinea "
            "„Geachte {{ klant.voornam }},”. Bedoelt u {{ klant.voornaam }}?"
        ]
    }
    assert LetterTemplate.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_field_in_the_footer_is_checked_too(letter_admin):
    errors = refused(
        name="Antwoord", file=docx_upload(word(["Tekst"], footer="{{ gemeente.fax }}")), by=letter_admin
    )

    assert errors == {
        "file": [
            "Onbekend samenvoegveld {{ gemeente.fax }} in een voettekst, in de alinea „{{ gemeente.fax }}”."
        ]
    }


def test_broken_template_language_is_refused_with_the_paragraph(letter_admin, media_root):
    errors = refused(
        name="Antwoord",
        file=docx_upload(word(["Intro", "{% if zaak %}Uw zaak", "{% endfor %}"])),
        by=letter_admin,
    )

    assert errors == {
        "file": [
            "De sjabloontaal klopt niet in de hoofdtekst, in de alinea „{% endfor %}”: "
            "{% endfor %} staat hier verkeerd: eerst moet {% if %} afgesloten worden."
        ]
    }
    assert LetterTemplate.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_unclosed_condition_is_refused(letter_admin):
    errors = refused(name="Antwoord", file=docx_upload(word(["{%p if zaak %}", "Uw zaak"])), by=letter_admin)

    assert errors == {
        "file": [
            "De sjabloontaal klopt niet in de hoofdtekst: {% if %} wordt nergens afgesloten met {% endif %}."
        ]
    }


def test_a_list_printed_whole_is_refused_with_the_loop_to_use(letter_admin):
    errors = refused(name="Antwoord", file=docx_upload(word(["{{ klant.adresregels }}"])), by=letter_admin)

    assert errors == {
        "file": [
            "{{ klant.adresregels }} is een lijst van regels: zet elke regel apart met "
            "{%p for regel in klant.adresregels %}{{ regel }}{%p endfor %} (in de hoofdtekst, in de alinea "
            "„{{ klant.adresregels }}”)."
        ]
    }


def test_a_file_that_is_no_word_document_is_refused(letter_admin, media_root):
    errors = refused(
        name="Antwoord", file=upload("sjabloon.docx", PDF, "application/vnd.openxmlformats"), by=letter_admin
    )

    assert errors == {"file": ["Dit is geen Word-document (.docx) maar PDF. Sla het in Word op als .docx."]}
    assert LetterTemplate.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_damaged_word_document_is_refused(letter_admin):
    damaged = acknowledgement().replace(b"word/document.xml", b"word/documenX.xml")

    errors = refused(name="Antwoord", file=docx_upload(damaged), by=letter_admin)

    assert errors == {
        "file": [
            "Dit Word-document kan niet gelezen worden. Sla het in Word op als Word-document (.docx) en "
            "probeer opnieuw."
        ]
    }


def test_an_unknown_block_is_refused_listing_the_blocks_there_are(letter_admin, blocks):
    errors = refused(name="Antwoord", file=docx_upload(word(["{{ blok.slot }}"])), by=letter_admin)

    assert errors == {
        "file": [
            "Onbekend blok {{ blok.slot }} in de hoofdtekst, in de alinea „{{ blok.slot }}”. "
            "Bestaande blokken: briefhoofd, handtekening."
        ]
    }


def test_a_block_beside_text_is_refused(letter_admin, blocks):
    errors = refused(
        name="Antwoord", file=docx_upload(word(["Zie {{ blok.handtekening }}"])), by=letter_admin
    )

    assert errors["file"][0] == (
        "Een blok staat alleen in zijn alinea: het vervangt die hele alinea („Zie {{ blok.handtekening }}”)."
    )


def test_the_same_name_twice_in_one_language_is_refused_with_the_file_problems(letter_admin, acknowledgement):
    errors = refused(name="ontvangstmelding", file=docx_upload(word(["{{ x }}"])), by=letter_admin)

    assert errors == {
        "name": ["Er bestaat al een sjabloon met deze naam in deze taal."],
        "file": ["Onbekend samenvoegveld {{ x }} in de hoofdtekst, in de alinea „{{ x }}”."],
    }
    assert LetterTemplate.objects.count() == 1


def test_only_a_functional_administrator_uploads_templates(front_desk, media_root):
    with pytest.raises(ValidationError) as caught:
        create_template(name="Antwoord", file=docx_upload(word(["Beste"])), by=front_desk)

    assert caught.value.messages == ["Alleen een functioneel beheerder kan briefsjablonen beheren."]
    assert LetterTemplate.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_new_upload_is_the_next_version_and_the_first_stays(letter_admin, acknowledgement):
    version = add_template_version(
        template=acknowledgement,
        file=docx_upload(word(["{{ klant.aanspreking }},", "Nieuwe tekst."])),
        note="Kortere tekst",
        by=letter_admin,
    )

    acknowledgement.refresh_from_db()
    assert version.number == 2
    assert acknowledgement.current_version == version
    assert version.fields == ["klant.aanspreking"]
    assert version.note == "Kortere tekst"
    assert list(
        LetterTemplateVersion.objects.filter(template=acknowledgement).values_list("number", flat=True)
    ) == [2, 1]


def test_a_refused_new_version_leaves_the_template_as_it_was(letter_admin, acknowledgement, media_root):
    files_before = stored_files(media_root)

    with pytest.raises(ValidationError):
        add_template_version(
            template=acknowledgement, file=docx_upload(word(["{{ klant.nam }}"])), by=letter_admin
        )

    acknowledgement.refresh_from_db()
    assert acknowledgement.current_version.number == 1
    assert stored_files(media_root) == files_before


def test_a_block_may_use_fields_but_no_other_block(letter_admin, blocks, media_root):
    with pytest.raises(ValidationError) as caught:
        create_block(
            code="slot", name="Slot", file=docx_upload(word(["{{ blok.briefhoofd }}"])), by=letter_admin
        )

    assert caught.value.message_dict == {
        "file": [
            "Een blok kan geen ander blok bevatten ({{ blok.briefhoofd }} in de hoofdtekst, in de alinea "
            "„{{ blok.briefhoofd }}”)."
        ]
    }
    assert LetterBlock.objects.filter(code="slot").exists() is False


def test_a_block_code_must_be_a_plain_name(letter_admin):
    with pytest.raises(ValidationError) as caught:
        create_block(code="Brief hoofd", name="Slot", file=docx_upload(word(["Tekst"])), by=letter_admin)

    assert caught.value.message_dict == {
        "code": ["Alleen kleine letters, cijfers en _, te beginnen met een letter (bv. briefhoofd)."]
    }


def test_a_block_in_a_header_is_refused(letter_admin, blocks):
    errors = refused(
        name="Antwoord", file=docx_upload(word(["Tekst"], header="{{ blok.briefhoofd }}")), by=letter_admin
    )

    assert errors == {
        "file": [
            "Een blok ({{ blok.briefhoofd }}) kan alleen in de hoofdtekst staan, niet in een koptekst, in de "
            "alinea „{{ blok.briefhoofd }}”."
        ]
    }
