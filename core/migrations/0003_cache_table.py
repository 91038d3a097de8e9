"""The database cache's table, where the settings use one (production: anchornet/settings/prod.py),
so that ``migrate`` alone prepares a database. Elsewhere (a memory cache) this does nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # createcachetable skips a table that exists already, so re-running is safe.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_sent_email")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=True)]
