"""Beheer › Zaaktypes: the functional administrator builds a case type through the pages, section
by section, and publishes it. Refused changes show their message and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.cases import catalogue
from balie.cases.models import (
    AttributeDefinition,
    CaseType,
    CaseTypeVersion,
    ChecklistItemType,
    DocumentType,
    ResultType,
    RoleType,
    StatusType,
    VersionState,
)

from .conftest import client_for, field_error, html

LIST = reverse("backoffice:manage_case_types")
CREATE = reverse("backoffice:manage_case_type_create")


def url(name: str, version: CaseTypeVersion, *args: object) -> str:
    return reverse(f"backoffice:{name}", args=[version.uuid, *args])


def page_of(version: CaseTypeVersion) -> str:
    return url("manage_case_type_version", version)


@pytest.fixture
def draft(functional_admin, omgeving) -> CaseTypeVersion:
    return catalogue.create_case_type(
        code="melding", name="Melding openbaar domein", department=omgeving, by=functional_admin
    )


def add_statuses(draft: CaseTypeVersion, admin, *names: str) -> list[StatusType]:
    return [catalogue.add_status_type(version=draft, by=admin, name=name) for name in names]


@pytest.fixture
def complete_draft(draft, functional_admin) -> CaseTypeVersion:
    add_statuses(draft, functional_admin, "Ontvangen", "In behandeling", "Afgehandeld")
    catalogue.add_result_type(
        version=draft, by=functional_admin, name="Opgelost", archival_nomination="destroy", retention_years=5
    )
    return draft


@pytest.fixture
def published(complete_draft, functional_admin) -> CaseTypeVersion:
    return catalogue.publish_version(version=complete_draft, by=functional_admin)


@pytest.fixture
def other_type(functional_admin, omgeving) -> CaseTypeVersion:
    """Another case type, published."""
    other = catalogue.create_case_type(code="klacht", name="Klacht", department=omgeving, by=functional_admin)
    add_statuses(other, functional_admin, "Ontvangen", "Beantwoord")
    catalogue.add_result_type(
        version=other,
        by=functional_admin,
        name="Beantwoord",
        archival_nomination="destroy",
        retention_years=5,
    )
    return catalogue.publish_version(version=other, by=functional_admin)


def snapshot(version: CaseTypeVersion) -> tuple:
    """Everything a version holds, to show a refused change left it as it was."""
    version = CaseTypeVersion.objects.get(pk=version.pk)
    statuses = list(
        StatusType.objects.filter(version=version)
        .order_by("order")
        .values_list("pk", "order", "name", "informs_customer", "messages")
    )
    transitions = sorted(
        StatusType.next_statuses.through.objects.filter(from_statustype__version=version).values_list(
            "from_statustype", "to_statustype"
        )
    )
    return (
        version.state,
        version.name,
        version.lead_time_days,
        version.department_id,
        version.max_extension_days,
        statuses,
        transitions,
        list(ChecklistItemType.objects.filter(status_type__version=version).values_list("description")),
        list(RoleType.objects.filter(version=version).values_list("kind", "name")),
        list(AttributeDefinition.objects.filter(version=version).values_list("code")),
        list(ResultType.objects.filter(version=version).values_list("name")),
        list(DocumentType.objects.filter(version=version).values_list("name")),
    )


GENERAL = {
    "name": "Melding openbaar domein",
    "description": "Een put in de weg, een kapotte lamp.",
    "lead_time_days": "10",
    "lead_time_unit": "working",
    "reminder_days": "2",
    "suspension_allowed": "on",
    "max_suspension_days": "30",
    "extension_allowed": "on",
    "max_extension_days": "20",
    "assignment_rule": "queue",
    "assignment_team": "",
}


# -- access ---------------------------------------------------------------------------------------


def test_only_the_functional_administrator_opens_the_editor(desk, citizen, draft):
    for page in (LIST, CREATE, page_of(draft)):
        assert desk.get(page).status_code == 403
        assert client_for(citizen).get(page).status_code == 404
    before = snapshot(draft)
    assert desk.post(url("manage_status_add", draft), {"status-name": "Ontvangen"}).status_code == 403
    assert desk.post(url("manage_publish", draft)).status_code == 403
    assert snapshot(draft) == before


def test_the_beheer_tabs_link_the_case_types(admin_client):
    page = html(admin_client.get(reverse("backoffice:manage_topics")))
    assert f'href="{LIST}"' in page and "Zaaktypes" in page


# -- the list and a new case type -----------------------------------------------------------------


def test_the_list_shows_version_in_force_and_draft(admin_client, published, functional_admin):
    new_draft = catalogue.start_draft(case_type=published.case_type, by=functional_admin)
    catalogue.create_case_type(
        code="klacht", name="Klacht", department=published.department, by=functional_admin
    )

    page = html(admin_client.get(LIST))

    assert "Melding openbaar domein" in page and "<code>melding</code>" in page and "Omgeving" in page
    assert "versie 1" in page and "versie 2 in voorbereiding" in page
    assert page_of(new_draft) in page
    assert "Klacht" in page and "nog niet gepubliceerd" in page


def test_a_new_case_type_lands_on_its_draft(admin_client, omgeving):
    response = admin_client.post(
        CREATE, {"code": "evenement", "name": "Evenementaanvraag", "department": omgeving.pk}
    )

    version = CaseTypeVersion.objects.get(case_type__code="evenement")
    assert response.status_code == 302 and response["Location"] == page_of(version)
    assert (version.number, version.state, version.department) == (1, VersionState.DRAFT, omgeving)
    page = html(admin_client.get(response["Location"]))
    assert "Evenementaanvraag" in page and "Het zaaktype is aangemaakt" in page
    assert "Geef minstens twee statussen" in page  # what still stops publishing, from the start


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "Met spaties", "name": "X"}, "code", "zonder spaties"),
        ({"code": "melding", "name": "Dubbel"}, "code", "Er bestaat al een zaaktype met deze code."),
        ({"code": "x", "name": "<b>vet</b>"}, "name", "Gebruik geen HTML-tekens"),
        ({"code": "x", "name": ""}, "name", "Dit veld is verplicht."),
    ],
)
def test_a_new_case_type_is_refused_with_the_reason_next_to_the_field(
    admin_client, draft, omgeving, data, field, message
):
    response = admin_client.post(CREATE, {"department": omgeving.pk, **data})

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert CaseType.objects.count() == 1


# -- general settings -----------------------------------------------------------------------------


def test_it_saves_the_general_settings(admin_client, draft, omgeving):
    response = admin_client.post(url("manage_version_update", draft), {**GENERAL, "department": omgeving.pk})

    assert response.status_code == 302 and response["Location"] == page_of(draft) + "#algemeen"
    draft.refresh_from_db()
    assert (draft.lead_time_days, draft.lead_time_unit, draft.reminder_days) == (10, "working", 2)
    assert (draft.suspension_allowed, draft.max_suspension_days) == (True, 30)
    assert (draft.extension_allowed, draft.max_extension_days) == (True, 20)
    assert draft.description == "Een put in de weg, een kapotte lamp."


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"lead_time_days": "0"}, "lead_time_days", "minstens 1"),
        ({"lead_time_days": "veel"}, "lead_time_days", "Voer een geheel getal in."),
        ({"name": ""}, "name", "Dit veld is verplicht."),
        ({"max_extension_days": "0"}, "max_extension_days", "Geef aan met hoeveel dagen"),
    ],
)
def test_general_settings_are_refused_next_to_the_field(admin_client, draft, omgeving, data, field, message):
    before = snapshot(draft)

    response = admin_client.post(
        url("manage_version_update", draft), {**GENERAL, "department": omgeving.pk, **data}
    )

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert snapshot(draft) == before


def test_a_team_of_another_department_is_refused(admin_client, draft, omgeving, burgerzaken):
    from balie.accounts.actions import create_team

    team = create_team(department=burgerzaken, name="Onthaal", by=None)
    before = snapshot(draft)

    response = admin_client.post(
        url("manage_version_update", draft),
        {**GENERAL, "department": omgeving.pk, "assignment_team": team.pk},
    )

    assert "hoort niet bij de verantwoordelijke dienst" in field_error(response, "assignment_team")
    assert snapshot(draft) == before


# -- statuses, checklists, transitions ------------------------------------------------------------


def test_it_adds_statuses_in_order_each_reaching_the_next(admin_client, draft):
    for name in ("Ontvangen", "In behandeling"):
        response = admin_client.post(url("manage_status_add", draft), {"status-name": name})
        assert response.status_code == 302 and response["Location"] == page_of(draft) + "#statussen"

    first, second = StatusType.objects.filter(version=draft).order_by("order")
    assert (first.name, second.name) == ("Ontvangen", "In behandeling")
    assert list(first.next_statuses.all()) == [second]
    page = html(admin_client.get(page_of(draft)))
    assert "1. Ontvangen" in page and "2. In behandeling" in page


def test_a_status_with_a_name_already_used_is_refused(admin_client, draft, functional_admin):
    add_statuses(draft, functional_admin, "Ontvangen")
    before = snapshot(draft)

    response = admin_client.post(url("manage_status_add", draft), {"status-name": "ontvangen"})

    assert response.status_code == 200
    assert "Er is al een status met deze naam." in html(response)
    assert 'id="id_status-name_error"' in html(response)
    assert snapshot(draft) == before


def test_it_renames_a_status_and_sets_its_message(admin_client, draft, functional_admin):
    (status,) = add_statuses(draft, functional_admin, "Ontvangen")
    edit = url("manage_status", draft, status.pk)
    page = html(admin_client.get(edit))
    assert "{{ zaak.nummer }}" in page and "{{ klant.naam }}" in page and "{{ gemeente }}" in page

    response = admin_client.post(
        edit,
        {
            "name": "Aanvraag ontvangen",
            "informs_customer": "on",
            "subject_nl": "Uw melding {{ zaak.nummer }}",
            "body_nl": "Beste {{ klant.naam }}, we gingen aan de slag.",
            "subject_fr": "Votre signalement {{ zaak.nummer }}",
            "body_fr": "Bonjour {{ klant.naam }}.",
        },
    )

    assert response.status_code == 302 and response["Location"] == page_of(draft) + f"#status-{status.pk}"
    status.refresh_from_db()
    assert status.name == "Aanvraag ontvangen" and status.informs_customer
    assert status.messages == {
        "nl": {
            "subject": "Uw melding {{ zaak.nummer }}",
            "body": "Beste {{ klant.naam }}, we gingen aan de slag.",
        },
        "fr": {"subject": "Votre signalement {{ zaak.nummer }}", "body": "Bonjour {{ klant.naam }}."},
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"informs_customer": "on"}, "subject_nl", "Schrijf minstens het Nederlandse bericht"),
        ({"subject_nl": "Alleen een onderwerp"}, "subject_nl", "Vul zowel het onderwerp als de tekst in."),
        ({"subject_nl": "Hallo", "body_nl": "{% for %}"}, "body_nl", "De sjabloontekst klopt niet"),
        ({"name": ""}, "name", "Dit veld is verplicht."),
    ],
)
def test_a_status_message_is_refused_next_to_the_field(
    admin_client, draft, functional_admin, data, field, message
):
    (status,) = add_statuses(draft, functional_admin, "Ontvangen")
    before = snapshot(draft)

    response = admin_client.post(url("manage_status", draft, status.pk), {"name": "Ontvangen", **data})

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert snapshot(draft) == before


def test_it_moves_a_status_and_removes_one(admin_client, draft, functional_admin):
    first, second, third = add_statuses(draft, functional_admin, "Ontvangen", "In behandeling", "Afgehandeld")

    admin_client.post(url("manage_status_move", draft, third.pk), {"richting": "op"})
    assert list(
        StatusType.objects.filter(version=draft).order_by("order").values_list("name", flat=True)
    ) == [
        "Ontvangen",
        "Afgehandeld",
        "In behandeling",
    ]
    admin_client.post(url("manage_status_move", draft, first.pk), {"richting": "neer"})
    assert StatusType.objects.filter(version=draft).order_by("order").first() == third

    response = admin_client.post(url("manage_part_remove", draft, "statussen", second.pk))

    assert response.status_code == 302
    assert not StatusType.objects.filter(pk=second.pk).exists()
    assert "„In behandeling” is verwijderd." in html(admin_client.get(page_of(draft)))


def test_it_adds_and_removes_a_checklist_item(admin_client, draft, functional_admin):
    (status,) = add_statuses(draft, functional_admin, "Ontvangen")
    prefix = f"checklist-{status.pk}"

    response = admin_client.post(
        url("manage_checklist_add", draft, status.pk), {f"{prefix}-description": "Foto's bekijken"}
    )

    assert response.status_code == 302
    item = ChecklistItemType.objects.get(status_type=status)
    assert (item.description, item.required) == ("Foto's bekijken", False)  # unchecked box: optional
    admin_client.post(
        url("manage_checklist_add", draft, status.pk),
        {f"{prefix}-description": "Ter plaatse gaan", f"{prefix}-required": "on"},
    )
    assert ChecklistItemType.objects.get(description="Ter plaatse gaan").required

    admin_client.post(url("manage_part_remove", draft, "taken", item.pk))
    assert list(ChecklistItemType.objects.values_list("description", flat=True)) == ["Ter plaatse gaan"]


def test_an_empty_checklist_item_is_refused(admin_client, draft, functional_admin):
    (status,) = add_statuses(draft, functional_admin, "Ontvangen")

    response = admin_client.post(
        url("manage_checklist_add", draft, status.pk), {f"checklist-{status.pk}-description": ""}
    )

    assert response.status_code == 200
    assert "Dit veld is verplicht." in field_error(response, f"checklist-{status.pk}-description")
    assert not ChecklistItemType.objects.exists()


def test_it_sets_the_transitions_of_a_status(admin_client, draft, functional_admin):
    first, second, third = add_statuses(draft, functional_admin, "Ontvangen", "In behandeling", "Afgehandeld")

    response = admin_client.post(
        url("manage_status_transitions", draft, first.pk),
        {f"next-{first.pk}-next_statuses": [second.pk, third.pk]},
    )

    assert response.status_code == 302
    assert set(first.next_statuses.all()) == {second, third}
    admin_client.post(url("manage_status_transitions", draft, first.pk), {})
    assert not first.next_statuses.exists()


def test_a_transition_to_a_status_of_another_case_type_is_refused(
    admin_client, draft, functional_admin, other_type
):
    first, _last = add_statuses(draft, functional_admin, "Ontvangen", "Afgehandeld")
    elsewhere = other_type.status_types.first()
    before = snapshot(draft)

    response = admin_client.post(
        url("manage_status_transitions", draft, first.pk), {f"next-{first.pk}-next_statuses": [elsewhere.pk]}
    )

    assert response.status_code == 200
    page = html(response)  # a group of checkboxes: the fieldset points to the message
    assert f'aria-describedby="id_next-{first.pk}-next_statuses_error"' in page
    assert (
        f'<p class="field__error" id="id_next-{first.pk}-next_statuses_error">Selecteer een geldige keuze'
        in page
    )
    assert snapshot(draft) == before


# -- roles, attributes, results, document types ---------------------------------------------------


def test_it_adds_and_removes_a_role(admin_client, draft):
    response = admin_client.post(
        url("manage_role_add", draft), {"role-kind": "initiator", "role-name": "Melder"}
    )

    assert response.status_code == 302 and response["Location"].endswith("#rollen")
    role = RoleType.objects.get(version=draft)
    assert (role.kind, role.name) == ("initiator", "Melder")

    again = admin_client.post(
        url("manage_role_add", draft), {"role-kind": "initiator", "role-name": "Nog een"}
    )
    assert "Deze rol bestaat al" in field_error(again, "role-kind")
    assert RoleType.objects.count() == 1

    admin_client.post(url("manage_part_remove", draft, "rollen", role.pk))
    assert not RoleType.objects.exists()


def test_it_adds_attributes_of_each_kind(admin_client, draft):
    base = {"attribute-max_length": "500"}
    admin_client.post(
        url("manage_attribute_add", draft),
        {**base, "attribute-label": "Soort", "attribute-code": "soort", "attribute-kind": "choice",
         "attribute-required": "on", "attribute-choices": "put\r\nlamp\r\n\r\nzwerfvuil\r\n"},
    )  # fmt: skip
    admin_client.post(
        url("manage_attribute_add", draft),
        {**base, "attribute-label": "Aantal", "attribute-code": "aantal", "attribute-kind": "number",
         "attribute-min_value": "1", "attribute-max_value": "99.5", "attribute-help_text": "Hoeveel?"},
    )  # fmt: skip
    response = admin_client.post(
        url("manage_attribute_add", draft),
        {"attribute-label": "Vastgesteld op", "attribute-code": "vastgesteld", "attribute-kind": "date",
         "attribute-max_length": "500"},
    )  # fmt: skip

    assert response.status_code == 302 and response["Location"].endswith("#kenmerken")
    choice, number, date = AttributeDefinition.objects.filter(version=draft).order_by("order")
    assert (choice.code, choice.required, choice.choices) == ("soort", True, ["put", "lamp", "zwerfvuil"])
    assert (number.min_value, str(number.max_value), number.help_text) == (1, "99.50", "Hoeveel?")
    assert date.kind == "date"
    page = html(admin_client.get(page_of(draft)))
    assert "put, lamp, zwerfvuil" in page and "maximum 99,5" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"attribute-kind": "choice", "attribute-choices": "enkel"},
            "attribute-choices",
            "minstens twee keuzes",
        ),
        ({"attribute-kind": "choice", "attribute-choices": "a\nA"}, "attribute-choices", "maar één keer"),
        (
            {"attribute-min_value": "5", "attribute-max_value": "1"},
            "attribute-max_value",
            "kleiner dan het minimum",
        ),
        ({"attribute-code": "met spatie"}, "attribute-code", "zonder spaties"),
        ({"attribute-code": "bestaat"}, "attribute-code", "Er is al een kenmerk met deze code."),
        ({"attribute-max_length": "0"}, "attribute-max_length", "minstens 1"),
    ],
)
def test_an_attribute_is_refused_next_to_the_field(
    admin_client, draft, functional_admin, data, field, message
):
    catalogue.add_attribute(version=draft, by=functional_admin, code="bestaat", label="Bestaat", kind="text")
    before = snapshot(draft)
    valid = {
        "attribute-label": "Getal",
        "attribute-code": "getal",
        "attribute-kind": "number",
        "attribute-max_length": "500",
    }

    response = admin_client.post(url("manage_attribute_add", draft), {**valid, **data})

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert '<details class="handoff" style="margin-top: .75rem" open>' in html(response)
    assert snapshot(draft) == before


def test_it_adds_results_counted_from_closing_or_from_a_date_attribute(admin_client, draft, functional_admin):
    catalogue.add_attribute(version=draft, by=functional_admin, code="besluit", label="Besluit", kind="date")
    admin_client.post(
        url("manage_result_add", draft),
        {"result-name": "Opgelost", "result-archival_nomination": "destroy", "result-retention_years": "5",
         "result-retention_start": "closed"},
    )  # fmt: skip
    response = admin_client.post(
        url("manage_result_add", draft),
        {"result-name": "Vergund", "result-archival_nomination": "keep", "result-retention_years": "20",
         "result-retention_start": "attribute", "result-retention_attribute": "besluit"},
    )  # fmt: skip

    assert response.status_code == 302 and response["Location"].endswith("#resultaten")
    assert list(
        ResultType.objects.filter(version=draft).values_list(
            "name", "archival_nomination", "retention_years", "retention_start", "retention_attribute"
        )
    ) == [("Opgelost", "destroy", 5, "closed", ""), ("Vergund", "keep", 20, "attribute", "besluit")]


def test_a_date_attribute_a_result_counts_from_is_not_removed(admin_client, draft, functional_admin):
    attribute = catalogue.add_attribute(
        version=draft, by=functional_admin, code="besluit", label="Besluit", kind="date"
    )
    catalogue.add_result_type(
        version=draft,
        by=functional_admin,
        name="Vergund",
        archival_nomination="keep",
        retention_years=20,
        retention_start="attribute",
        retention_attribute="besluit",
    )

    response = admin_client.post(url("manage_part_remove", draft, "kenmerken", attribute.pk), follow=True)

    assert "Het resultaat &#x27;Vergund&#x27; telt de bewaartermijn vanaf dit kenmerk" in html(response)
    assert AttributeDefinition.objects.filter(pk=attribute.pk).exists()


def test_a_result_counted_from_a_missing_date_is_refused(admin_client, draft):
    response = admin_client.post(
        url("manage_result_add", draft),
        {"result-name": "Vergund", "result-archival_nomination": "keep", "result-retention_years": "20",
         "result-retention_start": "attribute", "result-retention_attribute": ""},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Kies een datumkenmerk" in field_error(response, "result-retention_attribute")
    assert not ResultType.objects.exists()


def test_it_adds_and_removes_a_document_type(admin_client, draft):
    response = admin_client.post(
        url("manage_document_type_add", draft),
        {"document-name": "Foto", "document-direction": "incoming", "document-confidential": "on"},
    )

    assert response.status_code == 302
    document_type = DocumentType.objects.get(version=draft)
    assert (document_type.name, document_type.direction, document_type.confidential) == (
        "Foto",
        "incoming",
        True,
    )
    admin_client.post(url("manage_part_remove", draft, "documenttypes", document_type.pk))
    assert not DocumentType.objects.exists()


def test_a_part_of_another_version_cannot_be_removed_through_this_one(admin_client, draft, other_type):
    status = other_type.status_types.first()

    response = admin_client.post(url("manage_part_remove", draft, "statussen", status.pk))

    assert response.status_code == 404
    assert StatusType.objects.filter(pk=status.pk).exists()
    assert admin_client.post(url("manage_part_remove", draft, "iets", 1)).status_code == 404


# -- publishing -----------------------------------------------------------------------------------


def test_publishing_an_incomplete_draft_shows_the_problems_and_changes_nothing(
    admin_client, draft, functional_admin
):
    add_statuses(draft, functional_admin, "Ontvangen")
    before = snapshot(draft)

    response = admin_client.post(url("manage_publish", draft))

    assert response.status_code == 200
    page = html(response)
    assert "Deze versie is niet gepubliceerd" in page
    assert "Geef minstens twee statussen" in page and "Geef minstens één resultaat" in page
    assert snapshot(draft) == before


def test_publishing_a_complete_draft_puts_it_in_force_and_says_running_cases_keep_theirs(
    admin_client, complete_draft
):
    page = html(admin_client.get(page_of(complete_draft)))
    assert "Het ontwerp is volledig" in page and "Lopende zaken houden de versie waarmee ze begonnen." in page

    response = admin_client.post(url("manage_publish", complete_draft))

    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.state == VersionState.PUBLISHED and complete_draft.published_at is not None
    page = html(admin_client.get(response["Location"]))
    assert "Versie 1 is gepubliceerd" in page and "Lopende zaken houden" in page
    assert "Nieuwe versie voorbereiden" in page


def test_a_published_version_is_shown_read_only_and_edits_are_refused(admin_client, published, omgeving):
    status = published.status_types.order_by("order").first()
    page = html(admin_client.get(page_of(published)))
    assert "Deze versie is in gebruik" in page
    assert url("manage_status_add", published) not in page and "Publiceren</button>" not in page
    before = snapshot(published)

    posts = [
        lambda: admin_client.post(
            url("manage_version_update", published), {**GENERAL, "department": omgeving.pk}
        ),
        lambda: admin_client.post(url("manage_status_add", published), {"status-name": "Extra"}),
        lambda: admin_client.post(url("manage_status", published, status.pk), {"name": "Anders"}),
        lambda: admin_client.post(url("manage_status_move", published, status.pk), {"richting": "neer"}),
        lambda: admin_client.post(url("manage_status_transitions", published, status.pk), {}),
        lambda: admin_client.post(
            url("manage_checklist_add", published, status.pk), {f"checklist-{status.pk}-description": "Extra"}
        ),
        lambda: admin_client.post(
            url("manage_role_add", published), {"role-kind": "adviser", "role-name": "Adviseur"}
        ),
        lambda: admin_client.post(url("manage_part_remove", published, "statussen", status.pk)),
        lambda: admin_client.post(url("manage_publish", published)),
    ]

    refused = "Alleen een ontwerpversie kan gewijzigd worden."
    for number, post in enumerate(posts):
        response = post()
        page = html(response) if response.status_code == 200 else html(admin_client.get(response["Location"]))
        assert refused in page, number
    assert snapshot(published) == before


def test_a_new_version_is_prepared_from_the_one_in_force(admin_client, published):
    response = admin_client.post(url("manage_start_draft", published))

    draft = CaseTypeVersion.objects.get(case_type=published.case_type, state=VersionState.DRAFT)
    assert response.status_code == 302 and response["Location"] == page_of(draft)
    assert draft.number == 2
    assert list(draft.status_types.values_list("name", flat=True)) == [
        "Ontvangen",
        "In behandeling",
        "Afgehandeld",
    ]
    page = html(admin_client.get(page_of(draft)))
    assert "Versie 2 is klaar om te bewerken" in page and "Versie 1 wordt dan vervangen." in page
    # the history lists both versions; the published one links to the draft
    assert page_of(published) in page
    assert page_of(draft) in html(admin_client.get(page_of(published)))

    again = admin_client.post(url("manage_start_draft", published))
    assert "Er is al een ontwerpversie" in html(admin_client.get(again["Location"]))
    assert CaseTypeVersion.objects.filter(case_type=published.case_type).count() == 2


def test_the_editor_swaps_only_its_part_for_htmx(admin_client, draft):
    response = admin_client.post(
        url("manage_status_add", draft), {"status-name": "Ontvangen"}, follow=True, HTTP_HX_REQUEST="true"
    )

    page = html(response)
    assert 'hx-select="#editor-body"' in page and 'id="editor-body"' in page
    assert f'hx-post="{url("manage_status_add", draft)}"' in page
