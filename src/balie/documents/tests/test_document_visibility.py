"""Who sees a document: whoever acts for the municipality sees one that is not confidential; a
confidential document only its department. Citizens see nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from balie.accounts.models import AccountKind, User
from balie.documents.actions import store_document
from balie.documents.queries import documents_for, get_document_for, get_version_for

from . import samples
from .samples import upload


@pytest.fixture
def public(handler):
    return store_document(file=upload("plan.pdf", samples.PDF), title="Plan", by=handler)


@pytest.fixture
def secret(handler, omgeving):
    return store_document(
        file=upload("advies.pdf", samples.PDF),
        title="Advies",
        by=handler,
        confidential=True,
        department=omgeving,
    )


@pytest.fixture
def system_account(burgerzaken) -> User:
    return User.objects.create_user(
        username="app-burgerzaken", kind=AccountKind.SYSTEM, department=burgerzaken
    )


def test_the_department_sees_its_confidential_document(handler, public, secret):
    assert set(documents_for(handler)) == {public, secret}
    assert get_document_for(handler, secret.uuid) == secret
    assert get_version_for(handler, secret.uuid, 1).document == secret


def test_another_department_sees_only_what_is_not_confidential(front_desk, public, secret):
    assert list(documents_for(front_desk)) == [public]
    assert get_document_for(front_desk, public.uuid) == public
    with pytest.raises(Http404):
        get_document_for(front_desk, secret.uuid)
    with pytest.raises(Http404):
        get_version_for(front_desk, secret.uuid, 1)


def test_a_system_account_sees_as_its_department_does(system_account, public, secret):
    assert list(documents_for(system_account)) == [public]


@pytest.mark.parametrize("who", ["citizen", "anonymous"])
def test_citizens_and_anonymous_users_see_nothing(request, who, public):
    user = request.getfixturevalue("citizen") if who == "citizen" else AnonymousUser()

    assert list(documents_for(user)) == []
    with pytest.raises(Http404):
        get_document_for(user, public.uuid)


def test_an_unknown_id_or_version_is_not_found(handler, public):
    for document_id in ["00000000-0000-0000-0000-000000000000", "geen-id"]:
        with pytest.raises(Http404):
            get_document_for(handler, document_id)
    with pytest.raises(Http404):
        get_version_for(handler, public.uuid, 2)


def test_an_employee_without_a_department_sees_no_confidential_document(public, secret):
    loose = User.objects.create_user(username="los", kind=AccountKind.EMPLOYEE)

    assert list(documents_for(loose)) == [public]
