"""Search on PostgreSQL: the pg_trgm extension and GIN trigram indexes for typo-tolerant matching.

A no-op on SQLite, which searches with icontains. Creating an extension needs a superuser (or
the database owner on PostgreSQL 13+ for trusted extensions such as pg_trgm); where migrations
run as a lesser role, run `CREATE EXTENSION pg_trgm;` once by hand first.

The channel and category indexes live here, not in channels_app, because search is the
directory's (streams') concern and the SQL is PostgreSQL-only.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEXES = [
    ("streams_stream_title_trgm", "streams_stream", "title"),
    ("channels_channel_slug_trgm", "channels_app_channel", "slug"),
    ("channels_channel_display_name_trgm", "channels_app_channel", "display_name"),
    ("channels_category_name_trgm", "channels_app_category", "name"),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # The extension stays: other objects may use it, and it costs nothing.


class Migration(migrations.Migration):
    dependencies = [
        ("channels_app", "0003_channel_featured_rank"),
        ("streams", "0002_stream_directory_figures"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
