"""Where a report is: the municipality's boundary, distances, and the grid cell that finds neighbours.

Coordinates are WGS84 degrees. PostGIS is not available, so "reports near this point" uses a grid:
each report stores the integer cell it lies in (`cell_of`, about 110 m × 105 m in Flanders); a
search for reports within r metres reads the cells around the point from an index on (category,
cell) among the open reports, then keeps those whose exact (haversine) distance is within r.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_008.8
CELL_LAT = 0.001  # degrees: 111 m
CELL_LON = 0.0015  # degrees: 105 m at 51° N
CELL_ROW = 1_000_000  # a row of cells: longitude index in [0, 360 / CELL_LON) < CELL_ROW
CELL_METRES = 100.0  # the smaller side, rounded down: how far one ring of cells reaches at least


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _indices(lat: float, lon: float) -> tuple[int, int]:
    return math.floor((lat + 90) / CELL_LAT), math.floor((lon + 180) / CELL_LON)


def cell_of(lat: float, lon: float) -> int:
    row, column = _indices(lat, lon)
    return row * CELL_ROW + column


def cells_around(lat: float, lon: float, radius_m: float) -> list[int]:
    """Every cell that may hold a point within `radius_m` of (lat, lon)."""
    rings = max(1, math.ceil(radius_m / CELL_METRES))
    row, column = _indices(lat, lon)
    return [
        (row + dr) * CELL_ROW + (column + dc)
        for dr in range(-rings, rings + 1)
        for dc in range(-rings, rings + 1)
    ]


def boundary() -> list[tuple[float, float]]:
    """The municipality's boundary: a polygon of (lat, lon) points from the settings."""
    return [(float(lat), float(lon)) for lat, lon in settings.BALIE_REPORTS_BOUNDARY]


def point_in_polygon(lat: float, lon: float, polygon: Sequence[tuple[float, float]]) -> bool:
    """Ray casting (even-odd) on the plane; fine for a municipality's size."""
    inside = False
    j = len(polygon) - 1
    for i in range(len(polygon)):
        lat_i, lon_i = polygon[i]
        lat_j, lon_j = polygon[j]
        if (lat_i > lat) != (lat_j > lat):
            crossing = (lon_j - lon_i) * (lat - lat_i) / (lat_j - lat_i) + lon_i
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def centre(polygon: Iterable[tuple[float, float]] | None = None) -> tuple[float, float]:
    points = list(polygon or boundary())
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def check_location(lat: float | None, lon: float | None) -> None:
    """Refuse a point that is no WGS84 coordinate or lies outside the municipality."""
    if lat is None or lon is None:
        return
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise ValidationError({"location": _("Dit is geen geldige plaats (breedte- en lengtegraad).")})
    if not point_in_polygon(lat, lon, boundary()):
        raise ValidationError(
            {
                "location": _("Deze plaats ligt buiten %(municipality)s: wij kunnen er niets aan doen.")
                % {"municipality": settings.BALIE_MUNICIPALITY_NAME}
            }
        )
