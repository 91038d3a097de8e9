"""The skills and assets exchange's pages, for signed-in people (anyone signed out is sent to
sign in): the list of offers and needs, the needs someone could meet, adding and changing an
offer or need, and accepting a match.

What each page shows comes from ``ExchangeEntry.objects.visible_to(user)`` and
``.editable_by(user)``: an entry outside them answers 404, as one that does not exist, so a
member of another network learns nothing of it. Every write goes through
``engagement.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core.concurrency import VERSION_FIELD, EditConflict, accept_current_versions
from core.forms import error_links, exception_messages, is_storable_id
from core.permissions import is_officer
from core.views import ForgivingPaginationMixin, ShortQueryStringMixin

from .filters import ExchangeFilter
from .forms import ExchangeAcceptForm, ExchangeEntryForm
from .models import ExchangeEntry
from .permissions import exchange_organisations_for, organisations_able_to_meet
from .selectors import exchange_list, exchange_matches
from .services import (
    exchange_entry_create,
    exchange_entry_update,
    exchange_match_accept,
    exchange_need_closed_message,
)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account")), *more]


def _exchange_crumb() -> tuple[str, str]:
    return (_("Skills and assets exchange"), reverse("engagement:exchange"))


class _ExchangeListMixin(LoginRequiredMixin, ForgivingPaginationMixin):
    paginate_by = settings.DIRECTORY_PAGE_SIZE
    context_object_name = "entries"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisations = exchange_organisations_for(user)
        # One query: the organisations the person speaks for (an officer, for all of them), so
        # each entry on the page knows whether to offer a link to change it.
        own = None if is_officer(user) else set(organisations.values_list("pk", flat=True))
        for entry in context["object_list"]:
            entry.may_edit = own is None or entry.organisation_id in own
        context.update(may_add=own is None or bool(own), nav_section="account")
        return context


class ExchangeListView(ShortQueryStringMixin, _ExchangeListMixin, ListView):
    """``/network/exchange/``: the current offers and needs of the person's networks, those
    near their organisations first, filterable by skill or asset, offer or need, and area; 20 to
    a page, in a fixed number of queries."""

    template_name = "engagement/exchange_list.html"

    def get_queryset(self):
        self.filterset = ExchangeFilter(self.request.GET or None, queryset=exchange_list(user=self.request.user))
        if self.filterset.is_bound and not self.filterset.is_valid():
            return ExchangeEntry.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset,
            form=self.filterset.form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class ExchangeMatchView(_ExchangeListMixin, ListView):
    """``/network/exchange/matches/``: "needs in my area that I could meet" (``exchange_matches``),
    each with a link to accept it; 20 to a page, in a fixed number of queries."""

    template_name = "engagement/exchange_matches.html"

    def get_queryset(self):
        return exchange_matches(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=_crumbs(_exchange_crumb()), **kwargs)


def _entry_or_404(queryset, pk: str) -> ExchangeEntry:
    """The entry ``pk`` in ``queryset``; 404 otherwise, also for an id no database can hold."""
    if not is_storable_id(pk):
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def _not_allowed(request):
    """The page for someone who speaks for no organisation: they cannot add or accept (403)."""
    return render(
        request,
        "engagement/exchange_not_allowed.html",
        {"breadcrumbs": _crumbs(_exchange_crumb())},
        status=403,
    )


class ExchangeCreateView(LoginRequiredMixin, TemplateView):
    """``/network/exchange/new/``: add an offer or need for an organisation the person speaks
    for (``exchange_organisations_for``); anyone who speaks for none is told why (403)."""

    template_name = "engagement/exchange_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisations = exchange_organisations_for(request.user)
            if not self.organisations.exists():
                return _not_allowed(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ExchangeEntryForm(organisations=self.organisations)
        return super().get_context_data(
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            breadcrumbs=_crumbs(_exchange_crumb()),
            nav_section="account",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ExchangeEntryForm(request.POST, organisations=self.organisations)
        if form.is_valid():
            try:
                exchange_entry_create(
                    user=request.user, organisation=form.cleaned_data["organisation"], **form.values()
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, exception_messages(exc, default=_("You cannot add this.")))
            else:
                messages.success(request, _("Added to the exchange. Members of your network can see it now."))
                return redirect("engagement:exchange")
        return self.render_to_response(self.get_context_data(form=form))


class ExchangeUpdateView(LoginRequiredMixin, TemplateView):
    """``/network/exchange/<id>/edit/``: change an offer or need the person may change, or say
    it is no longer current. Any other entry answers 404."""

    template_name = "engagement/exchange_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            entries = ExchangeEntry.objects.editable_by(request.user).select_related("organisation", "met_by")
            self.entry = _entry_or_404(entries, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ExchangeEntryForm(instance=self.entry)
        return super().get_context_data(
            entry=self.entry,
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            breadcrumbs=_crumbs(_exchange_crumb()),
            nav_section="account",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ExchangeEntryForm(request.POST, instance=self.entry)
        if form.is_valid():
            try:
                exchange_entry_update(
                    entry=self.entry,
                    user=request.user,
                    values=form.values(),
                    still_current=form.cleaned_data["still_current"],
                    expected_version=form.cleaned_data.get(VERSION_FIELD),
                )
            except EditConflict as conflict:
                accept_current_versions(form, conflict)
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, exception_messages(exc, default=_("You cannot change this.")))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("engagement:exchange")
        # A rejected form was validated against the entry: show the entry as stored.
        self.entry.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form))


class ExchangeAcceptView(LoginRequiredMixin, TemplateView):
    """``/network/exchange/needs/<id>/accept/``: confirm that one of the person's organisations
    will meet a need, with an optional note; POST (with the CSRF token) logs the engagement and
    marks the need met (``exchange_match_accept``).

    A need the person may not see answers 404. One already met shows who met it, and accepting
    it again changes nothing and says so. Someone with no current offer of that skill or asset
    is told why (403).
    """

    template_name = "engagement/exchange_accept.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            needs = (
                ExchangeEntry.objects.visible_to(request.user).needs().select_related("organisation", "term", "met_by")
            )
            self.need = _entry_or_404(needs, kwargs["pk"])
            self.offerers = list(organisations_able_to_meet(request.user, self.need))
            if self.need.is_current and not self.offerers:
                return _not_allowed(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ExchangeAcceptForm(offerers=self.offerers)
        return super().get_context_data(
            need=self.need,
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            breadcrumbs=_crumbs(_exchange_crumb(), (_("Needs you could meet"), reverse("engagement:exchange_matches"))),
            nav_section="account",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.need.is_current:
            messages.error(request, exchange_need_closed_message(self.need))
            return redirect("engagement:exchange_accept", pk=self.need.pk)
        form = ExchangeAcceptForm(request.POST, offerers=self.offerers)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            exchange_match_accept(
                need=self.need, offerer=form.cleaned_data["offerer"], user=request.user, note=form.cleaned_data["note"]
            )
        except (PermissionDenied, ValidationError) as exc:
            for message in exception_messages(exc, default=_("You cannot accept this match.")):
                messages.error(request, message)
            return redirect("engagement:exchange_accept", pk=self.need.pk)
        messages.success(
            request,
            _("Match accepted: %(needer)s's need is marked as met, and the contact is on the engagement log.")
            % {"needer": self.need.organisation.name},
        )
        return redirect("engagement:exchange_matches")
