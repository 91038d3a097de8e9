"""Spelling-tolerant name search, PostgreSQL only (docs/adr/0009-synonyms-and-spelling.md).

Enables ``pg_trgm`` (a trusted extension since PostgreSQL 13, so the database owner may create
it) and adds a GIN trigram index on the organisation's name, which serves the word-similarity
operator (``name %> 'huddersfeld'``) that ``organisations.search`` uses. SQLite (the demo
database) gets neither: its fallback compares words in Python.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX_NAME = "organisation_name_trgm_idx"


def _index() -> GinIndex:
    return GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("organisations", "Organisation"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("organisations", "Organisation"), _index())


class Migration(migrations.Migration):
    dependencies = [("organisations", "0013_seed_synonym_groups")]

    # TrigramExtension does nothing on databases other than PostgreSQL.
    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index, elidable=False)]
