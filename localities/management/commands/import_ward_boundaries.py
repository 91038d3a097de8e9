"""``manage.py import_ward_boundaries FILE [--dry-run]``: give wards their outlines from an
ONS GeoJSON file, matched by ward GSS code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from localities.boundaries import ONS_ATTRIBUTION, BoundaryFileError, read_boundary_file
from localities.services import ward_boundaries_import

# A national file has thousands of wards that are not ours: name the first few.
UNKNOWN_CODES_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import ward boundaries from an ONS GeoJSON FeatureCollection (WGS 84), matching each "
        "feature to a ward by its GSS code (property WD19CD, WD24CD, ... or gss_code). All or "
        "nothing; safe to re-run. Reports codes it does not know and wards left without a boundary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The GeoJSON file.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; save nothing.")
        parser.add_argument("--source", help="The release, shown under maps (default: the file's name).")
        parser.add_argument(
            "--attribution",
            help="The licence statement to show with the maps. Default: the ONS Open Government "
            "Licence statement for the year the code property names (WD19CD: 2019).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            boundary_file = read_boundary_file(path)
        except BoundaryFileError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        attribution = options["attribution"]
        if not attribution:
            if boundary_file.year is None:
                raise CommandError(
                    "The file does not say which year's boundaries it holds (no WD19CD-style "
                    "property): give the licence statement with --attribution. Nothing was imported."
                )
            attribution = ONS_ATTRIBUTION.format(year=boundary_file.year)
        report = ward_boundaries_import(
            features=boundary_file.features,
            source=options["source"] or path.name,
            attribution=attribution,
            dry_run=options["dry_run"],
        )
        prefix = "Dry run, nothing saved. Would have: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.created} boundaries created, {report.updated} updated, "
            f"{report.unchanged} unchanged, from {len(boundary_file.features)} features in {path.name}."
        )
        if report.unknown_codes:
            shown = ", ".join(report.unknown_codes[:UNKNOWN_CODES_SHOWN])
            more = len(report.unknown_codes) - UNKNOWN_CODES_SHOWN
            self.stdout.write(
                f"{len(report.unknown_codes)} codes match no ward and were skipped: {shown}"
                + (f" and {more} more." if more > 0 else ".")
            )
        if report.wards_without_boundary:
            listed = ", ".join(
                f"{name} ({code})" if code else f"{name} (no GSS code)" for name, code in report.wards_without_boundary
            )
            self.stdout.write(f"{len(report.wards_without_boundary)} wards have no boundary: {listed}.")
        else:
            self.stdout.write("Every ward has a boundary.")
