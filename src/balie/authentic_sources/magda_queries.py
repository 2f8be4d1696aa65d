"""Reads of what the authentic sources said about a party (for the 360° view)."""

from __future__ import annotations

from balie.parties.models import Party

from .models.magda import SourcedFields


def sourced_records_of(party: Party) -> dict[str, SourcedFields]:
    """The party's records per source ("rijksregister", "kbo"): when it was fetched, which fields
    came from it, and the last answer's details the party has no field for."""
    return {row.source: row for row in SourcedFields.objects.filter(party_id=party.pk)}
