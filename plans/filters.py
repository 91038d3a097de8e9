"""Filters for the public list of plans, carried in the query string so a filtered list can be
bookmarked and shared: ``/plans/?area=batley-and-spen&theme=food-support``."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, FilterSet

from localities.models import Locality
from organisations.filters import area_choices
from organisations.models import TaxonomyTerm

from .models import LocalityPlan, LocalityPlanQuerySet, PlanItem


def theme_choices() -> list[tuple[str, str]]:
    return list(TaxonomyTerm.objects.services().order_by("name").values_list("slug", "name"))


class PlanFilterForm(forms.Form):
    """The filter form, laid out with GOV.UK Design System components."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.select("area"), Field.select("theme"))


class PlanFilter(FilterSet):
    """Published plans for a place (or anywhere inside it) and/or with an item on a theme."""

    area = ChoiceFilter(label=_("Area"), method="filter_area", empty_label=_("All areas"))
    theme = ChoiceFilter(label=_("Theme"), method="filter_theme", empty_label=_("All themes"))

    class Meta:
        model = LocalityPlan
        fields: list[str] = []
        form = PlanFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # One query per list, per request: choices come from the database and must not go stale.
        self.filters["area"].extra["choices"] = area_choices()
        self.filters["theme"].extra["choices"] = theme_choices()
        for name in ("area", "theme"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")

    def filter_area(self, queryset: LocalityPlanQuerySet, name: str, value: str) -> LocalityPlanQuerySet:
        locality = Locality.objects.filter(slug=value).first()
        self.area = locality
        return queryset.in_area(locality) if locality else queryset.none()

    def filter_theme(self, queryset: LocalityPlanQuerySet, name: str, value: str) -> LocalityPlanQuerySet:
        on_theme = PlanItem.themes.through.objects.filter(planitem__plan=OuterRef("pk"), taxonomyterm__slug=value)
        return queryset.filter(Exists(on_theme))

    def chosen_area(self) -> Locality | None:
        """The area chosen, once the filter has run (for "plans covering the wider area")."""
        return getattr(self, "area", None)
