"""Site-wide public pages: home and the accessibility statement."""

from __future__ import annotations

from django.views.generic import TemplateView

from localities.models import Locality, LocalityKind
from organisations.models import Organisation
from organisations.selectors import network_list_public


class HomeView(TemplateView):
    """``/``: what the networks are, a search box, and the districts and areas to browse."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = list(
            Locality.objects.current()
            .filter(kind__in=[LocalityKind.DISTRICT, LocalityKind.AREA])
            .in_tree_order()
        )
        for place in places:
            place.areas = [p for p in places if p.parent_id == place.pk]
        context.update(
            districts=[p for p in places if p.kind == LocalityKind.DISTRICT],
            networks=network_list_public(),
            organisation_count=Organisation.objects.published().count(),
        )
        return context


class AccessibilityStatementView(TemplateView):
    """``/accessibility/``: the accessibility statement the Public Sector Bodies (Websites and
    Mobile Applications) Accessibility Regulations 2018 require, in the GOV.UK sample format."""

    template_name = "core/accessibility.html"
