"""Before submitting: open reports of the same category within N metres are shown, nearest first."""

from __future__ import annotations

from balie.reports.actions import register_report, set_report_status
from balie.reports.geo import cell_of, haversine_m
from balie.reports.queries import nearby_open_reports
from balie.reports.workflow import ReportStatus

LAT, LON = 51.1900, 4.6000


def test_only_open_reports_of_the_category_within_the_radius(handler, loose_tile, street_light):
    near = register_report(
        category=loose_tile, by=handler, description="a", lat=LAT + 0.0002, lon=LON
    )  # 22 m
    across_cells = register_report(
        category=loose_tile, by=handler, description="b", lat=LAT, lon=LON + 0.0006
    )  # 42 m
    register_report(category=loose_tile, by=handler, description="far", lat=LAT + 0.001, lon=LON)  # 111 m
    register_report(category=street_light, by=handler, description="other", lat=LAT, lon=LON)
    resolved = register_report(category=loose_tile, by=handler, description="done", lat=LAT, lon=LON)
    set_report_status(report=resolved, to=ReportStatus.RESOLVED, by=handler)

    found = nearby_open_reports(category=loose_tile, lat=LAT, lon=LON, radius_m=50)

    assert [n.report.pk for n in found] == [near.pk, across_cells.pk]
    assert round(found[0].distance_m) == 22


def test_the_grid_finds_points_across_a_cell_border():
    # two points 10 m apart on either side of a cell border are in neighbouring cells
    lat = 51.190999
    assert cell_of(lat, LON) != cell_of(lat + 0.0001, LON)
    assert haversine_m(lat, LON, lat + 0.0001, LON) < 12
