"""Editing the catalogue: drafts copy everything, bad templates and incomplete drafts are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.cases import catalogue
from balie.cases.models import CaseType, StatusType, VersionState


def test_a_new_draft_copies_statuses_transitions_checklists_and_parts(permit_version, admin):
    draft = catalogue.start_draft(case_type=permit_version.case_type, by=admin)

    statuses = list(draft.status_types.order_by("order"))
    assert [s.name for s in statuses] == ["Ontvangen", "In behandeling", "Afgehandeld"]
    assert [list(s.next_statuses.values_list("name", flat=True)) for s in statuses] == [
        ["In behandeling"],
        ["Afgehandeld"],
        [],
    ]
    assert all(nxt.version_id == draft.pk for s in statuses for nxt in s.next_statuses.all())
    assert list(statuses[0].checklist.values_list("description", "required")) == [
        ("Volledigheid nakijken", True)
    ]
    assert statuses[0].messages["fr"]["subject"] == "Votre demande {{ zaak.nummer }}"
    assert sorted(draft.attributes.values_list("code", flat=True)) == ["beslissing", "oppervlakte", "soort"]
    assert sorted(draft.result_types.values_list("name", flat=True)) == ["Geweigerd", "Vergund"]
    assert sorted(draft.role_types.values_list("kind", flat=True)) == ["initiator", "subject"]
    # the version in force is untouched
    permit_version.refresh_from_db()
    assert permit_version.state == VersionState.PUBLISHED and permit_version.status_types.count() == 3
    with pytest.raises(ValidationError, match="al een ontwerpversie"):
        catalogue.start_draft(case_type=permit_version.case_type, by=admin)


def test_a_message_template_that_does_not_render_is_refused(admin, omgeving):
    draft = catalogue.create_case_type(code="test", name="Test", department=omgeving, by=admin)
    with pytest.raises(ValidationError):
        catalogue.add_status_type(
            version=draft,
            by=admin,
            name="Ontvangen",
            informs_customer=True,
            messages={"nl": {"subject": "Dossier {{ zaak.nummer", "body": "{% load secrets %}"}},
        )
    with pytest.raises(ValidationError, match="Nederlandse bericht"):
        catalogue.add_status_type(version=draft, by=admin, name="Ontvangen", informs_customer=True)
    assert not StatusType.objects.filter(version=draft).exists()


def test_only_a_functional_administrator_edits_the_catalogue(handler, omgeving):
    with pytest.raises(ValidationError, match="functioneel beheerder"):
        catalogue.create_case_type(code="x", name="X", department=omgeving, by=handler)
    assert not CaseType.objects.exists()


def test_the_end_status_must_be_reachable(admin, omgeving):
    draft = catalogue.create_case_type(code="test", name="Test", department=omgeving, by=admin)
    first = catalogue.add_status_type(version=draft, by=admin, name="Ontvangen")
    catalogue.add_status_type(version=draft, by=admin, name="Afgehandeld")
    catalogue.add_result_type(
        version=draft, by=admin, name="OK", archival_nomination="destroy", retention_years=1
    )
    catalogue.set_transitions(status=first, by=admin, next_statuses=[])
    assert any("niet te bereiken" in problem for problem in catalogue.check_complete(draft))
    with pytest.raises(ValidationError):
        catalogue.publish_version(version=draft, by=admin)
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_a_status_that_informs_the_customer_needs_an_initiator_role(admin, omgeving):
    draft = catalogue.create_case_type(code="test", name="Test", department=omgeving, by=admin)
    catalogue.add_status_type(
        version=draft,
        by=admin,
        name="Ontvangen",
        informs_customer=True,
        messages={"nl": {"subject": "S", "body": "B"}},
    )
    catalogue.add_status_type(version=draft, by=admin, name="Afgehandeld")
    catalogue.add_result_type(
        version=draft, by=admin, name="OK", archival_nomination="destroy", retention_years=1
    )
    catalogue.add_role_type(version=draft, by=admin, kind="subject", name="Betrokkene")
    assert catalogue.check_complete(draft) == [
        "Een status informeert de klant, maar het zaaktype kent geen rol 'aanvrager'."
    ]
    catalogue.add_role_type(version=draft, by=admin, kind="initiator", name="Aanvrager")
    assert catalogue.check_complete(draft) == []
