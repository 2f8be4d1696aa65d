"""Fixtures of the authentic-sources tests (each connector's in its own module)."""

from .address_fixtures import _demo_register_server, demo_register  # noqa: F401
from .magda_fixtures import magda, organisation, person, purpose  # noqa: F401
