"""The exchange's filters (django-filter), carried in the query string so a filtered list can
be bookmarked and shared: ``/network/exchange/?skill=minibus&direction=need&area=batley-and-spen``."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, FilterSet

from localities.models import Locality
from organisations.filters import area_choices
from organisations.models import Organisation, TaxonomyTerm

from .models import SKILLS_TAXONOMY, ExchangeDirection, ExchangeEntry, ExchangeEntryQuerySet


def skill_choices() -> list[tuple[str, str]]:
    return list(TaxonomyTerm.objects.in_taxonomy(SKILLS_TAXONOMY).order_by("name").values_list("slug", "name"))


class ExchangeFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
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
