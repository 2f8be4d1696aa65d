"""A citizen sees their own cases, letters and questions, and nobody else's, whatever id they guess."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from balie.cases.actions import register_case
from balie.contact_moments.models import ContactMoment, InternalTask
from balie.correspondence.actions import record_dispatch, record_dispatch_state, register_outgoing
from balie.correspondence.models import DispatchState
from balie.correspondence.tests.samples import letter_pdf, upload

pytestmark = pytest.mark.django_db


def _case_and_letter(party, permit_type, handler, subject):
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject=subject,
        parties=[(party, "initiator")],
        attributes={"soort": "verbouwen"},
    )
    item = register_outgoing(
        by=handler,
        channel="email",
        subject=f"Beslissing {subject}",
        party=party,
        letter=upload("brief.pdf", letter_pdf("Gemeente Zonnedaal", subject)),
    )
    dispatch = record_dispatch(item=item, channel="email", by=handler, address="x@example.be")
    record_dispatch_state(dispatch=dispatch, state=DispatchState.SENT, by=None)
    return case, item


def test_a_citizen_sees_their_own_case_and_letter(jan, els, permit_type, handler):
    client, party = jan
    case, item = _case_and_letter(party, permit_type, handler, "Verbouwing keuken")
    _case_and_letter(els[1], permit_type, handler, "Nieuwe carport")

    page = client.get(reverse("portal:mine")).content.decode()
    case_page = client.get(reverse("portal:case", args=[case.uuid]))
    letter = client.get(reverse("portal:letter", args=[item.uuid]))

    assert "Verbouwing keuken" in page and "Beslissing Verbouwing keuken" in page
    assert "Nieuwe carport" not in page
    assert case_page.status_code == 200 and case.number in case_page.content.decode()
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def test_guessing_the_id_of_another_citizens_case_or_letter_shows_not_found(jan, els, permit_type, handler):
    client, _party = jan
    their_case, their_item = _case_and_letter(els[1], permit_type, handler, "Nieuwe carport")

    assert client.get(reverse("portal:case", args=[their_case.uuid])).status_code == 404
    assert client.get(reverse("portal:letter", args=[their_item.uuid])).status_code == 404
    assert "Nieuwe carport" not in client.get(reverse("portal:my_data")).content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(permit_type, handler, els):
    case, _item = _case_and_letter(els[1], permit_type, handler, "Nieuwe carport")

    response = Client().get(reverse("portal:case", args=[case.uuid]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


def test_a_question_becomes_a_contact_moment_and_a_task_for_the_front_desk(jan, burgerzaken):
    client, party = jan

    response = client.post(reverse("portal:question"), {"question": "Wanneer wordt het grofvuil opgehaald?"})

    assert response.status_code == 200
    moment = ContactMoment.objects.get()
    assert (moment.party, moment.channel, moment.direction) == (party, "web", "in")
    assert moment.summary == "Wanneer wordt het grofvuil opgehaald?"
    task = InternalTask.objects.get()
    assert task.department == burgerzaken and task.contact_moment == moment
    assert "Wanneer wordt het grofvuil opgehaald?" in client.get(reverse("portal:mine")).content.decode()


def test_a_too_short_question_or_a_filled_honeypot_registers_nothing(jan, burgerzaken):
    client, _party = jan

    short = client.post(reverse("portal:question"), {"question": "Hallo"})
    robot = client.post(
        reverse("portal:question"), {"question": "Wanneer is het containerpark open?", "website": "x"}
    )

    assert short.status_code == 400 and "Uw vraag is te kort" in short.content.decode()
    assert robot.status_code == 400
    assert not ContactMoment.objects.exists() and not InternalTask.objects.exists()


def test_the_data_download_holds_the_citizens_own_data(jan, permit_type, handler):
    client, party = jan
    case, _item = _case_and_letter(party, permit_type, handler, "Verbouwing keuken")

    response = client.get(reverse("portal:my_data"))

    data = json.loads(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="mijn-gegevens.json"'
    assert data["partij"]["rijksregisternummer"] == "85073003328"
    assert [c["nummer"] for c in data["zaken"]] == [case.number]
    assert [b["onderwerp"] for b in data["brieven"]] == ["Beslissing Verbouwing keuken"]


def test_an_eleventh_question_in_an_hour_is_refused_and_registers_nothing(jan, burgerzaken, settings):
    client, _party = jan
    settings.BALIE_PORTAL_QUESTIONS_PER_HOUR = 2
    question = {"question": "Wanneer is het containerpark open?"}

    answers = [client.post(reverse("portal:question"), question).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert ContactMoment.objects.count() == 2


def test_a_citizen_adds_a_document_to_their_open_case(jan, permit_type, handler):
    client, party = jan
    case, _item = _case_and_letter(party, permit_type, handler, "Verbouwing keuken")

    response = client.post(
        reverse("portal:case", args=[case.uuid]),
        {"title": "Plan van de keuken", "file": upload("plan.pdf", letter_pdf("Jan Peeters", "Plan"))},
    )

    assert response.status_code == 302
    link = case.documents.get()
    assert link.document.title == "Plan van de keuken" and link.document.department == case.department
    assert "Plan van de keuken" in client.get(reverse("portal:case", args=[case.uuid])).content.decode()


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_added(jan, permit_type, handler):
    client, party = jan
    case, _item = _case_and_letter(party, permit_type, handler, "Verbouwing keuken")

    response = client.post(
        reverse("portal:case", args=[case.uuid]),
        {"title": "Programma", "file": upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 200)},
    )

    assert response.status_code == 400
    assert not case.documents.exists()


def test_a_document_cannot_be_added_to_someone_elses_case(jan, els, permit_type, handler):
    client, _party = jan
    their_case, _item = _case_and_letter(els[1], permit_type, handler, "Nieuwe carport")

    response = client.post(
        reverse("portal:case", args=[their_case.uuid]),
        {"title": "x", "file": upload("plan.pdf", letter_pdf("Jan Peeters", "Plan"))},
    )

    assert response.status_code == 404
    assert not their_case.documents.exists()


def test_an_employees_answer_appears_in_the_e_loket_and_the_citizen_is_told(
    jan, burgerzaken, front_desk, settings
):
    from django.core import mail

    from balie.core.outbox import deliver_due
    from balie.parties.actions import add_contact_point

    settings.BALIE_PORTAL_URL = "https://www.zonnedaal.be/e-loket/"
    client, party = jan
    add_contact_point(party=party, kind="email", value="jan.peeters@example.be", by=None)
    client.post(reverse("portal:question"), {"question": "Wanneer wordt het grofvuil opgehaald?"})
    question = ContactMoment.objects.get()
    employee = Client()
    employee.force_login(front_desk)

    page = employee.get(reverse("backoffice:contact_moment", args=[question.uuid])).content.decode()
    response = employee.post(
        reverse("backoffice:contact_moment_answer", args=[question.uuid]),
        {"text": "Op de eerste maandag van de maand."},
    )
    deliver_due()

    assert "Antwoord in het e-loket" in page
    assert response.status_code == 302
    answer = question.replies.get()
    assert (answer.direction, answer.channel, answer.party, answer.employee) == (
        "out",
        "web",
        party,
        front_desk,
    )
    assert InternalTask.objects.get().status == "done"
    mine = client.get(reverse("portal:mine")).content.decode()
    assert "Op de eerste maandag van de maand." in mine
    [notice] = mail.outbox
    assert notice.to == ["jan.peeters@example.be"] and notice.subject == "Er is een antwoord op uw vraag"
    assert "https://www.zonnedaal.be/e-loket/" in notice.body and "grofvuil" not in notice.body


def test_an_empty_answer_or_an_answer_to_a_phone_call_changes_nothing(jan, burgerzaken, front_desk):
    from balie.contact_moments.actions import register_contact_moment

    client, party = jan
    client.post(reverse("portal:question"), {"question": "Wanneer wordt het grofvuil opgehaald?"})
    question = ContactMoment.objects.get()
    call = register_contact_moment(
        by=front_desk, channel="phone", summary="Vraag over parkeerkaart", party=party
    )
    employee = Client()
    employee.force_login(front_desk)

    empty = employee.post(reverse("backoffice:contact_moment_answer", args=[question.uuid]), {"text": " "})
    phone = employee.post(reverse("backoffice:contact_moment_answer", args=[call.uuid]), {"text": "Ja."})

    assert empty.status_code == 400 and phone.status_code == 400
    assert "Alleen een vraag uit het e-loket" in phone.content.decode()
    assert ContactMoment.objects.filter(in_reply_to__isnull=False).count() == 0
    assert InternalTask.objects.get().status == "todo"


def test_a_citizen_changes_their_e_mail_address_phone_and_language(jan):
    from balie.parties.models import ContactPoint

    client, party = jan

    response = client.post(
        reverse("portal:contact_details"),
        {
            "email": "jan@example.be",
            "phone": "0470 12 34 56",
            "preferred_language": "fr",
            "notify_by_email": "on",
        },
    )

    assert response.status_code == 302
    party.refresh_from_db()
    assert party.preferred_language == "fr" and party.notify_by_email is True
    assert ContactPoint.objects.get(party=party, kind="email", preferred=True).value == "jan@example.be"
    assert ContactPoint.objects.get(party=party, kind="mobile", preferred=True).value == "+32470123456"


def test_a_phone_number_that_is_not_one_changes_nothing(jan):
    from balie.parties.models import ContactPoint

    client, party = jan

    response = client.post(
        reverse("portal:contact_details"),
        {"email": "jan@example.be", "phone": "bel me maar", "preferred_language": "fr"},
    )

    assert response.status_code == 400
    party.refresh_from_db()
    assert party.preferred_language == "nl" and party.notify_by_email is True
    assert not ContactPoint.objects.filter(party=party).exists()


def test_a_citizen_who_wants_no_case_mail_gets_none_and_sees_the_status_in_the_e_loket(
    jan, permit_type, handler, mailoutbox
):
    from balie.cases.models import CaseEvent, CaseStatus
    from balie.cases.tasks import inform_customer

    client, party = jan
    page = client.get(reverse("portal:contact_details")).content.decode()
    assert 'name="notify_by_email"' in page and "checked" in page  # on unless they say otherwise

    response = client.post(
        reverse("portal:contact_details"),
        {"email": "jan@example.be", "phone": "", "preferred_language": "nl"},
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.notify_by_email is False
    case, _item = _case_and_letter(party, permit_type, handler, "Verbouwing keuken")
    mailoutbox.clear()

    outcome = inform_customer(CaseStatus.objects.get(case=case).pk)

    assert outcome == "declined by the customer"
    assert mailoutbox == []
    assert CaseEvent.objects.get(case=case, kind="informed").data["sent"] is False
    assert "Verbouwing keuken" in client.get(reverse("portal:mine")).content.decode()


def test_a_guessed_id_gets_the_e_lokets_own_not_found_page(jan, els, permit_type, handler):
    client, _party = jan
    their_case, _item = _case_and_letter(els[1], permit_type, handler, "Nieuwe carport")

    response = client.get(reverse("portal:case", args=[their_case.uuid]))

    page = response.content.decode()
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in page and reverse("portal:mine") in page
    assert "portal/portal.css" in page and "backoffice/balie.css" not in page
    assert "Nieuwe carport" not in page and their_case.number not in page
