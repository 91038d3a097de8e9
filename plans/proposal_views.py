"""Plans written together: a local anchor proposes items for its lead anchor's draft, and the
lead anchor accepts or declines each with a note.

- ``/plans/<key>/propose/``: for an editor of a local anchor under the plan's lead anchor
  (``LocalityPlan.objects.contributed_to_by``): the form while the plan is a draft, and their
  organisation's proposals with the decisions. Anyone else: 404.
- ``/plans/<key>/proposals/`` and ``/plans/<key>/proposals/<id>/``: for whoever may change the
  plan (``LocalityPlan.objects.editable_by``): the proposals, and one to decide. Anyone else: 404.

Every write goes through ``plans.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.concurrency import VERSION_FIELD, EditConflict, accept_current_versions
from core.forms import error_links, exception_messages, is_storable_id

from .forms import ProposalDecisionForm, ProposalForm
from .models import LocalityPlan, PlanItemProposal
from .permissions import proposing_organisations
from .services import proposal_create, proposal_decide
from .views import home_crumb, plan_lookup, plans_crumb


class ProposeItemsView(LoginRequiredMixin, TemplateView):
    """``/plans/<key>/propose/``: propose an item for the lead anchor's draft, and see what
    your organisation proposed and what became of it. Three queries for the list, however
    many proposals."""

    template_name = "plans/propose.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Not ``visible_to``: a plan shared while the proposer was typing still answers, to
            # say it stopped taking proposals and keep what they typed.
            self.plan = plan_lookup(
                LocalityPlan.objects.contributed_to_by(request.user).select_related("locality", "owner"),
                kwargs["key"],
            )
            self.organisations = list(proposing_organisations(request.user, self.plan))
            if not self.organisations:
                raise Http404(_("No plan found"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ProposalForm()
        proposals = (
            PlanItemProposal.objects.filter(plan=self.plan, organisation__in=self.organisations)
            .select_related("organisation")
            .order_by("-created_at", "-pk")
        )
        # The plan came from ``contributed_to_by`` and the user edits a local anchor proposing
        # for it, so ``can_propose_items`` comes down to the plan being a draft: no query.
        may_propose = self.plan.is_draft
        links = error_links(form) if form.is_bound else []
        if form.is_bound and not may_propose:
            # The form is gone (the plan stopped taking proposals): link to what was typed.
            links = [("typed-proposal", str(error)) for error in form.non_field_errors()]
        return super().get_context_data(
            plan=self.plan,
            form=form,
            may_propose=may_propose,
            proposals=proposals,
            error_links=links,
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb(), (self.plan.title, self.plan.get_absolute_url())],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                proposal_create(plan=self.plan, user=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, exception_messages(exc, default=_("You cannot propose items for this plan.")))
            else:
                messages.success(
                    request,
                    _("Item proposed. %(owner)s will accept or decline it, and you will be emailed their answer.")
                    % {"owner": self.plan.owner.name},
                )
                return redirect("plans:propose", key=self.plan.slug)
        return self.render_to_response(self.get_context_data(form=form))


def _managed_plan(request, key: str) -> LocalityPlan:
    return plan_lookup(LocalityPlan.objects.editable_by(request.user).select_related("locality", "owner"), key)


def _proposal_crumbs(plan: LocalityPlan) -> list[tuple[str, str]]:
    return [
        home_crumb(),
        plans_crumb(),
        (_("Your plans"), reverse("plans:mine")),
        (plan.title, plan.get_edit_url()),
    ]


class ProposalListView(LoginRequiredMixin, TemplateView):
    """``/plans/<key>/proposals/``: the items local anchors proposed for the plan, waiting ones
    first. Three queries however many proposals."""

    template_name = "plans/proposal_list.html"

    def get_context_data(self, **kwargs):
        plan = _managed_plan(self.request, kwargs["key"])
        proposals = list(
            plan.proposals.select_related("organisation", "item").order_by("-status", "-created_at", "-pk")
        )
        return super().get_context_data(
            plan=plan,
            waiting=[proposal for proposal in proposals if proposal.is_waiting],
            decided=[proposal for proposal in proposals if not proposal.is_waiting],
            nav_section="plans",
            breadcrumbs=_proposal_crumbs(plan),
            **kwargs,
        )


class ProposalDecideView(LoginRequiredMixin, TemplateView):
    """``/plans/<key>/proposals/<id>/``: one proposed item; accept or decline it with a note
    while it waits. A decision made meanwhile by a colleague is not overwritten
    (``core.concurrency``): the page says so and shows it."""

    template_name = "plans/proposal_decide.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = _managed_plan(request, kwargs["key"])
            if not is_storable_id(kwargs["pk"]):
                raise Http404(_("No proposed item found"))
            try:
                self.proposal = self.plan.proposals.select_related("organisation", "proposer", "item").get(
                    pk=kwargs["pk"]
                )
            except PlanItemProposal.DoesNotExist:
                raise Http404(_("No proposed item found")) from None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ProposalDecisionForm(instance=self.proposal)
        return super().get_context_data(
            plan=self.plan,
            proposal=self.proposal,
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            nav_section="plans",
            breadcrumbs=[
                *_proposal_crumbs(self.plan),
                (_("Proposed items"), reverse("plans:proposals", kwargs={"key": self.plan.slug})),
            ],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ProposalDecisionForm(request.POST, instance=self.proposal)
        if form.is_valid():
            try:
                decided = proposal_decide(
                    proposal=self.proposal,
                    user=request.user,
                    accept=form.accepted,
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data.get(VERSION_FIELD),
                )
            except EditConflict as conflict:
                accept_current_versions(form, conflict)
                self.proposal.refresh_from_db()
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, exception_messages(exc, default=_("You cannot decide on this item.")))
                self.proposal.refresh_from_db()
            else:
                if decided.is_accepted:
                    message = _("Accepted: “%(title)s” is now %(kind)s %(order)s in the plan.") % {
                        "title": decided.title,
                        "kind": decided.get_kind_display().lower(),
                        "order": decided.item.order,
                    }
                else:
                    message = _("Declined: “%(title)s”.") % {"title": decided.title}
                messages.success(request, message)
                return redirect("plans:proposals", key=self.plan.slug)
        return self.render_to_response(self.get_context_data(form=form))
