"""Demo reports (meldingen): the report case type, a category tree with a routing rule, and reports
spread over Zonnedaal, made through the reports' actions like the counter and the handlers would."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from balie.accounts.models import Department, User
from balie.parties.models import Party
from balie.reports.actions import (
    add_routing_rule,
    mark_duplicate,
    register_report,
    save_category,
    set_report_status,
)
from balie.reports.geo import boundary, point_in_polygon
from balie.reports.models import Category
from balie.reports.setup import ensure_report_case_type
from balie.reports.workflow import ReportStatus

# (group, department, [(code, name, forward to work orders)])
CATEGORIES: list[tuple[str, str, list[tuple[str, str, bool]]]] = [
    (
        "Wegen en voetpaden",
        "omgeving",
        [
            ("losse-tegel", "Losliggende tegel", False),
            ("put-in-de-weg", "Put in de weg", True),
            ("voetpad-beschadigd", "Beschadigd voetpad", False),
        ],
    ),
    ("Verlichting", "omgeving", [("straatlicht", "Defecte straatverlichting", True)]),
    (
        "Netheid",
        "omgeving",
        [
            ("zwerfvuil", "Zwerfvuil", False),
            ("sluikstort", "Sluikstort", True),
            ("graffiti", "Graffiti", False),
        ],
    ),
    (
        "Groen",
        "omgeving",
        [
            ("overhangende-takken", "Overhangende takken", False),
            ("omgevallen-boom", "Omgevallen boom", True),
        ],
    ),
]

STREETS = [
    "Kerkstraat",
    "Dorpsplein",
    "Molenweg",
    "Stationsstraat",
    "Beekstraat",
    "Schoolstraat",
    "Lindelaan",
]
TEXTS = {
    "losse-tegel": "Een tegel ligt los en wiebelt; iemand struikelde al bijna.",
    "put-in-de-weg": "Diepe put in het wegdek, gevaarlijk voor fietsers.",
    "voetpad-beschadigd": "Het voetpad is opgebroken door boomwortels.",
    "straatlicht": "De straatlamp brandt al een week niet meer.",
    "zwerfvuil": "Veel blikjes en plastic langs de berm.",
    "sluikstort": "Zakken huisvuil en een oude matras gedumpt.",
    "graffiti": "Graffiti op de muur van de sporthal.",
    "overhangende-takken": "Takken hangen zo laag dat je van het fietspad moet.",
    "omgevallen-boom": "Een boom is omgewaaid en ligt half over de weg.",
}


def _point(rng: random.Random) -> tuple[float, float]:
    polygon = boundary()
    lats = [p[0] for p in polygon]
    lons = [p[1] for p in polygon]
    while True:
        lat = rng.uniform(min(lats), max(lats))
        lon = rng.uniform(min(lons), max(lons))
        if point_in_polygon(lat, lon, polygon):
            return round(lat, 6), round(lon, 6)


def build_reports(
    rng: random.Random,
    now: dt.datetime,
    departments: dict[str, Department],
    employees: dict[str, User],
    persons: list[Party],
    count: int = 40,
) -> int:
    admin, handler = employees["beheer"], employees["behandelaar"]
    ensure_report_case_type(department=departments["omgeving"], by=admin)
    leaves: list[Category] = []
    for group_name, department, children in CATEGORIES:
        group = save_category(
            by=admin,
            code=group_name.lower().replace(" ", "-"),
            name=group_name,
            department=departments[department],
        )
        for code, name, forward in children:
            leaves.append(
                save_category(by=admin, code=code, name=name, parent=group, forward_to_work_orders=forward)
            )
    north = min(p[0] for p in boundary()) + 0.04
    add_routing_rule(
        by=admin,
        department=departments["omgeving"],
        category=None,
        area_name="Zonnedaal-Noord",
        box=(north, -180.0, 90.0, 180.0),
        order=10,
    )
    made = []
    for _n in range(count):
        category = rng.choice(leaves)
        lat, lon = _point(rng)
        reporter = rng.choice(persons) if rng.random() < 0.6 else None
        report = register_report(
            category=category,
            by=handler,
            description=TEXTS[category.code],
            lat=lat,
            lon=lon,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}" if rng.random() < 0.5 else "",
            reporter=reporter,
            channel=rng.choice(["counter", "phone", "email", "web"]),
            received_at=now - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8)),
        )
        if not category.forward_to_work_orders:
            roll = rng.random()
            if roll < 0.35:
                report = set_report_status(
                    report=report, to=ReportStatus.IN_PROGRESS, by=handler, reason="Ingepland"
                )
            if roll < 0.2:
                report = set_report_status(
                    report=report, to=ReportStatus.RESOLVED, by=handler, reason="Hersteld"
                )
            if roll < 0.1:
                report = set_report_status(report=report, to=ReportStatus.CLOSED, by=handler)
        made.append(report)
    # two reports of the same problem, merged
    first = next(r for r in made if r.is_open)
    twin = register_report(
        category=first.category,
        by=handler,
        description=first.description,
        lat=first.lat,
        lon=first.lon,
        channel="phone",
        received_at=timezone.now(),
    )
    mark_duplicate(report=twin, of=first, by=handler, reason="Zelfde plaats en probleem")
    return count + 1
