"""Fixtures of the authentic-sources tests (each connector's in its own module)."""

from .magda_fixtures import magda, organisation, person, purpose  # noqa: F401
