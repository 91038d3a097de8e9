"""``manage.py import_organisations FILE [--dry-run | --commit] [--user USERNAME]``: the admin's
organisations import, for files too large to upload (docs/import.md)."""

from __future__ import annotations

from core.import_command import ImportCommand
from organisations.resources import OrganisationResource


class Command(ImportCommand):
    resource_class = OrganisationResource
    records = "organisations"
