"""Someone without a Belgian eID makes an e-loket account: it works once the e-mail address is
proven by the link in a mail (sent through the outbox, so a mail server that is down delays it)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from balie.accounts.models import AccountKind, User
from balie.core.outbox import deliver_due
from balie.parties.models import ContactPoint, Party

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Maria",
    "family_name": "Rossi",
    "email": "Maria.Rossi@example.it",
    "password": "zonnebloem-2026",
}


def _link() -> str:
    deliver_due()
    assert len(mail.outbox) == 1
    return re.search(r"http://testserver(/e-loket/bevestigen/\S+)", mail.outbox[0].body).group(1)


def test_an_account_works_after_the_address_is_proven(burgerzaken):
    client = Client()

    sent = client.post(reverse("portal:register"), FORM)
    refused = client.post(
        reverse("portal:login"), {"email": "maria.rossi@example.it", "password": FORM["password"]}
    )
    verified = client.get(_link())

    assert sent.status_code == 200 and "maria.rossi@example.it" in sent.content.decode()
    assert refused.status_code == 400 and "Bevestig eerst uw e-mailadres" in refused.content.decode()
    assert verified.status_code == 302 and verified["Location"] == reverse("portal:mine")
    account = User.objects.get(kind=AccountKind.CITIZEN)
    party = Party.objects.get(account=account)
    assert party.display_name == "Rossi Maria" and party.national_number is None
    assert ContactPoint.objects.get(party=party).value == "maria.rossi@example.it"
    assert mail.outbox[0].subject == "Bevestig uw e-mailadres voor het e-loket van Gemeente Zonnedaal"
    client.post(reverse("portal:logout"))
    again = client.post(
        reverse("portal:login"), {"email": "maria.rossi@example.it", "password": FORM["password"]}
    )
    assert again.status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(burgerzaken):
    client = Client()
    client.post(reverse("portal:register"), FORM)
    client.get(_link())
    client.post(reverse("portal:logout"))

    wrong = client.post(
        reverse("portal:login"), {"email": "maria.rossi@example.it", "password": "verkeerd-123456"}
    )
    unknown = client.post(
        reverse("portal:login"), {"email": "niemand@example.it", "password": "verkeerd-123456"}
    )

    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Het e-mailadres of het wachtwoord klopt niet." in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_a_tampered_or_foreign_link_proves_nothing(burgerzaken):
    client = Client()
    client.post(reverse("portal:register"), FORM)
    link = _link()

    response = client.get(link[:-3] + "abc")

    assert response.status_code == 400
    assert User.objects.get(kind=AccountKind.CITIZEN).email_verified_at is None
    assert not Party.objects.exists()


def test_a_filled_honeypot_or_a_weak_password_creates_nothing(burgerzaken):
    client = Client()

    robot = client.post(reverse("portal:register"), {**FORM, "website": "http://spam.example"})
    weak = client.post(reverse("portal:register"), {**FORM, "password": "12345678"})
    twice_ok = client.post(reverse("portal:register"), FORM)
    twice = client.post(reverse("portal:register"), FORM)

    assert robot.status_code == 400 and weak.status_code == 400
    assert "Dit wachtwoord bevat alleen cijfers." in weak.content.decode()
    assert twice_ok.status_code == 200
    assert (
        twice.status_code == 400
        and "Er bestaat al een account met dit e-mailadres." in twice.content.decode()
    )
    assert User.objects.filter(kind=AccountKind.CITIZEN).count() == 1


def test_an_employee_account_cannot_be_used_at_the_e_loket(front_desk):
    client = Client()
    client.force_login(front_desk)

    response = client.get(reverse("portal:mine"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    assert "_auth_user_id" not in client.session


def test_accounts_made_from_one_address_are_limited_per_hour(burgerzaken, settings):
    settings.BALIE_PORTAL_REGISTRATIONS_PER_HOUR = 1
    client = Client(REMOTE_ADDR="203.0.113.9")
    other = Client(REMOTE_ADDR="198.51.100.4")

    first = client.post(reverse("portal:register"), FORM)
    second = client.post(reverse("portal:register"), {**FORM, "email": "b@example.it"})
    elsewhere = other.post(reverse("portal:register"), {**FORM, "email": "c@example.it"})

    assert (first.status_code, second.status_code, elsewhere.status_code) == (200, 429, 200)
    assert sorted(User.objects.filter(kind=AccountKind.CITIZEN).values_list("email", flat=True)) == [
        "c@example.it",
        "maria.rossi@example.it",
    ]


def test_a_question_sent_after_the_session_expired_is_kept_through_the_new_login(burgerzaken, settings):
    from balie.contact_moments.models import ContactMoment

    client = Client()
    client.post(reverse("portal:register"), FORM)
    client.get(_link())
    question = "Mag ik mijn vuilniszak een dag vroeger buitenzetten als ik op reis ga?"
    del client.cookies[settings.SESSION_COOKIE_NAME]  # the session expired while they typed

    sent = client.post(reverse("portal:question"), {"question": question})
    login_page = client.get(sent["Location"])
    signed_in = client.post(
        sent["Location"], {"email": "maria.rossi@example.it", "password": FORM["password"]}
    )
    form = client.get(signed_in["Location"])
    again = client.get(reverse("portal:question"))

    assert sent.status_code == 302 and sent["Location"].startswith(reverse("portal:login"))
    assert not ContactMoment.objects.exists()  # nothing registered without a citizen
    assert "wat u invulde, is bewaard" in login_page.content.decode()
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("portal:question")
    assert form.status_code == 200 and question in form.content.decode()
    assert question not in again.content.decode()  # once: a later visit starts empty
    client.post(reverse("portal:question"), {"question": question})
    assert ContactMoment.objects.get().summary == question


def test_an_empty_form_sent_after_the_session_expired_leaves_nothing_waiting(burgerzaken, settings):
    from balie.portal.access import PENDING_FORM

    client = Client()
    client.post(reverse("portal:register"), FORM)
    client.get(_link())
    del client.cookies[settings.SESSION_COOKIE_NAME]

    client.post(reverse("portal:question"), {"question": "   ", "website": "spam"})

    assert PENDING_FORM not in client.session
