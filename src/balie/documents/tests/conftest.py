"""Documents are stored under a MEDIA_ROOT of each test's own. The signing tests' fixtures (a test
certification authority, the people who sign, the demo signing platform) are registered here.
Letters need a functional administrator (templates and blocks), the blocks and a template, and a
customer with an address."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from balie.accounts.actions import create_employee
from balie.accounts.models import Department, Role, User
from balie.documents.letters.admin import create_block, create_template
from balie.documents.models import LetterTemplate
from balie.parties.actions import add_address, register_party
from balie.parties.models import Party

from . import letter_samples
from .platform_fixtures import balie_server, platform, platform_procedure  # noqa: F401
from .signing_fixtures import (  # noqa: F401
    adjunct,
    approved_letter_procedure,
    burgemeester,
    directeur,
    directeur_function,
    lead,
    letter,
    municipality_certificate,
    personal_dir,
    seal,
    secretariaat,
    test_root,
    two_signers_procedure,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def letter_admin(burgerzaken: Department) -> User:
    return create_employee(
        username="sjablonen",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.FUNCTIONAL_ADMIN],
        job_title="Functioneel beheerder",
        by=None,
    )


@pytest.fixture
def blocks(letter_admin: User) -> None:
    create_block(
        code="briefhoofd",
        name="Briefhoofd",
        file=letter_samples.docx_upload(letter_samples.letterhead(), "briefhoofd.docx"),
        by=letter_admin,
    )
    create_block(
        code="handtekening",
        name="Handtekening",
        file=letter_samples.docx_upload(letter_samples.signature(), "handtekening.docx"),
        by=letter_admin,
    )


@pytest.fixture
def acknowledgement(letter_admin: User, blocks: None) -> LetterTemplate:
    return create_template(
        name="Ontvangstmelding",
        description="Bevestigt dat we een aanvraag of brief ontvingen.",
        file=letter_samples.docx_upload(letter_samples.acknowledgement(), "ontvangstmelding.docx"),
        by=letter_admin,
    )


@pytest.fixture
def an(db) -> Party:
    party, _created = register_party(
        kind="person",
        given_name="An",
        family_name="Peeters",
        gender="F",
        birth_date=dt.date(1980, 5, 17),
        by=None,
    )
    add_address(
        party=party,
        kind="residence",
        street="Kerkstraat",
        house_number="12",
        box="3",
        postcode="2645",
        municipality="Zonnedaal",
        by=None,
    )
    return party
