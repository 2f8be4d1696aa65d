"""What the MAGDA connector plugs in at start-up (called from AuthenticSourcesConfig.ready)."""

from __future__ import annotations

import datetime as dt


def register() -> None:
    from balie.core.schedule import DailyAt, Every, add_job
    from balie.parties.merging import merge_handlers
    from balie.parties.registries import locked_field_providers

    from .magda import checks  # noqa: F401 - registers the deployment checks
    from .magda_actions import locked_fields_of, move_sourced_fields_to_survivor
    from .magda_tasks import purge_expired_consultations, refresh_persons_from_register

    locked_field_providers.add("authentic_sources", locked_fields_of)
    merge_handlers.add("authentic_sources", move_sourced_fields_to_survivor)
    add_job(
        "authentic_sources.purge_expired_consultations",
        when=DailyAt(dt.time(3, 45)),
        task=purge_expired_consultations,
    )
    add_job(
        "authentic_sources.refresh_persons_from_register",
        when=Every(dt.timedelta(days=7)),
        task=refresh_persons_from_register,
    )
