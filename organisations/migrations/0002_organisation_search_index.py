"""Full-text search index for organisations, PostgreSQL only.

A GIN index on the weighted search vector that ``organisations.search.SEARCH_VECTOR`` builds at
query time. PostgreSQL uses an expression index only for the identical expression, so the
expression is written out here as it stands in search.py; ``tests/organisations/test_search.py``
checks with EXPLAIN that queries still use the index. SQLite (the demo database) gets no index:
its fallback search scans, which is fine at demo size.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "organisation_search_idx"


def _index() -> GinIndex:
    vector = SearchVector("name", weight="A", config="english") + SearchVector(
        "description", weight="B", config="english"
    )
    return GinIndex(vector, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("organisations", "Organisation"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("organisations", "Organisation"), _index())


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
