"""``/dashboard/returns/``: the quarterly contract returns (issue 14). A network's return for a
closed quarter is submitted from the dashboard and frozen (``portal.models.SubmittedReturn``);
its page sets the figures as submitted beside today's for the same network and quarter, and
its downloads give the bytes that were submitted.

Officers report for every network, a network coordinator's editors for their network
(``portal.permissions.networks_returning_for``); anyone else signed in gets 403, as on the
dashboard, and a return outside a person's networks answers 404 like a missing one.
"""

from __future__ import annotations

import itertools

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View

from .dashboard_views import file_response
from .models import SubmittedReturn
from .periods import Period, quarter_choices
from .permissions import networks_returning_for
from .selectors import return_comparison_today, return_list_visible_to
from .services import return_submit


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("portal:home")),
        (_("Your account"), reverse("portal:account")),
        (_("Monitoring dashboard"), reverse("portal:dashboard")),
        *extra,
    ]


def closed_quarter_choices() -> list[tuple[str, str]]:
    """The contract quarters of the last five years that have ended, newest first."""
    today = timezone.localdate()
    return [(code, label) for code, label in quarter_choices() if Period.from_code(code).end < today]


class ReturnsMixin(LoginRequiredMixin):
    """Signed-in people who report for a network; 403 for the rest."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.networks = networks_returning_for(request.user).select_related("district").order_by("name")
        if not self.networks.exists():
            raise PermissionDenied(_("Quarterly returns are for council officers and network coordinators."))
        return super().dispatch(request, *args, **kwargs)


class ReturnListView(ReturnsMixin, ListView):
    """``/dashboard/returns/``: every return the person may read, by network, newest quarter
    first, replaced ones marked. Two queries, however many returns."""

    template_name = "portal/returns/return_list.html"
    context_object_name = "returns"

    def get_queryset(self):
        return return_list_visible_to(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["by_network"] = [
            (network, list(returns))
            for network, returns in itertools.groupby(context["returns"], key=lambda item: item.network)
        ]
        context["breadcrumbs"] = _crumbs()
        return context


class ReturnSubmitForm(forms.Form):
    """Which network's return, for which ended quarter; the quarter's current return as the
    person saw it (hidden); and why, when it replaces one already submitted."""

    network = forms.ChoiceField(label=gettext_lazy("Network"))
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))
    expected_current = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why does this return replace the one already submitted?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.networks = {network.slug: network for network in networks}
        self.fields["network"].choices = [(slug, network.name) for slug, network in self.networks.items()]
        self.fields["quarter"].choices = closed_quarter_choices()
        for name in ("network", "quarter"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")
        self.fields["network"].error_messages["required"] = _("Choose a network")
        self.fields["quarter"].error_messages["required"] = _("Choose a quarter that has ended")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("network"), Field.select("quarter"), "expected_current")

    def clean_expected_current(self) -> int | None:
        # Anything but an id counts as "none seen": if the quarter has a return, the service
        # then refuses and the page shows it, so nothing is replaced unseen.
        value = self.cleaned_data["expected_current"]
        return int(value) if value.isdigit() else None

    def show_reason(self, replacing: bool) -> None:
        """Ask why only when the quarter already has a return."""
        fields = [Field.select("network"), Field.select("quarter"), "expected_current"]
        if replacing:
            fields.append(Field.textarea("reason"))
        self.helper.layout = Layout(*fields)

    def clean(self):
        data = super().clean()
        if data.get("network"):
            data["network"] = self.networks[data["network"]]
        if data.get("quarter"):
            data["period"] = Period.from_code(data["quarter"])
        return data


class ReturnSubmitView(ReturnsMixin, FormView):
    """``/dashboard/returns/submit/?network=<slug>&quarter=<code>``: the return about to be
    submitted, and what it would replace. A quarter already submitted is replaced explicitly,
    with a reason, never overwritten; if someone submits it meanwhile, the page says so and
    shows their return before anything is saved."""

    template_name = "portal/returns/return_submit.html"
    form_class = ReturnSubmitForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._currents: dict[tuple[str, str], SubmittedReturn | None] = {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["networks"] = list(self.networks)
        if self.request.method == "GET" and self.request.GET:
            kwargs["data"] = self._initial_data()
        return kwargs

    def _initial_data(self) -> dict[str, str]:
        data = {key: self.request.GET.get(key, "") for key in ("network", "quarter")}
        current = self._current(data["network"], data["quarter"])
        data["expected_current"] = str(current.pk) if current else ""
        return data

    def _current(self, slug: str, code: str, *, again: bool = False) -> SubmittedReturn | None:
        """The current return of network ``slug`` (one of the person's) for quarter ``code``
        (one that has ended), with its submitter; None for no return or a choice not offered.
        Read once a request (the form's hidden field and the page both need it) unless
        ``again``: after a refusal, what someone else has just submitted."""
        if again or (slug, code) not in self._currents:
            self._currents[(slug, code)] = self._read_current(slug, code)
        return self._currents[(slug, code)]

    def _read_current(self, slug: str, code: str) -> SubmittedReturn | None:
        network = next((network for network in self.networks if network.slug == slug), None)
        if network is None or code not in dict(closed_quarter_choices()):
            return None
        period = Period.from_code(code)
        return (
            SubmittedReturn.objects.current()
            .for_quarter(network, period.start, period.end)
            .select_related("submitted_by")
            .first()
        )

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        # A link with a choice that is not offered shows its error, not a server error.
        status = 400 if form.is_bound and not form.is_valid() else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            submitted = return_submit(
                user=self.request.user,
                network=data["network"],
                period=data["period"],
                expected_current=data["expected_current"],
                reason=data["reason"],
            )
        except ValidationError as error:
            field = "reason" if error.code == "reason" else None
            form.add_error(field, error)
            if error.code == "stale":
                # Show the return now current, and take it as seen: submitting again is then a
                # deliberate replacement (with a reason), never a silent one.
                current = self._current(data["network"].slug, data["quarter"], again=True)
                form.data = form.data.copy()
                form.data["expected_current"] = str(current.pk) if current else ""
            return self.form_invalid(form)
        messages.success(
            self.request, _("The return for %(period)s is submitted.") % {"period": submitted.period_label}
        )
        return redirect(submitted)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        current = None
        if form.is_bound:
            current = self._current(form.data.get("network", ""), form.data.get("quarter", ""))
        form.show_reason(current is not None)
        context.update(current=current, breadcrumbs=_crumbs((_("Quarterly returns"), reverse("portal:return_list"))))
        return context


class ReturnDetailView(ReturnsMixin, DetailView):
    """``/dashboard/returns/<id>/``: a submitted return's figures beside today's for the same
    network and quarter, what changed marked (figure, then, now, difference), or "No changes
    since submission"; its downloads; the submission it replaced and the one replacing it."""

    template_name = "portal/returns/return_detail.html"
    context_object_name = "submitted"

    def get_object(self, queryset=None):
        try:
            return (
                SubmittedReturn.objects.visible_to(self.request.user)
                .summaries(rows=True)
                .select_related("network__district", "submitted_by")
                .get(pk=self.kwargs["pk"])
            )
        except SubmittedReturn.DoesNotExist:
            raise Http404(_("No return found")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparison = return_comparison_today(self.object)
        context.update(
            comparison=comparison,
            changes=[row for row in comparison if row.changed],
            breadcrumbs=_crumbs((_("Quarterly returns"), reverse("portal:return_list"))),
        )
        return context


class ReturnDownloadView(ReturnsMixin, View):
    """``/dashboard/returns/<id>/return.csv`` and ``.xlsx``: the file exactly as submitted."""

    file_format = "csv"

    def get(self, request, pk: int):
        submitted = (
            SubmittedReturn.objects.visible_to(request.user)
            .only("network__slug", "period_start", "period_end", f"{self.file_format}_file")
            .select_related("network")
            .filter(pk=pk)
            .first()
        )
        if submitted is None:
            raise Http404(_("No return found"))
        content = bytes(getattr(submitted, f"{self.file_format}_file"))
        name = (
            f"anchornet-return-{submitted.network.slug}-{submitted.period_start:%Y%m%d}-{submitted.period_end:%Y%m%d}"
        )
        return file_response(content, name=name, file_format=self.file_format)
