"""Areas and wards for search engines: their sitemap and schema.org ``Place`` descriptions."""

from __future__ import annotations

from core.seo import RecordSitemap, schema_thing

from .models import Locality


class LocalitySitemap(RecordSitemap):
    """Every area page of a place in force today (a ward abolished at a boundary review keeps
    its page for old links, but is no longer offered)."""

    changefreq = "monthly"

    def records(self):
        return Locality.objects.current()


def place_schema(locality: Locality) -> dict:
    """schema.org ``Place`` for an area page: name, page, its ONS GSS code as an identifier
    (where it has one) and the place it lies in."""
    data = schema_thing("Place", locality.name, locality.get_absolute_url(), context=True)
    if locality.gss_code:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "ONS GSS code", "value": locality.gss_code}
    if locality.parent_id:
        data["containedInPlace"] = schema_thing("Place", locality.parent.name, locality.parent.get_absolute_url())
    return data
