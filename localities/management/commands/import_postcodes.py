"""``manage.py import_postcodes FILE``: load the ONS Postcode Directory for the portal's councils."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from localities.models import POSTCODE_ATTRIBUTION
from localities.onspd import OnspdFormatError
from localities.postcodes import DuplicatePostcodeError, covered_councils, import_postcodes


class Command(BaseCommand):
    help = (
        "Import the ONS Postcode Directory (ONSPD) or National Statistics Postcode Lookup (NSPL) CSV "
        "for the councils the portal covers, replacing their postcodes all at once. Download the "
        "file from the ONS Open Geography Portal (geoportal.statistics.gov.uk, 'Postcodes'); use the "
        "whole-UK CSV in its Data folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The whole-UK ONSPD or NSPL CSV file.")
        parser.add_argument(
            "--council",
            action="append",
            dest="councils",
            metavar="GSS_CODE",
            help="A council's GSS code, e.g. E08000035 for Leeds (repeatable). Default: every "
            "district in the portal that has a GSS code.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Read and check the file; change nothing.")

    def handle(self, *args, file: str, councils: list[str] | None, dry_run: bool, **options):
        councils = councils or covered_councils()
        if not councils:
            raise CommandError(
                "No council to import postcodes for: give --council GSS_CODE, or give the portal's "
                "districts their GSS codes in the admin first."
            )
        try:
            size = os.path.getsize(file)
            raw = open(file, "rb")  # noqa: SIM115 - closed below, after the import has read it
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        shown = [-1]

        def progress(done: int) -> None:
            # A line per tenth of the file: readable in a terminal and in a log.
            tenth = done * 10 // size if size else 10
            if tenth > shown[0]:
                shown[0] = tenth
                self.stdout.write(f"Read {tenth * 10}% of {os.path.basename(file)}")

        try:
            with raw:
                result = import_postcodes(
                    raw, source=os.path.basename(file), councils=councils, dry_run=dry_run, progress=progress
                )
        except (OnspdFormatError, DuplicatePostcodeError) as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not a UTF-8 CSV file. Nothing was changed.") from None

        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.postcodes} postcode{'' if result.postcodes == 1 else 's'} "
                f"({result.retired} retired) for {', '.join(councils)}, "
                f"wards from the “{result.ward_column}” column."
            )
        )
        if result.postcodes == 0:
            self.stdout.write(
                self.style.WARNING("The file has no postcodes for these councils: check the --council codes.")
            )
        for code, count in result.unknown_ward_codes.most_common():
            self.stdout.write(
                self.style.WARNING(
                    f"Ward {code} is not in the portal: {count} postcodes left without a ward. Add the ward "
                    "(with this GSS code) in the admin and import again, if it is one the portal serves."
                )
            )
        if not dry_run:
            self.stdout.write(f"Show this attribution where postcodes are used: {POSTCODE_ATTRIBUTION}")
