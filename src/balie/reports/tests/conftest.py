"""A report case type, a small category tree and a reporter, built as an administrator would."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balie.accounts.actions import create_department, create_employee
from balie.accounts.models import Department, Role, User
from balie.parties.actions import add_contact_point, register_party
from balie.parties.models import Party
from balie.reports.actions import save_category
from balie.reports.models import Category
from balie.reports.setup import ensure_report_case_type

INSIDE = (51.19, 4.60)  # in Zonnedaal (the default boundary)
OUTSIDE = (50.85, 4.35)  # Brussels


@pytest.fixture
def admin(omgeving: Department) -> User:
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


@pytest.fixture
def team_lead(omgeving: Department, handler: User) -> User:
    return create_employee(
        username="teamlead",
        first_name="Tom",
        last_name="Lead",
        email="tom@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        team=handler.team,
        roles=[Role.TEAM_LEAD, Role.CASE_HANDLER],
        by=None,
    )


@pytest.fixture
def groendienst(db) -> Department:
    return create_department(name="Groendienst", code="groen", by=None)


@pytest.fixture
def report_type(admin: User, omgeving: Department):
    return ensure_report_case_type(department=omgeving, by=admin)


@pytest.fixture
def roads(admin: User, report_type, omgeving: Department) -> Category:
    return save_category(by=admin, code="wegdek", name="Wegdek", department=omgeving)


@pytest.fixture
def loose_tile(admin: User, roads: Category) -> Category:
    return save_category(by=admin, code="losse-tegel", name="Losliggende tegel", parent=roads)


@pytest.fixture
def street_light(admin: User, report_type, omgeving: Department) -> Category:
    return save_category(
        by=admin,
        code="straatlicht",
        name="Defecte straatverlichting",
        department=omgeving,
        forward_to_work_orders=True,
    )


@pytest.fixture
def reporter(db) -> Party:
    party, _created = register_party(kind="person", by=None, given_name="Mia", family_name="Melder")
    add_contact_point(party=party, kind="email", value="mia@example.be", by=None)
    return party


def jpeg(
    *, size: tuple[int, int] = (3000, 2000), gps: tuple[float, float] | None = None, name: str = "foto.jpg"
) -> SimpleUploadedFile:
    """A JPEG with EXIF (a camera model and, if given, a GPS position)."""
    image = Image.new("RGB", size, (120, 140, 90))
    exif = Image.Exif()
    exif[0x0110] = "Telefoon X"  # Model
    if gps is not None:

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            degrees = int(value)
            minutes = int((value - degrees) * 60)
            seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
            return (float(degrees), float(minutes), seconds)

        exif.get_ifd(0x8825).update(
            {1: "N" if gps[0] >= 0 else "S", 2: dms(gps[0]), 3: "E" if gps[1] >= 0 else "W", 4: dms(gps[1])}
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
