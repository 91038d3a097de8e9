"""Writes to the locality tree that take more than one step."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .boundaries import WardFeature
from .models import Locality, LocalityKind, WardBoundary


@dataclass
class BoundaryImportReport:
    """What an import did (or, in a dry run, would do): boundaries created, changed and left
    as they were; codes in the file that match no ward; and wards with no boundary
    afterwards, as ``(name, gss_code or "")`` by name."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unknown_codes: list[str] = field(default_factory=list)
    wards_without_boundary: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def ward_boundaries_import(
    *, features: list[WardFeature], source: str, attribution: str, dry_run: bool = False
) -> BoundaryImportReport:
    """Give each ward whose GSS code is in ``features`` that outline, all in one transaction.

    Re-running with the same file changes nothing (a boundary is saved only when its geometry,
    source or attribution differ). Codes that match no ward (the ONS files cover all of
    England and Wales) are reported, not imported. With ``dry_run`` the same work is done and
    then rolled back, so the report is exactly what a real run would do. Queries: three, plus
    one write per boundary created or changed.
    """
    wards = {
        ward.gss_code: ward
        for ward in Locality.objects.filter(kind=LocalityKind.WARD, gss_code__in=[f.gss_code for f in features])
    }
    existing = {b.locality_id: b for b in WardBoundary.objects.filter(locality__in=wards.values())}
    report = BoundaryImportReport()
    for feature in features:
        ward = wards.get(feature.gss_code)
        if ward is None:
            report.unknown_codes.append(feature.gss_code)
            continue
        values = {"geometry": feature.geometry, "source": source, "attribution": attribution}
        boundary = existing.get(ward.pk)
        if boundary is None:
            WardBoundary.objects.create(locality=ward, **values)
            report.created += 1
        elif any(getattr(boundary, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(boundary, name, value)
            boundary.save()
            report.updated += 1
        else:
            report.unchanged += 1
    report.wards_without_boundary = [
        (name, code or "")
        for name, code in Locality.objects.filter(kind=LocalityKind.WARD, boundary__isnull=True)
        .order_by("name")
        .values_list("name", "gss_code")
    ]
    if dry_run:
        transaction.set_rollback(True)
    return report
