"""The reports' fixtures (the report case type and its categories) for the Open311 server's tests."""

from balie.reports.tests.conftest import (  # noqa: F401
    admin,
    loose_tile,
    report_type,
    roads,
    street_light,
)
