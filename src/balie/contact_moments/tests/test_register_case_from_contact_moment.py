"""A contact that needs more than one answer becomes a case; the contact links to it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.cases.models import Case, Origin
from balie.contact_moments.actions import register_case_from_contact_moment, register_contact_moment


def test_contact_becomes_a_case_with_the_customer_as_initiator(permit_type, front_desk, applicant):
    moment = register_contact_moment(
        by=front_desk, channel="counter", summary="Wil een veranda bouwen", party=applicant
    )

    case = register_case_from_contact_moment(
        contact_moment=moment,
        case_type=permit_type,
        by=front_desk,
        subject="Veranda",
        attributes={"soort": "bouwen"},
    )

    moment.refresh_from_db()
    assert moment.case == case
    assert case.origin == Origin.CONTACT_MOMENT and case.origin_ref == moment.uuid
    assert case.description == "Wil een veranda bouwen"
    assert [(role.party, role.kind) for role in case.roles.all()] == [(applicant, "initiator")]
    with pytest.raises(ValidationError, match="al bij een zaak"):
        register_case_from_contact_moment(
            contact_moment=moment,
            case_type=permit_type,
            by=front_desk,
            subject="Nog eens",
            attributes={"soort": "bouwen"},
        )
    assert Case.objects.count() == 1


def test_a_refused_case_leaves_the_contact_unlinked(permit_type, front_desk, applicant):
    moment = register_contact_moment(by=front_desk, channel="phone", summary="Vraag", party=applicant)
    with pytest.raises(ValidationError):
        register_case_from_contact_moment(
            contact_moment=moment,
            case_type=permit_type,
            by=front_desk,
            subject="X",
            attributes={"soort": "slopen"},
        )
    moment.refresh_from_db()
    assert moment.case is None and not Case.objects.exists()
