"""Documents on the case page: upload with a document type, the list, download through a view
that checks who asks, new versions; a refused upload shows why at the form and changes nothing."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.cases.actions import attach_document, register_case
from balie.cases.models import CaseDocument, CaseEvent
from balie.cases.tests.test_attach_document import document_version  # noqa: F401
from balie.documents.models import Document, DocumentVersion
from balie.documents.tests import samples
from balie.documents.tests.samples import stored_files, upload

from .conftest import client_for, html


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def case(document_version, handler, applicant):  # noqa: F811
    return register_case(
        case_type=document_version.case_type,
        by=handler,
        subject="Verbouwing keuken",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen"},
        handler=handler,
        team=handler.team,
    )


def page_url(case) -> str:
    return reverse("backoffice:case", args=[case.uuid])


def download_url(document, number: int = 1) -> str:
    return reverse("backoffice:document_download", args=[document.uuid, number])


def field_error(response, name: str) -> str:
    match = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', html(response), re.S)
    assert match, f"no error shown next to {name}"
    return match.group(1).strip()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_offers_an_upload_with_the_case_types_document_types(handler, case):
    page = html(client_for(handler).get(page_url(case)))

    assert '<h2 id="documents-title">Documenten</h2>' in page and "Nog geen documenten." in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="document-file"' in page and 'accept=".pdf,.tif,' in page
    assert ">Aanvraagformulier (inkomend)</option>" in page
    assert ">Advies brandweer (intern)</option>" in page
    assert "hoogstens 25,0\xa0MB." in page


def test_upload_and_download_through_the_page(handler, case, applicant, media_root):
    client = client_for(handler)
    form_type = case.version.document_types.get(name="Aanvraagformulier")

    response = client.post(
        reverse("backoffice:case_attach_document", args=[case.uuid]),
        {
            "document-file": upload("aanvraag.docx", samples.PDF, "application/msword"),
            "document-title": "Aanvraag",
            "document-document_type": form_type.pk,
        },
    )

    assert response.status_code == 302 and response["Location"] == page_url(case) + "#documenten"
    link = CaseDocument.objects.select_related("document__current_version").get(case=case)
    assert link.document_type == form_type and link.document.title == "Aanvraag"
    page = html(client.get(page_url(case)))
    assert "Het document is toegevoegd." in page
    assert f'<a href="{download_url(link.document)}" class="document__title">Aanvraag</a>' in page
    assert f"Aanvraagformulier · versie 1 · PDF · {len(samples.PDF)}\xa0bytes" in page
    assert "Hans Handel" in page

    download = client.get(download_url(link.document))

    assert download.status_code == 200
    assert body(download) == samples.PDF
    assert download["Content-Type"] == "application/pdf"  # from the content, not the name
    assert download["Content-Disposition"] == 'attachment; filename="aanvraag.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Length"] == str(len(samples.PDF))
    # the case names a person: the download is in the access log
    access = PersonalDataAccess.objects.filter(location=download_url(link.document)).get()
    assert access.subject_uuid == applicant.uuid and access.actor_uuid == handler.uuid


def test_a_name_with_unusual_characters_is_sent_safely(handler, case, media_root):
    link = attach_document(
        case=case, by=handler, file=upload('plan "eind"\r\nversie é.pdf', samples.PDF), title="Plan"
    )

    download = client_for(handler).get(download_url(link.document))

    disposition = download["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename*=utf-8''plan%20_eind_versie%20%C3%A9.pdf")


def test_a_new_version_through_the_page(handler, case, media_root):
    link = attach_document(case=case, by=handler, file=upload("brief.docx", samples.docx()), title="Brief")
    client = client_for(handler)
    key = f"versie-{link.document.uuid}"
    assert f'name="{key}-file"' in html(client.get(page_url(case)))

    response = client.post(
        reverse("backoffice:case_document_version", args=[case.uuid, link.document.uuid]),
        {f"{key}-file": upload("brief-getekend.pdf", samples.PDF)},
    )

    assert response.status_code == 302
    page = html(client.get(page_url(case)))
    assert "De nieuwe versie is bewaard." in page and "versie 2 · PDF" in page
    assert "1 eerdere versie" in page and f'href="{download_url(link.document, 1)}"' in page
    old = client.get(download_url(link.document, 1))
    assert body(old) == samples.docx() and old["Content-Disposition"] == 'attachment; filename="brief.docx"'
    new = client.get(download_url(link.document, 2))
    assert hashlib.sha256(body(new)).hexdigest() == hashlib.sha256(samples.PDF).hexdigest()


def test_a_refused_upload_shows_why_at_the_form_and_changes_nothing(handler, case, media_root):
    events = CaseEvent.objects.filter(case=case).count()

    response = client_for(handler).post(
        reverse("backoffice:case_attach_document", args=[case.uuid]),
        {"document-file": upload("factuur.pdf", samples.EXE, "application/pdf"), "document-title": "Factuur"},
    )

    assert response.status_code == 200
    assert field_error(response, "document-file").startswith("Dit soort bestand kan niet bewaard worden")
    assert 'id="actie-document" open' in html(response)
    assert not Document.objects.exists() and CaseEvent.objects.filter(case=case).count() == events
    assert stored_files(media_root) == []


def test_a_missing_file_is_asked_for(handler, case, media_root):
    response = client_for(handler).post(
        reverse("backoffice:case_attach_document", args=[case.uuid]), {"document-title": "Niets"}
    )

    assert field_error(response, "document-file") == "Kies een bestand."
    assert not Document.objects.exists()


def test_a_refused_version_shows_why_at_its_form(handler, case, media_root):
    link = attach_document(case=case, by=handler, file=upload("brief.pdf", samples.PDF), title="Brief")
    key = f"versie-{link.document.uuid}"

    response = client_for(handler).post(
        reverse("backoffice:case_document_version", args=[case.uuid, link.document.uuid]),
        {f"{key}-file": upload("brief.pdf", samples.HTML)},
    )

    assert response.status_code == 200
    assert field_error(response, f"{key}-file").startswith("Dit soort bestand kan niet bewaard worden")
    assert f'id="actie-{key}" open' in html(response)
    assert DocumentVersion.objects.filter(document=link.document).count() == 1


def test_a_confidential_document_is_not_listed_nor_downloadable_for_another_department(
    handler, front_desk, case, media_root
):
    advice = case.version.document_types.get(name="Advies brandweer")
    secret = attach_document(
        case=case, by=handler, file=upload("advies.pdf", samples.PDF), title="Advies", document_type=advice
    )
    public = attach_document(case=case, by=handler, file=upload("plan.pdf", samples.PDF), title="Plan")
    client = client_for(front_desk)

    page = html(client.get(page_url(case)))

    assert "Plan" in page and "Advies</a>" not in page and str(secret.document.uuid) not in page
    assert client.get(download_url(secret.document)).status_code == 404
    assert client.get(download_url(public.document)).status_code == 200
    version = reverse("backoffice:case_document_version", args=[case.uuid, secret.document.uuid])
    assert client.post(version, {}).status_code == 404


def test_outsiders_get_nothing(citizen, client, handler, case, media_root):
    link = attach_document(case=case, by=handler, file=upload("plan.pdf", samples.PDF), title="Plan")

    citizen_client = client_for(citizen)
    assert citizen_client.get(download_url(link.document)).status_code == 404
    attach = reverse("backoffice:case_attach_document", args=[case.uuid])
    assert citizen_client.post(attach, {"document-file": upload("x.pdf", samples.PDF)}).status_code == 404
    anonymous = client.get(download_url(link.document))
    assert anonymous.status_code == 302 and "/aanmelden" in anonymous["Location"]
    assert client_for(handler).get(download_url(link.document, 2)).status_code == 404
    assert DocumentVersion.objects.count() == 1


def test_a_document_of_a_case_without_persons_is_not_in_the_access_log(handler, document_version, media_root):  # noqa: F811
    case = register_case(
        case_type=document_version.case_type,
        by=handler,
        subject="Zonder klant",
        attributes={"soort": "bouwen"},
    )
    link = attach_document(case=case, by=handler, file=upload("plan.pdf", samples.PDF), title="Plan")

    assert client_for(handler).get(download_url(link.document)).status_code == 200
    assert not PersonalDataAccess.objects.filter(location=download_url(link.document)).exists()


def test_the_page_reads_the_same_number_of_rows_however_many_documents(handler, case, media_root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(handler)
    attach_document(case=case, by=handler, file=upload("a.pdf", samples.PDF), title="A")
    client.get(page_url(case))
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(case))
    for i in range(4):
        link = attach_document(case=case, by=handler, file=upload(f"d{i}.pdf", samples.PDF), title=f"D{i}")
        from balie.cases.actions import add_document_version

        add_document_version(
            case=case, document=link.document, file=upload("v2.pdf", samples.PDF), by=handler
        )
    with CaptureQueriesContext(connection) as many:
        client.get(page_url(case))

    assert len(many.captured_queries) == len(few.captured_queries)
