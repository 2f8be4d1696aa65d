"""A citizen signed in at the e-loket reaches nothing through the REST API: every operation the API
publishes, with the ids of another citizen's party, case, contact moment, letter and document (and
with their own), answers 403 before it reads anything, and no change goes through."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from balie.api.api import api
from balie.api.tests.conftest import row_counts
from balie.cases.actions import register_case
from balie.contact_moments.actions import register_contact_moment
from balie.correspondence.actions import register_outgoing
from balie.correspondence.tests.samples import letter_pdf, upload

from .conftest import citizen

pytestmark = pytest.mark.django_db

SECRET = "Nieuwe carport achteraan"


def _their_things(party: Any, permit_type: Any, handler: Any) -> dict[str, str]:
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject=SECRET,
        parties=[(party, "initiator")],
        attributes={"soort": "verbouwen"},
    )
    item = register_outgoing(
        by=handler,
        channel="email",
        subject=f"Beslissing {SECRET}",
        party=party,
        letter=upload("brief.pdf", letter_pdf("Gemeente Zonnedaal", SECRET)),
    )
    moment = register_contact_moment(by=handler, channel="phone", party=party, summary=f"Vraag over {SECRET}")
    return {
        "party_uuid": str(party.uuid),
        "case_uuid": str(case.uuid),
        "contact_moment_uuid": str(moment.uuid),
        "item_uuid": str(item.uuid),
        "document_uuid": str(item.documents.get().document.uuid),
        "number": "1",
    }


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, operations in schema["paths"].items() for method in operations]


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def test_every_api_operation_refuses_a_citizen_whatever_ids_they_try(permit_type, handler):
    jan, jan_party = citizen("85073003328", "Jan", "Peeters", enforce_csrf_checks=True)
    _els, els_party = citizen("90022742191", "Els", "Maes", enforce_csrf_checks=True)
    theirs = _their_things(els_party, permit_type, handler)
    mine = _their_things(jan_party, permit_type, handler)
    jan.get("/e-loket/")  # hands out the CSRF cookie, so that changes are refused for who, not CSRF
    csrf = jan.cookies["csrftoken"].value
    operations = _operations()
    assert len(operations) >= 30  # the schema lists the whole API: a shrinking list would hide a gap
    before = row_counts()

    answers = []
    for ids in (theirs, mine):
        for method, path in operations:
            url = _fill(path, ids)
            if method == "GET":
                response = jan.get(url, {"q": "Maes", "party": ids["party_uuid"]})
            else:
                response = jan.generic(
                    method,
                    url,
                    json.dumps({"summary": "x", "status": "x", "reason": "x"}),
                    content_type="application/json",
                    headers={"X-CSRFToken": csrf},
                )
            answers.append((method, url, response.status_code, response.content.decode()))

    assert [(m, u) for m, u, status, _body in answers if status != 403] == []
    assert {body for *_rest, body in answers} == {
        json.dumps({"detail": "Alleen medewerkers kunnen dit opvragen."})
    }
    assert row_counts() == before


def test_a_citizen_with_a_forged_token_header_is_refused_too(permit_type, handler):
    jan, _party = citizen("85073003328", "Jan", "Peeters", enforce_csrf_checks=True)
    _els, els_party = citizen("90022742191", "Els", "Maes", enforce_csrf_checks=True)
    theirs = _their_things(els_party, permit_type, handler)

    response = jan.get(f"/api/v1/cases/{theirs['case_uuid']}", headers={"Authorization": "Token " + "x" * 40})

    assert response.status_code == 401
    assert SECRET not in response.content.decode()
