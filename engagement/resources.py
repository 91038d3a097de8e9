"""Anchors' engagement logs in and out of the officers' admin (django-import-export): one row
per entry, the anchor and the organisations engaged by their stable ids and names.
``officer_notes`` never leave the system (``Engagement.PRIVATE_FIELDS``), and neither does who
from the anchor made the contact (a person). See docs/import.md."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.imports import ChoiceWidget, ImportResource, SpreadsheetDateWidget
from organisations.models import Organisation, name_key
from organisations.resources import split_list

from .models import Engagement, EngagementKind


class EngagementResource(ImportResource):
    """One row per engagement. A row with the ``id`` of an entry updates it; otherwise an entry
    of the same anchor, date, kind and outcome is the same entry (a file imported twice adds
    nothing); otherwise it is new. Organisations are read by id (UUID) or by name, and never
    created."""

    id = fields.Field(attribute="pk", column_name="id", readonly=True)
    date = fields.Field(attribute="occurred_on", column_name="date", widget=SpreadsheetDateWidget())
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(EngagementKind.choices), saves_null_values=False
    )
    anchor_id = fields.Field(attribute="anchor__uuid", column_name="anchor_id", readonly=True)
    anchor = fields.Field(attribute="anchor__name", column_name="anchor", readonly=True)
    organisation_ids = fields.Field(column_name="organization_ids", readonly=True)
    organisations = fields.Field(column_name="organizations", readonly=True)
    outcome = fields.Field(attribute="outcome", column_name="outcome")
    follow_up_on = fields.Field(attribute="follow_up_on", column_name="follow_up_on", widget=SpreadsheetDateWidget())
    follow_up_done = fields.Field(
        attribute="follow_up_done",
        column_name="follow_up_done",
        widget=widgets.BooleanWidget(),
        saves_null_values=False,
    )

    required_columns = ("date", "kind")

    class Meta(ImportResource.Meta):
        model = Engagement
        fields = (
            "id",
            "date",
            "kind",
            "anchor_id",
            "anchor",
            "organisation_ids",
            "organisations",
            "outcome",
            "follow_up_on",
            "follow_up_done",
        )
        export_order = fields

    def dehydrate_organisation_ids(self, engagement: Engagement) -> str:
        if engagement.pk is None:  # a new entry in the preview: no links yet
            return ""
        return "; ".join(str(organisation.uuid) for organisation in engagement.organisations.all())

    def dehydrate_organisations(self, engagement: Engagement) -> str:
        if engagement.pk is None:
            return ""
        return "; ".join(organisation.name for organisation in engagement.organisations.all())

    # -- Import ------------------------------------------------------------------
    def find_organisations(self, ids, names, column: str) -> list[Organisation]:
        """The organisations named by ``ids`` (UUIDs, ``; ``-separated) or, when there are none,
        by ``names`` (one organisation each, any case, "&"/"and" alike).

        Raises:
            ValidationError: keyed by ``column``: an id or name we do not hold, or a name
                several organisations share.
        """
        found, problems = [], []
        for text in split_list(ids):
            match = self._organisation_by_id(text)
            if match is None:
                problems.append(_("No organisation has the id “%(id)s”.") % {"id": text})
            else:
                found.append(match)
        if not split_list(ids):
            for text in split_list(names):
                matches = self._organisations_named(text)
                if len(matches) == 1:
                    found.append(matches[0])
                elif not matches:
                    problems.append(_("“%(name)s” is not an organisation we hold.") % {"name": text})
                else:
                    problems.append(
                        _("Several organisations are called “%(name)s”: give its id from an export.") % {"name": text}
                    )
        if problems:
            raise ValidationError({column: problems})
        return found

    # A log names the same anchor and organisations on row after row, and each row reads its
    # anchor twice (``get_instance``, ``import_related``); an engagement import never adds an
    # organisation, so each id or name is looked up once for the file.
    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._by_id: dict[str, Organisation | None] = {}
        self._by_name: dict[str, list[Organisation]] = {}

    def _organisation_by_id(self, text: str) -> Organisation | None:
        """The organisation whose UUID is ``text``; ``None`` for one we do not hold or not a UUID."""
        if text not in self._by_id:
            try:
                self._by_id[text] = Organisation.objects.filter(uuid=uuid.UUID(text)).first()
            except ValueError:
                self._by_id[text] = None
        return self._by_id[text]

    def _organisations_named(self, text: str) -> list[Organisation]:
        """Up to two organisations whose ``name_key`` is ``text``'s (two: enough to say it is
        ambiguous)."""
        key = name_key(text)
        if key not in self._by_name:
            self._by_name[key] = list(Organisation.objects.filter(name_key=key)[:2])
        return self._by_name[key]

    def get_instance(self, instance_loader, row):
        raw = str(row.get("id") or "").strip()
        if raw.isdigit() and (found := Engagement.objects.filter(pk=int(raw)).first()):
            self.note(_("Matched by id."))
            return found
        try:
            (anchor,) = self.find_organisations(row.get("anchor_id"), row.get("anchor"), "anchor")
            occurred_on = SpreadsheetDateWidget().clean(row.get("date"))
        except (ValidationError, ValueError):
            return None  # reported with the row's other problems by import_instance
        kind = ChoiceWidget(EngagementKind.choices).clean(row.get("kind")) if row.get("kind") else None
        same = Engagement.objects.filter(
            anchor=anchor, occurred_on=occurred_on, kind=kind, outcome=str(row.get("outcome") or "")
        ).first()
        if same:
            self.note(_("Matched by anchor, date, kind and outcome."))
        return same

    def import_related(self, instance, row, errors):
        """The anchor (exactly one) and the organisations engaged."""
        try:
            anchors = self.find_organisations(row.get("anchor_id"), row.get("anchor"), "anchor")
            if len(anchors) != 1:
                raise ValidationError({"anchor": _("Give exactly one anchor.")})
            instance.anchor = anchors[0]
        except ValidationError as exc:
            exc.update_error_dict(errors)
        instance._imported_organisations = None
        if {"organization_ids", "organizations"} & set(row):
            try:
                instance._imported_organisations = self.find_organisations(
                    row.get("organization_ids"), row.get("organizations"), "organizations"
                )
            except ValidationError as exc:
                exc.update_error_dict(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        wanted = instance._imported_organisations
        return wanted is None or {o.pk for o in wanted} == set(instance.organisations.values_list("pk", flat=True))

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if instance._imported_organisations is not None:
            instance.organisations.set(instance._imported_organisations)
