"""Trigram indexes for name and address search on PostgreSQL (SQLite scans, which is fine at its size)."""

from django.db import migrations

from balie.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]

    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX parties_party_search_trgm ON parties_party USING gin (search_name gin_trgm_ops)",
            reverse_sql="DROP INDEX parties_party_search_trgm",
        ),
        PostgresOnlySQL(
            "CREATE INDEX parties_address_search_trgm ON parties_address USING gin (search_text gin_trgm_ops)",
            reverse_sql="DROP INDEX parties_address_search_trgm",
        ),
    ]
