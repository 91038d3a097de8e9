"""Locality plans' reading pages, for residents and (for plans shared with them) councillors.

They show what ``LocalityPlan.objects.visible_to(user)`` allows; a plan outside it answers 404,
so nobody learns another organisation's draft exists. The editor is in ``editor_views``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from core.permissions import is_councillor
from core.views import ForgivingPaginationMixin, ShortQueryStringMixin
from localities.selectors import wards_represented_by

from .filters import PlanFilter
from .models import LocalityPlan
from .permissions import can_edit_plan, can_manage_plan, can_propose_items, can_read_as_shared
from .selectors import (
    plan_changes_since_shared,
    plan_councillor_readers,
    plan_current_replacement,
    plan_detail,
    plan_discussion_summary,
    plan_history,
    plan_list_public,
    plan_list_shared_with,
    plan_sections,
    plan_share_for,
    plan_themes_visible_to,
    plans_covering,
    shared_sections,
)
from .services import plan_opening_record


def home_crumb() -> tuple[str, str]:
    return (_("Home"), reverse("portal:home"))


def plans_crumb() -> tuple[str, str]:
    return (_("Locality plans"), reverse("plans:list"))


def plan_lookup(queryset, key: str) -> LocalityPlan:
    """The plan in ``queryset`` whose slug, or UUID, is ``key``; 404 otherwise."""
    try:
        lookup = {"uuid": uuid.UUID(key)}
    except ValueError:
        lookup = {"slug": key}
    try:
        return queryset.get(**lookup)
    except LocalityPlan.DoesNotExist:
        raise Http404(_("No plan found")) from None


# ------------------------------------------------------------------------------
# Public pages
# ------------------------------------------------------------------------------
class PlanListView(ShortQueryStringMixin, ForgivingPaginationMixin, ListView):
    """``/plans/``: published plans, newest first, filterable by area (and the places inside
    it) and theme through the query string, 20 to a page. A constant number of queries however
    many plans and items there are."""

    template_name = "plans/plan_list.html"
    context_object_name = "plans"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        self.filterset = PlanFilter(self.request.GET or None, queryset=plan_list_public())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return LocalityPlan.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.filterset.chosen_area()
        context.update(
            filterset=self.filterset,
            form=self.filterset.form,
            area=area,
            covering_plans=list(plans_covering(area)) if area else [],
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            nav_section="plans",
            breadcrumbs=[home_crumb()],
        )
        return context


class PlanThemesView(TemplateView):
    """``/plans/themes/``: the priorities and concerns of every locality plan the reader may
    see (``LocalityPlan.objects.visible_to``), by theme and place, the themes raised in the
    most places first, so that a concern heard in many places stands out. Each item links to
    it in its plan. Two queries, however many plans."""

    template_name = "plans/plan_themes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        themes = plan_themes_visible_to(user=self.request.user)
        context.update(
            themes=themes,
            themed=[theme for theme in themes if theme.term is not None],
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb()],
        )
        return context


class PlanDetailView(DetailView):
    """``/plans/<slug or uuid>/``: the summary, then priorities, concerns, opportunities and
    connections in order, with themes, the (published) organisations named, the evidence, and
    the references. A superseded plan says so and points to the current one."""

    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        self.visible = LocalityPlan.objects.visible_to(self.request.user)
        return plan_lookup(plan_detail(self.visible), self.kwargs["key"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        sections, plan_references = plan_sections(plan)
        themes = {}
        for section in sections:
            for item in section.items:
                for theme in item.themes.all():
                    themes[theme.pk] = theme
        context.update(
            sections=sections,
            plan_references=plan_references,
            themes=sorted(themes.values(), key=lambda term: term.name),
            replacement=plan_current_replacement(plan),
            history=plan_history(plan, visible=self.visible),
            can_edit=can_edit_plan(self.request.user, plan),
            can_propose=can_propose_items(self.request.user, plan),
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb()],
            **sharing_context(self.request.user, plan),
        )
        return context


def sharing_context(user, plan: LocalityPlan) -> dict:
    """What a plan page shows about the plan's sharing with councillors, for ``user``: the
    record of what was shared and what changed since (for those who may read it), and the
    councillors it went to with when each first opened it (for its editors and officers), and
    how many questions and comments it has (for those who may read them).
    Records the opening when ``user`` is a councillor it was shared with. Nothing, and no
    query, for a plan never shared."""
    if not plan.shared_on:
        return {"share": None, "changes": None, "readers": None, "discussion": None}
    # An opening is recorded only for a councillor it was shared with, who may read what was
    # shared: no need to work out their wards a second time.
    opened = plan_opening_record(plan=plan, user=user) is not None
    share = plan_share_for(plan) if opened or can_read_as_shared(user, plan) else None
    manages = can_manage_plan(user, plan)
    return {
        "share": share,
        "changes": plan_changes_since_shared(plan, share) if share else None,
        "readers": plan_councillor_readers(plan) if manages else None,
        # Only for those who may read the threads (``can_read_comments``): the public never
        # learns there are any. Those are its managers and the councillors it was shared
        # with, both already known here, so no third permission query.
        "discussion": plan_discussion_summary(plan) if manages or opened else None,
    }


# ------------------------------------------------------------------------------
# Councillors' pages
# ------------------------------------------------------------------------------
class SharedWithYouView(LoginRequiredMixin, ForgivingPaginationMixin, ListView):
    """``/plans/shared-with-you/``: for a councillor, every plan shared for the wards they
    represent today, newest first, each marked read or unread (``plan_list_shared_with``), 20
    to a page. Anyone else signed in is told why the list is empty. A fixed number of queries
    however many plans."""

    template_name = "plans/shared_with_you.html"
    context_object_name = "plans"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        return plan_list_shared_with(user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            is_councillor=is_councillor(user),
            wards=list(wards_represented_by(user)),
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb()],
            **kwargs,
        )


class PlanAsSharedView(DetailView):
    """``/plans/<slug or uuid>/as-shared/``: the plan exactly as councillors received it
    (``PlanShare.snapshot``), and what has changed since. For officers, the owner's members and
    the councillors it was shared with (``LocalityPlanQuerySet.shared_readable_by``); anyone
    else gets 404, as for a plan that does not exist."""

    template_name = "plans/plan_as_shared.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        return plan_lookup(plan_detail(LocalityPlan.objects.shared_readable_by(self.request.user)), self.kwargs["key"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        plan_opening_record(plan=plan, user=self.request.user)
        share = plan_share_for(plan)
        context.update(
            share=share,
            shared_sections=shared_sections(share) if share else [],
            changes=plan_changes_since_shared(plan, share) if share else None,
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb(), (plan.title, plan.get_absolute_url())],
        )
        return context
