"""Areas and wards for search engines: their sitemap and schema.org ``Place`` descriptions."""

from __future__ import annotations

from core.seo import RecordSitemap, absolute_url

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
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": locality.name,
        "url": absolute_url(locality.get_absolute_url()),
    }
    if locality.gss_code:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "ONS GSS code", "value": locality.gss_code}
    if locality.parent_id:
        data["containedInPlace"] = {
            "@type": "Place",
            "name": locality.parent.name,
            "url": absolute_url(locality.parent.get_absolute_url()),
        }
    return data
