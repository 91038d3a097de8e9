"""What officers export from the admin (django-import-export): organisations and anchor roles,
as CSV or XLSX, one row each, with the admin's search and filters applied.

Columns use Open Referral UK (HSDS 3.0) names where the standard has one (``id`` is the
record's stable UUID, ``url`` the website; see ../shared/hsds in development), so a later
import or API can read what an export wrote. Officer-only contact fields
(``Organisation.PRIVATE_FIELDS``) are never exported: a spreadsheet leaves the audited
system, and a volunteer's name and personal phone must not travel with it.
"""

from __future__ import annotations

from import_export import fields, widgets

from core.exports import ExportResource
from localities.models import Locality

from .models import AnchorRole, Organisation, TaxonomyTerm


class OrganisationResource(ExportResource):
    """One row per organisation (Open Referral *organization*)."""

    id = fields.Field(attribute="uuid", column_name="id", readonly=True)
    name = fields.Field(attribute="name", column_name="name")
    slug = fields.Field(attribute="slug", column_name="slug")
    kind = fields.Field(attribute="get_kind_display", column_name="kind", readonly=True)
    status = fields.Field(attribute="status", column_name="status")
    description = fields.Field(attribute="description", column_name="description")
    url = fields.Field(attribute="website", column_name="url")
    email = fields.Field(attribute="email", column_name="email")
    phone = fields.Field(attribute="phone", column_name="phone")
    address = fields.Field(attribute="address", column_name="address")
    postcode = fields.Field(attribute="postcode", column_name="postcode")
    charity_number = fields.Field(attribute="charity_number", column_name="charity_number")
    company_number = fields.Field(attribute="company_number", column_name="company_number")
    areas_served = fields.Field(
        attribute="localities",
        column_name="areas_served",
        widget=widgets.ManyToManyWidget(Locality, field="name", separator="; "),
        readonly=True,
    )
    area_codes = fields.Field(column_name="area_gss_codes", readonly=True)
    services = fields.Field(
        attribute="services",
        column_name="taxonomy_terms",
        widget=widgets.ManyToManyWidget(TaxonomyTerm, field="name", separator="; "),
        readonly=True,
    )
    is_demo = fields.Field(attribute="is_demo", column_name="is_demo", widget=widgets.BooleanWidget())
    last_modified = fields.Field(column_name="last_modified", readonly=True)

    class Meta:
        model = Organisation
        # Only the fields declared above, in this order: a field added to the model later is
        # not exported until someone decides it may be (the officer-only ones never may).
        fields = (
            "id",
            "name",
            "slug",
            "kind",
            "status",
            "description",
            "url",
            "email",
            "phone",
            "address",
            "postcode",
            "charity_number",
            "company_number",
            "areas_served",
            "area_codes",
            "services",
            "is_demo",
            "last_modified",
        )
        export_order = fields

    def dehydrate_area_codes(self, organisation: Organisation) -> str:
        """ONS GSS codes of the areas served that have one, ``; ``-separated."""
        return "; ".join(place.gss_code for place in organisation.localities.all() if place.gss_code)

    def dehydrate_last_modified(self, organisation: Organisation) -> str:
        """ISO 8601 in UTC, as Open Referral's ``last_modified`` (``2026-12-01T21:35:08+00:00``)."""
        return organisation.updated_at.isoformat(timespec="seconds")


class AnchorRoleResource(ExportResource):
    """One row per anchor role: who anchors where, in which network, since when."""

    organisation_id = fields.Field(attribute="organisation__uuid", column_name="organization_id", readonly=True)
    organisation = fields.Field(attribute="organisation__name", column_name="organization_name", readonly=True)
    network = fields.Field(attribute="network__name", column_name="network", readonly=True)
    role = fields.Field(attribute="get_role_display", column_name="role", readonly=True)
    locality = fields.Field(attribute="locality__name", column_name="area", readonly=True)
    locality_code = fields.Field(attribute="locality__gss_code", column_name="area_gss_code", readonly=True)
    lead = fields.Field(attribute="lead__organisation__name", column_name="lead_anchor", readonly=True)
    joined_on = fields.Field(attribute="joined_on", column_name="joined_on", widget=widgets.DateWidget("%Y-%m-%d"))
    agreement_signed_on = fields.Field(
        attribute="agreement_signed_on", column_name="agreement_signed_on", widget=widgets.DateWidget("%Y-%m-%d")
    )
    left_on = fields.Field(attribute="left_on", column_name="left_on", widget=widgets.DateWidget("%Y-%m-%d"))

    class Meta:
        model = AnchorRole
        fields = (
            "organisation_id",
            "organisation",
            "network",
            "role",
            "locality",
            "locality_code",
            "lead",
            "joined_on",
            "agreement_signed_on",
            "left_on",
        )
        export_order = fields
