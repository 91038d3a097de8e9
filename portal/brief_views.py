"""``/dashboard/voices-brief/``: the residents' voices brief for the "top table" (issue 16), for
the same people, places and periods as the dashboard (``DashboardMixin``): the network's board
reads it for the whole network, a councillor for their wards."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from plans.selectors import plan_items_visible_to
from voices.brief import voices_brief

from .dashboard import place_label, scope_network
from .dashboard_views import DashboardMixin


class VoicesBriefView(DashboardMixin, TemplateView):
    """The themes residents raised most in the chosen place and period, up to three things they
    agreed may be quoted, and what was done (``voices.brief``). A bad choice in the query string
    shows the form's errors (status 400)."""

    template_name = "portal/dashboard/voices_brief.html"

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        brief = scope = None
        if form.is_valid():
            place, period = form.cleaned_data["place"], form.cleaned_data["period"]
            scope = place_label(place, scope_network(place))
            brief = voices_brief(
                place, start=period.start, end=period.end, items=plan_items_visible_to(user=request.user)
            )
        context = self.get_context_data(
            form=form,
            brief=brief,
            scope=scope,
            period=form.cleaned_data.get("period") if brief else None,
            query=request.GET.urlencode(),
            breadcrumbs=[
                (_("Home"), reverse("portal:home")),
                (_("Your account"), reverse("portal:account")),
                (_("Monitoring dashboard"), reverse("portal:dashboard")),
            ],
        )
        return self.render_to_response(context, status=200 if brief is not None else 400)
