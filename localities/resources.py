"""Localities in and out of the officers' admin (django-import-export): districts, areas,
wards and neighbourhoods with their ONS GSS codes, the place each is part of, and the dates it
was in force. An export imports back as it was (docs/import.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.db import free_slug
from core.imports import ChoiceWidget, ImportResource, SpreadsheetDateWidget

from .models import Locality, LocalityKind


def _same_name(text: str) -> str:
    """A place name as typed, for comparing: case and runs of spaces set aside."""
    return " ".join(str(text or "").split()).casefold()


class LocalityResource(ImportResource):
    """One row per locality, parents before children (the tree's order), so a whole export
    imports into an empty table. A row is matched by GSS code, then by slug, then by name under
    the same parent; ``parent`` is read as a GSS code or a name we hold (never created)."""

    name = fields.Field(attribute="name", column_name="name")
    slug = fields.Field(attribute="slug", column_name="slug")
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(LocalityKind.choices), saves_null_values=False
    )
    gss_code = fields.Field(attribute="gss_code", column_name="gss_code")
    parent = fields.Field(column_name="parent", readonly=True)
    parent_gss_code = fields.Field(attribute="parent__gss_code", column_name="parent_gss_code", readonly=True)
    valid_from = fields.Field(attribute="valid_from", column_name="valid_from", widget=SpreadsheetDateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name="valid_to", widget=SpreadsheetDateWidget())
    population = fields.Field(attribute="population", column_name="population")
    population_source = fields.Field(attribute="population_source", column_name="population_source")
    description = fields.Field(attribute="description", column_name="description")

    required_columns = ("name",)

    class Meta(ImportResource.Meta):
        model = Locality
        fields = (
            "name",
            "slug",
            "kind",
            "gss_code",
            "parent",
            "parent_gss_code",
            "valid_from",
            "valid_to",
            "population",
            "population_source",
            "description",
        )
        export_order = fields

    def dehydrate_parent(self, place: Locality) -> str:
        return place.parent.name if place.parent_id else ""

    # -- Import ------------------------------------------------------------------
    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # Empty cells are "none" to a spreadsheet: a GSS code or a population left blank.
        for name in ("gss_code", "population"):
            if name in row and row[name] in ("", None):
                row[name] = None

    def find_parent(self, row) -> Locality | None:
        """The parent a row names: by ``parent_gss_code`` or ``parent`` as a GSS code, else by
        ``parent`` as a name (one place only).

        Raises:
            ValidationError: a parent we do not hold, or a name several places share.
        """
        code = str(row.get("parent_gss_code") or "").strip().upper()
        text = str(row.get("parent") or "").strip()
        if code:
            found = Locality.objects.filter(gss_code=code).first()
            if found is None:
                raise ValidationError({"parent": _("No place has the GSS code “%(code)s”.") % {"code": code}})
            return found
        if not text:
            return None
        # ``parent`` may hold a GSS code: one query tries it, where checking then fetching took two.
        if found := Locality.objects.filter(gss_code=text.upper()).first():
            return found
        matches = [
            place for place in Locality.objects.filter(name__iexact=text) if _same_name(place.name) == _same_name(text)
        ]
        if not matches:
            raise ValidationError(
                {
                    "parent": _("“%(name)s” is not a place we hold: import it first (nothing was guessed).")
                    % {"name": text}
                }
            )
        if len(matches) > 1:
            raise ValidationError(
                {"parent": _("Several places are called “%(name)s”: give the parent's GSS code.") % {"name": text}}
            )
        return matches[0]

    def get_instance(self, instance_loader, row):
        """By GSS code, then slug, then the same name under the same parent; ``None`` (new)
        otherwise."""
        code = str(row.get("gss_code") or "").strip().upper()
        if code and (found := Locality.objects.filter(gss_code=code).first()):
            self.note(_("Matched by GSS code %(code)s.") % {"code": code})
            return found
        slug = str(row.get("slug") or "").strip()
        if slug and (found := Locality.objects.filter(slug=slug).first()):
            self.note(_("Matched by slug."))
            return found
        parent = self.find_parent(row)
        same = Locality.objects.filter(name__iexact=str(row.get("name") or "").strip(), parent=parent).first()
        if same:
            self.note(_("Matched by name within %(parent)s.") % {"parent": parent or _("the top level")})
            return same
        return None

    def import_related(self, instance, row, errors):
        """The parent, the GSS code in capitals, and a slug for a new place."""
        if "parent" in row or "parent_gss_code" in row:
            try:
                instance.parent = self.find_parent(row)
            except ValidationError as exc:
                exc.update_error_dict(errors)
        if instance.gss_code:
            instance.gss_code = instance.gss_code.strip().upper()
        if not instance.slug:
            instance.slug = free_slug(Locality.objects.all(), instance.name, max_length=120, fallback="place")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if original is not None and original.parent_id != instance.parent_id:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)
