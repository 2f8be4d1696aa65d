"""The functional administrator keeps each mailbox's rules (what a message becomes) and its
sender lists on one back-office page: bad addresses or a missing case type are named and change
nothing, every change is in the mailbox's change log, and only the administrator gets the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from balie.audit.models import ChangeRecord
from balie.mailboxes.actions import route_for
from balie.mailboxes.models import Mailbox, MailRule, RuleTarget
from balie.mailboxes.parsing import parse_mail

from .incoming import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(mailbox: Mailbox) -> str:
    return reverse("backoffice:manage_mailbox_rules", args=[mailbox.uuid])


def rule_post(prefix: str = "new", **fields: object) -> dict[str, object]:
    data: dict[str, object] = {"form": "rule", f"{prefix}-position": 10, f"{prefix}-active": "on"}
    data.update({f"{prefix}-{key}": value for key, value in fields.items()})
    return data


def changes_of(mailbox: Mailbox) -> list[dict]:
    return list(ChangeRecord.objects.filter(object_uuid=mailbox.uuid).values_list("changes", flat=True))


def test_admin_adds_a_rule_that_makes_cases_and_the_mail_follows_it(admin, mailbox, permit_type):
    client = client_for(admin)
    assert client.get(reverse("backoffice:mailboxes")).content.decode().count(url(mailbox)) == 1

    response = client.post(
        url(mailbox),
        rule_post(
            name="Bouwaanvragen",
            sender="@Architect.be",
            subject_contains="aanvraag",
            target=RuleTarget.CASE,
            case_type=str(permit_type.uuid),
        ),
    )

    assert response.status_code == 302
    rule = MailRule.objects.get(mailbox=mailbox)
    assert (rule.name, rule.sender, rule.target, rule.case_type) == (
        "Bouwaanvragen",
        "@architect.be",
        RuleTarget.CASE,
        permit_type,
    )
    [change] = changes_of(mailbox)
    assert change["rule"][0] is None
    assert change["rule"][1]["case_type"] == permit_type.code
    parsed = parse_mail(corpus.simple(1, subject="Nieuwe aanvraag", sender="jan@architect.be"))
    assert route_for(parsed, mailbox).rule == rule

    page = client.get(url(mailbox)).content.decode()
    assert "Bouwaanvragen" in page and "@architect.be" in page

    changed = client.post(
        url(mailbox),
        {
            **rule_post(f"rule-{rule.pk}", name="Bouwaanvragen", target=RuleTarget.CONTACT_MOMENT, sender=""),
            "rule": rule.pk,
        },
    )
    assert changed.status_code == 302
    rule.refresh_from_db()
    assert (rule.target, rule.case_type, rule.sender) == (RuleTarget.CONTACT_MOMENT, None, "")
    assert changes_of(mailbox)[0]["rule"][1]["target"] == RuleTarget.CONTACT_MOMENT

    deleted = client.post(url(mailbox), {"form": "delete", "rule": rule.pk})
    assert deleted.status_code == 302
    assert not MailRule.objects.filter(mailbox=mailbox).exists()
    assert changes_of(mailbox)[0]["rule"][1] is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"sender": "geen adres"}, "sender", "Geef een e-mailadres of een domein (@voorbeeld.be) op."),
        ({"sender": "@"}, "sender", "Geef een e-mailadres of een domein (@voorbeeld.be) op."),
        ({"recipient": "@zonnedaal.be"}, "recipient", "Geef een geldig e-mailadres op."),
        ({"target": RuleTarget.CASE}, "case_type", "Kies het zaaktype van de nieuwe zaak."),
        ({"target": "iets"}, "target", "Selecteer een geldige keuze"),
    ],
)
def test_a_bad_rule_is_named_and_nothing_changes(admin, mailbox, fields, field, message):
    response = client_for(admin).post(
        url(mailbox), rule_post(name="Fout", **{"target": RuleTarget.CONTACT_MOMENT, **fields})
    )

    assert response.status_code == 200
    form = response.context["new_rule_form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message.split(" ")[0] in response.content.decode()
    assert not MailRule.objects.exists()
    assert changes_of(mailbox) == []


def test_sender_lists_are_kept_clean_and_bad_lines_are_named(admin, mailbox):
    client = client_for(admin)

    refused = client.post(
        url(mailbox),
        {"form": "senders", "allowed_senders": "jan@example.be\nniet-een-adres\n", "denied_senders": ""},
    )
    assert refused.status_code == 200
    assert "niet-een-adres" in " ".join(refused.context["senders_form"].errors["allowed_senders"])
    both = client.post(
        url(mailbox), {"form": "senders", "allowed_senders": "@spam.be", "denied_senders": "@SPAM.be"}
    )
    assert "Staat op beide lijsten: @spam.be" in " ".join(
        both.context["senders_form"].errors["denied_senders"]
    )
    mailbox.refresh_from_db()
    assert (mailbox.allowed_senders, mailbox.denied_senders) == ("", "")
    assert changes_of(mailbox) == []

    saved = client.post(
        url(mailbox),
        {
            "form": "senders",
            "allowed_senders": " Jan@Example.be \n\n@gemeente.be\njan@example.be",
            "denied_senders": "@spam.be",
        },
    )
    assert saved.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.allowed_senders == "jan@example.be\n@gemeente.be"
    assert mailbox.sender_rule("iemand@spam.be") == "deny"
    [change] = changes_of(mailbox)
    assert change["denied_senders"] == ["", "@spam.be"]


def test_only_the_functional_administrator_gets_the_page(handler, team_lead, admin, mailbox, omgeving):
    MailRule.objects.create(mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT)
    for outsider in (handler, team_lead):
        client = client_for(outsider)
        assert client.get(url(mailbox)).status_code == 404
        assert (
            client.post(url(mailbox), rule_post(name="Kaping", target=RuleTarget.TRIAGE)).status_code == 404
        )
        assert (
            client.post(url(mailbox), {"form": "senders", "denied_senders": "@zonnedaal.be"}).status_code
            == 404
        )
        assert (
            client.post(url(mailbox), {"form": "delete", "rule": mailbox.rules.get().pk}).status_code == 404
        )
    mailbox.refresh_from_db()
    assert mailbox.denied_senders == ""
    assert list(mailbox.rules.values_list("name", flat=True)) == ["Alles"]
    assert changes_of(mailbox) == []

    # The administrator cannot reach a rule of another mailbox through this one.
    other = Mailbox.objects.create(
        name="Ander", address="ander@zonnedaal.be", department=omgeving, imap_host="x", imap_username="x",
        secret_setting="X",
    )  # fmt: skip
    foreign = MailRule.objects.create(mailbox=other, position=1, name="Vreemd", target=RuleTarget.TRIAGE)
    client = client_for(admin)
    assert client.post(url(mailbox), {"form": "delete", "rule": foreign.pk}).status_code == 404
    assert (
        client.post(
            url(mailbox), {**rule_post(f"rule-{foreign.pk}", name="X", target="triage"), "rule": foreign.pk}
        ).status_code
        == 404
    )
    assert MailRule.objects.filter(pk=foreign.pk, name="Vreemd").exists()
    assert (
        client.get(
            reverse("backoffice:manage_mailbox_rules", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )
