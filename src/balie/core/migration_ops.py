"""Migration operations for what only one database has (PostgreSQL: trigram indexes, exclusion
constraints, GIN indexes; SQLite: FTS5 tables)."""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.special import RunSQL


class PostgresOnlySQL(RunSQL):
    """RunSQL that is skipped on other databases (SQLite uses plain LIKE scans instead)."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class SqliteOnlySQL(RunSQL):
    """RunSQL that runs on SQLite only (e.g. an FTS5 table where PostgreSQL has its own search)."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
