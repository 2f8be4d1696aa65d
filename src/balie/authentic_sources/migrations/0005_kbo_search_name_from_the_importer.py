"""The folded KBO names become a plain column the importer fills, with a btree for prefixes.

0002 made `search_name` a generated column over `kbo_fold(x)` = lower(unaccent(x)). PostgreSQL
cannot inline that function (declared immutable, it calls the stable unaccent()), so COPY ran it
per row: 4.5 s of a 6.5 s load of 3.3M names (bench/kbo.py). The importer now folds each name
(`kbo.layout.fold`) while it streams the file, and the search folds the query the same way, on
every database.

On PostgreSQL the trigram index comes back on the new column, with a btree (text_pattern_ops) for
searches by the start of a name: through the trigram index `LIKE 'consult%'` finds every name with
a word starting with "consult" and rechecks them all (30,000 rows, 105 ms at 3.3M names); the btree
makes it a range scan whatever the collation. SQLite scans.
"""

from django.db import migrations, models

from balie.core.migration_ops import PostgresOnlySQL

KBO_FOLD = (
    "CREATE OR REPLACE FUNCTION kbo_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
    " AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$"
)


class Migration(migrations.Migration):
    dependencies = [("authentic_sources", "0004_kbo_import_file_crc")]

    operations = [
        migrations.RemoveField(model_name="kbodenomination", name="search_name"),
        PostgresOnlySQL("DROP FUNCTION IF EXISTS kbo_fold(text)", reverse_sql=KBO_FOLD),
        migrations.AddField(
            model_name="kbodenomination",
            name="search_name",
            field=models.TextField(default="", editable=False),
        ),
        PostgresOnlySQL(
            "CREATE INDEX kbo_denomination_search ON authentic_sources_kbodenomination"
            " USING gin (search_name gin_trgm_ops)",
            reverse_sql="DROP INDEX kbo_denomination_search",
        ),
        PostgresOnlySQL(
            "CREATE INDEX kbo_denomination_prefix ON authentic_sources_kbodenomination"
            " (search_name text_pattern_ops)",
            reverse_sql="DROP INDEX kbo_denomination_prefix",
        ),
    ]
