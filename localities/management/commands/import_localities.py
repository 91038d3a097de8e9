"""``manage.py import_localities FILE [--dry-run | --commit] [--user USERNAME]``: the admin's
localities import, for files too large to upload (docs/import.md)."""

from __future__ import annotations

from core.import_command import ImportCommand
from localities.resources import LocalityResource


class Command(ImportCommand):
    resource_class = LocalityResource
    records = "localities (districts, areas, wards and neighbourhoods)"
