"""The directory's records for search engines: sitemaps and schema.org descriptions.

Only what residents may see (``public()``); the descriptions carry the fields the public page
shows and nothing else (never officer-only contact details).
"""

from __future__ import annotations

from core.seo import RecordSitemap, schema_thing

from .models import Network, Organisation


class OrganisationSitemap(RecordSitemap):
    changefreq = "weekly"

    def records(self):
        return Organisation.objects.public()


class NetworkSitemap(RecordSitemap):
    changefreq = "monthly"

    def records(self):
        return Network.objects.all()


def organisation_schema(organisation: Organisation, places) -> dict:
    """schema.org ``Organization`` for ``organisation``'s public page: name, description, page,
    website, public email and phone, postal address, and ``places`` (the localities it serves,
    as the page lists them) as ``areaServed``."""
    data = schema_thing("Organization", organisation.name, organisation.get_absolute_url(), context=True)
    if organisation.description:
        data["description"] = organisation.description
    if organisation.website:
        data["sameAs"] = organisation.website
    if organisation.email:
        data["email"] = organisation.email
    if organisation.phone:
        data["telephone"] = organisation.phone
    if organisation.address or organisation.postcode:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": organisation.address,
            "postalCode": organisation.postcode,
            "addressCountry": "GB",
        }
    served = [schema_thing("Place", place.name, place.get_absolute_url()) for place in places]
    if served:
        data["areaServed"] = served
    return data
