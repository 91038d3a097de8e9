"""``manage.py import_engagements FILE [--dry-run | --commit] [--user USERNAME]``: the admin's
engagements import, for files too large to upload (docs/import.md)."""

from __future__ import annotations

from core.import_command import ImportCommand
from engagement.resources import EngagementResource


class Command(ImportCommand):
    resource_class = EngagementResource
    records = "engagements (anchors' logs)"
