"""``/dashboard/records/<kind>/``: the read-only list of the records behind one figure of the
dashboard (issue 14, "drill down"), for everyone who may see the dashboard.

The query string is the dashboard's own (``place`` and the period, read by ``DashboardForm``,
so a place the person may not choose is refused as on the dashboard) plus ``figure`` and, for
a ward's or an area's row, ``within`` (``portal.drill``'s FilterSets). Answers: 404 for an
unknown kind or a place outside the person's patch (ADR 0005: not data, and not a hint that it
exists); 400 with the mistakes in words for any other bad value, ``page`` included; 403 for
someone with no patch; signed-out people are sent to sign in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .dashboard import place_label
from .dashboard_views import DashboardForm, DashboardMixin, _first_choice
from .drill import RECORD_KINDS, Scope, period_query
from .periods import Period

# The list's own keys: without any other, the list is of the dashboard's default scope and period.
LIST_KEYS = {"figure", "within", "page"}


class DashboardRecordsView(DashboardMixin, TemplateView):
    """The records behind a figure: the count in the heading is the figure; the table lists,
    50 a page, those the person may open (``visible_to``), and says how many it leaves out.
    A fixed number of queries whatever the number of records."""

    template_name = "portal/dashboard/records.html"
    paginate_by = 50

    def get_form(self) -> DashboardForm:
        data = self.request.GET
        if not data.keys() - LIST_KEYS:
            current = Period.current_quarter()
            data = {
                "place": _first_choice(self.places),
                "period": "quarter",
                "quarter": current.code,
                **{key: data[key] for key in data.keys() & LIST_KEYS},
            }
        return DashboardForm(data, places=self.places)

    def get(self, request, *args, kind: str, **kwargs):
        record_filter = RECORD_KINDS.get(kind)
        if record_filter is None:
            raise Http404(_("There is no such list of records."))
        repeated = [key for key in sorted(LIST_KEYS) if len(request.GET.getlist(key)) > 1]
        if repeated:
            return self.problem(
                [
                    _("The address names more than one %(key)s: follow a figure’s link from the dashboard.")
                    % {"key": key}
                    for key in repeated
                ]
            )
        form = self.get_form()
        problems: list[str] = []
        if not form.is_valid():
            # A place the person may not choose is not found; one named twice is a mistake to say.
            if form.has_error("place") and not form.has_error("place", "repeated") and form.data.get("place"):
                raise Http404(_("That place is not one whose dashboard you may see."))
            problems = [str(message) for messages in form.errors.values() for message in messages]
            return self.problem(problems)
        scope = Scope(place=form.cleaned_data["place"], period=form.cleaned_data["period"])
        data = form.data.copy() if hasattr(form.data, "copy") else dict(form.data)
        data.setdefault("figure", record_filter.figures[0][0])
        records = record_filter(data, scope=scope)
        if not records.is_valid():
            problems = [str(message) for messages in records.form.errors.values() for message in messages]
            return self.problem(problems, scope=scope)

        total = records.qs.count()
        paginator = Paginator(records.visible(request.user), self.paginate_by)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage:
            return self.problem(
                [_("That page number is not one of this list’s pages: go back to the first page.")], scope=scope
            )
        within = records.form.cleaned_data.get("within")
        within_name = dict(scope.within_choices).get(within, "") if within else ""
        return self.render_to_response(
            self.get_context_data(
                kind=kind,
                records=records.rows(list(page.object_list)),
                page_obj=page,
                paginator=paginator,
                total=total,
                hidden=total - paginator.count,
                noun=records.noun,
                title=records.figure_label,
                scope_label=within_name or place_label(scope.place, scope.network),
                period=scope.period,
                row_template=f"portal/dashboard/records/_{kind.replace('-', '_')}.html",
                breadcrumbs=self._breadcrumbs(scope),
            )
        )

    def problem(self, problems: list[str], *, scope: Scope | None = None):
        """The page for a bad query string: what is wrong, in words, and the way back (400)."""
        context = self.get_context_data(problems=problems, breadcrumbs=self._breadcrumbs(scope))
        return self.render_to_response(context, status=400)

    def _breadcrumbs(self, scope: Scope | None) -> list[tuple[str, str]]:
        dashboard = reverse("portal:dashboard")
        if scope is not None:
            dashboard += "?" + urlencode({"place": scope.place.slug, **period_query(scope.period)})
        return [
            (_("Home"), reverse("portal:home")),
            (_("Your account"), reverse("portal:account")),
            (_("Monitoring dashboard"), dashboard),
        ]
