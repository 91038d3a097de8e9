"""The filters (django-filter) of the exchange, the outreach list and the engagement log,
carried in the query string so a filtered list can be bookmarked and shared:
``/network/exchange/?skill=minibus&direction=need&area=batley-and-spen``."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, Filter, FilterSet

from core.forms import GovukDateField
from localities.models import Locality
from organisations.filters import area_choices
from organisations.models import Organisation, TaxonomyTerm

from .models import (
    SKILLS_TAXONOMY,
    Engagement,
    EngagementKind,
    ExchangeDirection,
    ExchangeEntry,
    ExchangeEntryQuerySet,
    RelationshipStatus,
    SupportKind,
    SupportRelationship,
)
from .selectors import OutreachStatus


def filter_helper(*fields) -> FormHelper:
    """A filter panel's layout: no ``<form>`` tag nor CSRF token (``components/filter_form.html``
    wraps it in a GET form)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def skill_choices() -> list[tuple[str, str]]:
    return list(TaxonomyTerm.objects.in_taxonomy(SKILLS_TAXONOMY).order_by("name").values_list("slug", "name"))


class ExchangeFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_helper(
            Field.select("skill"), Field.radios("direction", legend_size=Size.SMALL, small=True), Field.select("area")
        )


class ExchangeFilter(FilterSet):
    """Entries of one skill or asset, offers or needs only, and of organisations serving a
    place (or anywhere inside it)."""

    skill = ChoiceFilter(label=_("Skill or asset"), field_name="term__slug", empty_label=_("All skills and assets"))
    direction = ChoiceFilter(
        label=_("Offers or needs"),
        choices=ExchangeDirection.choices,
        empty_label=_("Both"),
        widget=forms.RadioSelect,
    )
    area = ChoiceFilter(label=_("Area"), method="filter_area", empty_label=_("All areas"))

    class Meta:
        model = ExchangeEntry
        fields: list[str] = []
        form = ExchangeFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["skill"].extra["choices"] = skill_choices()
        self.filters["area"].extra["choices"] = area_choices()
        for name in ("skill", "direction", "area"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")
        # "Both" as a radio of its own, with the empty value, so the choice can be undone.
        self.form.fields["direction"].choices = [("", _("Both")), *ExchangeDirection.choices]

    def filter_area(self, queryset: ExchangeEntryQuerySet, name: str, value: str) -> ExchangeEntryQuerySet:
        locality = Locality.objects.filter(slug=value).first()
        if locality is None:
            return queryset.none()
        serving = Organisation.localities.through.objects.filter(
            organisation=OuterRef("organisation"), locality__in=Locality.objects.subtree(locality)
        )
        return queryset.filter(Exists(serving))


QUIET_CHOICES = [("yes", _("Only quiet groups")), ("no", _("Only groups in touch"))]


class OutreachFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_helper(
            Field.select("status"), Field.radios("quiet", legend_size=Size.SMALL, small=True), Field.select("area")
        )


class OutreachFilter(FilterSet):
    """The outreach list by outreach status, quiet or not, and area (the groups serving a place
    or anywhere inside it): ``/network/outreach/?status=not_contacted&quiet=yes&area=dewsbury``."""

    status = ChoiceFilter(
        label=_("Outreach status"),
        field_name="outreach_status",
        choices=OutreachStatus.choices,
        empty_label=_("Any status"),
    )
    quiet = ChoiceFilter(
        label=_("Quiet groups"),
        method="filter_quiet",
        choices=QUIET_CHOICES,
        empty_label=_("All groups"),
        widget=forms.RadioSelect,
    )
    area = ChoiceFilter(label=_("Area"), method="filter_area", empty_label=_("All areas"))

    class Meta:
        model = Organisation
        fields: list[str] = []
        form = OutreachFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["area"].extra["choices"] = area_choices()
        for name in ("status", "quiet", "area"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")
        self.form.fields["quiet"].choices = [
            ("", _("All groups")),
            ("yes", _("Only quiet groups")),
            ("no", _("Only groups in touch")),
        ]

    def filter_quiet(self, queryset, name: str, value: str):
        return queryset.filter(is_quiet=value == "yes")

    def filter_area(self, queryset, name: str, value: str):
        locality = Locality.objects.filter(slug=value).first()
        if locality is None:
            return queryset.none()
        return queryset.serving(locality)


class GovukDateFilter(Filter):
    """A date typed in the GOV.UK date input's three boxes (``core.forms.GovukDateField``)."""

    field_class = GovukDateField


class EngagementFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_helper(
            Field.select("kind"), Field.select("organisation"), Field("date_from"), Field("date_to")
        )

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The “to” date must be the same as or after the “from” date"))
        return cleaned_data


class EngagementFilter(FilterSet):
    """The engagement log by kind of contact, organisation involved, and a range of dates (each
    end included): ``/network/engagements/?kind=advice&organisation=12&date_from_0=1&...``.
    ``log`` is the log being filtered: its organisations are the organisation filter's choices."""

    kind = ChoiceFilter(label=_("Kind of contact"), choices=EngagementKind.choices, empty_label=_("Any kind"))
    organisation = ChoiceFilter(
        label=_("Organisation"), method="filter_organisation", empty_label=_("Any organisation")
    )
    date_from = GovukDateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte", help_text=_("For example, 1 4 2026")
    )
    date_to = GovukDateFilter(
        label=_("To"), field_name="occurred_on", lookup_expr="lte", help_text=_("For example, 31 3 2027")
    )

    class Meta:
        model = Engagement
        fields: list[str] = []
        form = EngagementFilterForm

    def __init__(self, data=None, *args, log=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        involved = Organisation.objects.filter(engagements__in=(log if log is not None else self.queryset).values("pk"))
        self.filters["organisation"].extra["choices"] = [
            (str(pk), name) for pk, name in involved.distinct().order_by("name").values_list("pk", "name")
        ]
        for name in ("kind", "organisation"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")

    def filter_organisation(self, queryset, name: str, value: str):
        return queryset.filter(organisations=int(value))


class RelationshipFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_helper(Field.radios("status", legend_size=Size.SMALL, small=True), Field.select("kind"))


class RelationshipFilter(FilterSet):
    """An anchor's support relationships by status today (from their dates, through
    ``SupportRelationshipQuerySet.active`` / ``upcoming`` / ``ended``) and kind of support:
    ``/network/relationships/?status=active&kind=training``."""

    status = ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=RelationshipStatus.choices,
        empty_label=_("Any status"),
        widget=forms.RadioSelect,
    )
    kind = ChoiceFilter(label=_("Kind of support"), choices=SupportKind.choices, empty_label=_("Any kind"))

    class Meta:
        model = SupportRelationship
        fields: list[str] = []
        form = RelationshipFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for name in ("status", "kind"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")
        self.form.fields["status"].choices = [("", _("Any status")), *RelationshipStatus.choices]

    def filter_status(self, queryset, name: str, value: str):
        by_status = {
            RelationshipStatus.ACTIVE: queryset.active,
            RelationshipStatus.UPCOMING: queryset.upcoming,
            RelationshipStatus.ENDED: queryset.ended,
        }
        return by_status[RelationshipStatus(value)]()
