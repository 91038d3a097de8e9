"""``/dashboard/``: the officers' monitoring dashboard (issue 14), and its CSV and XLSX
downloads of exactly what the page shows.

Who may open it follows ADR 0005 (``portal.dashboard.scope_choices``): officers, a network
coordinator's editors and an anchor's editors; anyone else signed in gets 403, as on the other
members' pages (``meetings:actions``); signed-out people are sent to sign in.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from openpyxl import Workbook

from core.exports import spreadsheet_safe
from core.forms import GovukDateField, error_links
from core.permissions import is_officer
from localities.models import Locality

from .dashboard import Dashboard, build_dashboard, dashboard_charts, scope_choices
from .periods import Period, quarter_choices, year_choices
from .permissions import may_submit_return

PERIOD_KINDS = [
    ("quarter", _("A quarter of the financial year")),
    ("year", _("A financial year (1 April to 31 March)")),
    ("custom", _("Dates you choose")),
]
# A custom period longer than this is refused: the figures would mean little, and the query
# has no reason to scan decades.
LONGEST_CUSTOM_DAYS = 5 * 366


class DashboardForm(forms.Form):
    """What the dashboard shows: a place (a whole network, an area or a ward) and a period.
    ``clean`` gives ``place`` (a ``Locality``) and ``period`` (a ``Period``)."""

    place = forms.ChoiceField(label=_("Network, area or ward"))
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, widget=forms.RadioSelect)
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    year = forms.ChoiceField(label=_("Financial year"), required=False)
    start = GovukDateField(label=_("From"), first_year=2000)
    end = GovukDateField(label=_("To"), first_year=2000)

    def __init__(self, *args, places: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        self.fields["quarter"].choices = quarter_choices()
        self.fields["year"].choices = year_choices()
        for name in ("place", "period", "quarter", "year"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")
        self.fields["place"].error_messages["required"] = _("Choose a network, area or ward.")
        self.fields["period"].error_messages["required"] = _("Choose a quarter, a financial year or your own dates.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("place"),
            Field.radios("period", legend_size=Size.SMALL, small=True),
            Field.select("quarter"),
            Field.select("year"),
            Fieldset(
                Field("start"),
                Field("end"),
                legend=_("Your own dates (when you choose them above)"),
                legend_size=Size.SMALL,
            ),
        )

    # A choice named twice in the address (``?place=a&place=b``): which one the figures are
    # for would be a guess (Django takes the last), so it is refused by name instead.
    REPEATED = {
        "place": _("Choose one network, area or ward: the address names more than one."),
        "period": _("Choose one kind of period: the address names more than one."),
        "quarter": _("Choose one quarter: the address names more than one."),
        "year": _("Choose one financial year: the address names more than one."),
    }

    def clean(self):
        data = super().clean()
        getlist = getattr(self.data, "getlist", None)  # a QueryDict; a plain dict names each once
        for name, message in self.REPEATED.items():
            if getlist is not None and len(getlist(name)) > 1:
                self.add_error(name, forms.ValidationError(message, code="repeated"))
        kind = data.get("period")
        if kind == "quarter" and data.get("quarter"):
            data["period"] = Period.from_code(data["quarter"])
        elif kind == "year" and data.get("year"):
            data["period"] = Period.from_code(data["year"])
        elif kind == "custom":
            start, end = data.get("start"), data.get("end")
            if "start" in self.errors or "end" in self.errors:
                pass
            elif not start:
                self.add_error("start", _("Enter the first day of the period"))
            elif not end:
                self.add_error("end", _("Enter the last day of the period"))
            elif end < start:
                self.add_error("end", _("The last day must be the same as or after the first day"))
            elif (end - start).days > LONGEST_CUSTOM_DAYS:
                self.add_error("end", _("Choose a period of 5 years or less"))
            else:
                data["period"] = Period.custom(start, end)
        elif kind == "quarter":
            self.add_error("quarter", _("Choose a quarter"))
        elif kind == "year":
            self.add_error("year", _("Choose a financial year"))
        if data.get("place"):
            data["place"] = Locality.objects.filter(slug=data["place"]).first()
            if data["place"] is None:  # ended between the choices and now
                self.add_error("place", _("Choose an option from the list."))
        return data


def _first_choice(places: list) -> str:
    return places[0][1][0][0] if places and places[0][1] else ""


class DashboardMixin(LoginRequiredMixin):
    """Reads the form from the query string; ``dashboard`` is None when it has errors."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.places = scope_choices(request.user)
        if not self.places:
            raise PermissionDenied(
                _("The dashboard is for council officers, network coordinators, anchors and ward councillors.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form(self) -> DashboardForm:
        data = self.request.GET
        if not data.keys() - {"page"}:
            current = Period.current_quarter()
            data = {"place": _first_choice(self.places), "period": "quarter", "quarter": current.code}
        return DashboardForm(data, places=self.places)

    def get_dashboard(self, form: DashboardForm) -> Dashboard | None:
        if not form.is_valid():
            return None
        return build_dashboard(
            user=self.request.user,
            place=form.cleaned_data["place"],
            period=form.cleaned_data["period"],
            officer=is_officer(self.request.user),
        )


class DashboardView(DashboardMixin, TemplateView):
    """``/dashboard/``: the figures for a network, area or ward over a quarter, a financial
    year or chosen dates, each linking to the records behind it, with coverage by ward, areas
    side by side and the downloads. A bad choice in the query string shows the form's errors
    (status 400), never a server error."""

    template_name = "portal/dashboard/dashboard.html"

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        dashboard = self.get_dashboard(form)
        context = self.get_context_data(
            form=form,
            dashboard=dashboard,
            charts=dashboard_charts(dashboard) if dashboard is not None else None,
            query=request.GET.urlencode() or _default_query(form),
            submit_return_url=_submit_return_url(request.user, dashboard),
            breadcrumbs=[(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))],
        )
        return self.render_to_response(context, status=200 if dashboard is not None else 400)


class DashboardPrintView(DashboardView):
    """``/dashboard/print/``: the same figures, pictures and tables for the same query string,
    laid out for paper (the contract meeting): no choices, no JavaScript, each section on a
    fresh page when printed."""

    template_name = "portal/dashboard/dashboard_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The paper has no form: its error summary links to each mistake on the dashboard.
        context["error_links"] = error_links(context["form"])
        return context


def _submit_return_url(user, dashboard: Dashboard | None) -> str:
    """Where to submit the return the dashboard shows, when it is one: a whole network, a
    contract quarter that has ended, and ``user`` reports for that network. Else ""."""
    if dashboard is None or dashboard.network is None or not dashboard.period.has_ended_quarter:
        return ""
    if not may_submit_return(user, dashboard.network):
        return ""
    query = urlencode({"network": dashboard.network.slug, "quarter": dashboard.period.code})
    return f"{reverse('portal:return_submit')}?{query}"


def _default_query(form: DashboardForm) -> str:
    return urlencode(form.data)


# ------------------------------------------------------------------------------------------
# Downloads: the same rows as the page
# ------------------------------------------------------------------------------------------
def dashboard_rows(dashboard: Dashboard) -> list[list]:
    """The page as rows of cells, top to bottom: the title, the scope and period, then each
    card's figures, coverage by ward, areas side by side, and the lists. What the CSV and
    XLSX downloads hold, cell for cell."""
    period = dashboard.period
    rows: list[list] = [
        [str(_("AnchorNet monitoring dashboard"))],
        [str(_("Network, area or ward")), dashboard.scope_label],
        [str(_("Period")), period.label],
        [str(_("From")), period.start.isoformat()],
        [str(_("To")), period.end.isoformat()],
        [str(_("Statuses as on")), dashboard.as_of.isoformat()],
        [],
    ]
    for group in dashboard.groups:
        rows.append([group.title])
        rows.extend([label, value] for label, value in group.rows)
        rows.append([])
    rows.append([str(_("Coverage by ward"))])
    rows.append([str(header) for header in WARD_HEADERS])
    rows.extend(_place_cells(row) for row in dashboard.wards)
    rows.append([])
    if dashboard.areas:
        rows.append([str(_("Areas side by side"))])
        rows.append([str(header) for header in AREA_HEADERS])
        rows.extend([*_area_cells(row)] for row in dashboard.areas)
        median = dashboard.area_median
        rows.append([str(_("Median of the areas")), *(_number(median[column]) for column in MEDIAN_ORDER), ""])
        rows.append([])
    rows.append([str(_("Wards with no anchor serving them"))])
    rows.extend([ward.name] for ward in dashboard.wards_without_anchor)
    rows.append([])
    rows.append([str(_("Wards with no engagement in the period"))])
    rows.extend([ward.name] for ward in dashboard.wards_without_engagement)
    rows.append([])
    rows.append([str(_("Groups supported by nobody")), dashboard.unsupported_count])
    rows.extend([group.name] for group in dashboard.unsupported_groups)
    rows.append([])
    rows.append([str(WAITING_LONGEST)])
    rows.extend([request.reference, request.received_on.isoformat()] for request in dashboard.waiting_longest)
    return [[spreadsheet_safe(cell) for cell in row] for row in rows]


# The requests open *today* that the person looking may open (``Dashboard.waiting_longest``):
# a work list, not a figure of the period, so a return's comparison leaves it out
# (``portal.selectors.return_comparison``).
WAITING_LONGEST = _("Requests waiting longest")
WARD_HEADERS = (
    _("Ward"),
    _("Groups known"),
    _("Groups engaged"),
    _("Share engaged (%)"),
    _("Engagements"),
    _("Engagements per 1,000 residents"),
    _("Days since last contact"),
    _("Anchors serving"),
    _("Quiet groups"),
    _("Reasons recorded for quiet groups"),
)
AREA_HEADERS = (
    _("Area"),
    _("Groups known"),
    _("Groups engaged"),
    _("Share engaged (%)"),
    _("Engagements"),
    _("Engagements per 1,000 residents"),
    _("Quiet groups"),
    _("Quieter than most"),
)
MEDIAN_ORDER = ("groups_known", "groups_engaged", "share_engaged", "engagements", "per_thousand", "quiet")


def _number(value):
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else round(value, 1)


def _reasons(row) -> str:
    return "; ".join(f"{label}: {count}" for label, count in row.quiet_reasons)


def _shared_cells(row) -> list:
    """The columns wards and areas share, in the tables' order."""
    return [
        row.locality.name,
        row.groups_known,
        row.groups_engaged,
        _number(row.share_engaged),
        row.engagements,
        _number(row.per_thousand),
    ]


def _place_cells(row) -> list:
    return [*_shared_cells(row), _number(row.days_since_contact), row.anchors, row.quiet, _reasons(row)]


def _area_cells(row) -> list:
    return [*_shared_cells(row), row.quiet, str(_("Yes")) if row.below_median else ""]


class DashboardDownloadView(DashboardMixin, TemplateView):
    """``/dashboard/download.csv`` and ``.xlsx``: ``dashboard_rows`` for the same query
    string as the page. Bad choices answer 400 with the page and its errors."""

    file_format = "csv"
    template_name = "portal/dashboard/dashboard.html"

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        dashboard = self.get_dashboard(form)
        if dashboard is None:
            return DashboardView.as_view()(request)
        rows = dashboard_rows(dashboard)
        name = (
            f"anchornet-dashboard-{dashboard.place.slug}-{dashboard.period.start:%Y%m%d}-{dashboard.period.end:%Y%m%d}"
        )
        return rows_download(rows, name=name, file_format=self.file_format)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_csv(rows: list[list]) -> bytes:
    """``rows`` as a CSV file, UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def rows_xlsx(rows: list[list]) -> bytes:
    """``rows`` as an XLSX workbook of one sheet. The workbook records when it was made, so the
    same rows give other bytes a second later: a submitted return keeps the bytes it served."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Dashboard"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content: bytes, *, name: str, file_format: str) -> HttpResponse:
    """A download of ``content`` named ``name.<file_format>`` (``"csv"`` or ``"xlsx"``)."""
    content_type = XLSX_CONTENT_TYPE if file_format == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def rows_download(rows: list[list], *, name: str, file_format: str) -> HttpResponse:
    return file_response(
        rows_xlsx(rows) if file_format == "xlsx" else rows_csv(rows), name=name, file_format=file_format
    )
