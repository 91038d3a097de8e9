"""Locality plans: public pages for residents (and councillors), and the small editor lead
anchors write them in.

Public pages show what ``core.permissions.plans.plans_visible_to`` allows; the editor works only
on ``plans_editable_by``. A plan outside either answers 404, so nobody learns another
organisation's draft exists.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from core.forms import error_links, exception_messages
from core.permissions.plans import (
    can_edit_plan,
    localities_user_may_plan_for,
    plan_owners_for,
    plans_editable_by,
    plans_managed_by,
    plans_visible_to,
)

from .filters import PlanFilter
from .forms import (
    PlanForm,
    PlanItemInlineFormSet,
    PlanReferenceInlineFormSet,
    section_initial,
)
from .models import SECTION_LABELS, LocalityPlan, PlanItemKind
from .selectors import (
    plan_current_replacement,
    plan_detail,
    plan_history,
    plan_list_editable,
    plan_list_public,
    plan_sections,
    plans_covering,
)
from .services import plan_create, plan_new_version, plan_publish, plan_share


def _home():
    return (_("Home"), reverse("core:home"))


def _plans_crumb():
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
class PlanListView(ListView):
    """``/plans/``: published plans, newest first, filterable by area (and the places inside
    it) and theme through the query string, 20 to a page. A constant number of queries however
    many plans and items there are."""

    template_name = "plans/plan_list.html"
    context_object_name = "plans"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get(self, request, *args, **kwargs):
        # Drop empty filters so the address a resident shares stays short.
        params = request.GET.copy()
        empty = [key for key, values in params.lists() if not any(v.strip() for v in values)]
        if empty:
            for key in empty:
                del params[key]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = PlanFilter(self.request.GET or None, queryset=plan_list_public())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return LocalityPlan.objects.none()
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

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
            breadcrumbs=[_home()],
        )
        return context


class PlanDetailView(DetailView):
    """``/plans/<slug or uuid>/``: the summary, then priorities, concerns, opportunities and
    connections in order, with themes, the (published) organisations named, the evidence, and
    the references. A superseded plan says so and points to the current one."""

    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        self.visible = plans_visible_to(self.request.user)
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
            nav_section="plans",
            breadcrumbs=[_home(), _plans_crumb()],
        )
        return context


# ------------------------------------------------------------------------------
# The editor
# ------------------------------------------------------------------------------
class MyPlansView(LoginRequiredMixin, ListView):
    """``/plans/mine/``: the plans the signed-in user may change, and a way to start one."""

    template_name = "plans/my_plans.html"
    context_object_name = "plans"

    def get_queryset(self):
        return plan_list_editable(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_start=localities_user_may_plan_for(self.request.user).exists(),
            nav_section="plans",
            breadcrumbs=[_home(), _plans_crumb()],
            **kwargs,
        )


class PlanCreateView(LoginRequiredMixin, TemplateView):
    """``/plans/new/``: start a draft — title, area, anchor organisation, years, summary. The
    items come next, on the edit page."""

    template_name = "plans/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.localities = localities_user_may_plan_for(request.user)
            self.owners = plan_owners_for(request.user)
            if not self.localities.exists():
                return render(
                    request,
                    "plans/plan_not_allowed.html",
                    {"breadcrumbs": [_home(), _plans_crumb()], "nav_section": "plans"},
                    status=403,
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None) -> PlanForm:
        return PlanForm(data, localities=self.localities, owners=self.owners)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.get_form()
        return super().get_context_data(
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            is_new=True,
            nav_section="plans",
            breadcrumbs=[_home(), _plans_crumb(), (_("Your plans"), reverse("plans:mine"))],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = plan_create(
                    user=request.user,
                    locality=data["locality"],
                    owner=data["owner"],
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    summary=data["summary"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _messages(exc))
            else:
                messages.success(
                    request,
                    _("Draft saved. Now add the priorities, concerns, opportunities and connections."),
                )
                return redirect(plan.get_edit_url())
        return self.render_to_response(self.get_context_data(form=form))


class PlanUpdateView(LoginRequiredMixin, TemplateView):
    """``/plans/<slug or uuid>/edit/``: the plan, its items in their four sections and its
    references, on one page. "Save", "Share with councillors" and "Publish" all save first;
    on any error nothing is saved and everything typed is shown again."""

    template_name = "plans/plan_form.html"
    ACTIONS = ("save", "share", "publish")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = plan_lookup(plans_editable_by(request.user).select_related("locality", "owner"), kwargs["key"])
        return super().dispatch(request, *args, **kwargs)

    def get_forms(self, data=None):
        user = self.request.user
        form = PlanForm(
            data,
            instance=self.plan,
            localities=localities_user_may_plan_for(user),
            owners=plan_owners_for(user),
        )
        items = PlanItemInlineFormSet(data, instance=self.plan, prefix="items", initial=section_initial())
        references = PlanReferenceInlineFormSet(data, instance=self.plan, prefix="references")
        return form, items, references

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.get_forms())

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        if action not in self.ACTIONS:
            action = "save"
        form, items, references = self.get_forms(request.POST)
        if form.is_valid() and items.is_valid() and references.is_valid():
            try:
                with transaction.atomic():
                    # One editor at a time: a second save waits for the first to finish.
                    locked = LocalityPlan.objects.select_for_update().get(pk=self.plan.pk)
                    # The status the page was showing: saving a "draft" that has meanwhile been
                    # published would put unchecked changes straight on the public page.
                    if locked.status != request.POST.get("plan_status", locked.status):
                        raise ValidationError(
                            _(
                                "Someone else changed this plan's status to “%(status)s” while you "
                                "were editing it. Nothing was saved: check the plan and save again."
                            )
                            % {"status": locked.get_status_display().lower()}
                        )
                    plan = form.save(commit=False)
                    # Only what the form edits: status and dates are the services' to change.
                    plan.save(update_fields=[*form.fields, "updated_at"])
                    items.save()
                    references.save(removed_item_pks={item.pk for item in items.deleted_objects})
                    if action == "share":
                        plan = plan_share(plan=plan, user=request.user)
                    elif action == "publish":
                        plan = plan_publish(plan=plan, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                _forget_unsaved(items, references)
                form.add_error(None, _messages(exc))
            except IntegrityError:
                _forget_unsaved(items, references)
                form.add_error(
                    None,
                    _(
                        "Someone else changed this plan while you were editing it. Nothing was "
                        "saved: check the plan and save again."
                    ),
                )
            else:
                if action == "publish":
                    messages.success(request, _("Plan published. Residents can read it now."))
                    return redirect(plan.get_absolute_url())
                if action == "share":
                    messages.success(request, _("Plan saved and shared with councillors."))
                else:
                    messages.success(request, _("Plan saved."))
                return redirect(plan.get_edit_url())
        return self.render_forms(form, items, references)

    def render_forms(self, form, items, references):
        plan = self.plan
        links = error_links(form) if form.is_bound else []
        item_sections = {kind: {"kind": kind, "heading": label, "forms": []} for kind, label in SECTION_LABELS.items()}
        for item_form in items.forms:
            kind = item_form["kind"].value() or ""
            section = item_sections.get(kind) or item_sections[next(iter(item_sections))]
            section["forms"].append(item_form)
            item_form.is_new = item_form.instance.pk is None
            item_form.position_label = _item_label(item_form)
            item_form.show_links = _shows_any(item_form, ("themes", "organisations"))
            item_form.show_evidence = _shows_any(
                item_form, ("people_heard", "methods", "heard_other", "heard_from", "heard_to")
            )
            if items.is_bound:
                links += error_links(item_form, label=item_form.position_label)
        if items.is_bound:
            links += [("items", str(error)) for error in items.non_form_errors()]
        for index, reference_form in enumerate(references.forms, start=1):
            reference_form.position_label = _("Reference %(number)s") % {"number": index}
            if references.is_bound:
                links += error_links(reference_form, label=reference_form.position_label)
        if references.is_bound:
            links += [("references", str(error)) for error in references.non_form_errors()]
        context = self.get_context_data(
            plan=plan,
            form=form,
            items=items,
            item_sections=list(item_sections.values()),
            references=references,
            error_links=links,
            current_plan=LocalityPlan.objects.published()
            .filter(locality_id=plan.locality_id)
            .exclude(pk=plan.pk)
            .first(),
            is_new=False,
            nav_section="plans",
            breadcrumbs=[_home(), _plans_crumb(), (_("Your plans"), reverse("plans:mine"))],
        )
        return self.render_to_response(context)


def _forget_unsaved(*formsets) -> None:
    """After a rolled-back save, new rows are new again: drop the ids they were given, so the
    page shows them as still to be added."""
    for formset in formsets:
        for form in formset.extra_forms:
            form.instance.pk = None
            form.instance._state.adding = True


def _item_label(form) -> str:
    """How the editor and its error summary name an item: "Priority 2", "New concern"."""
    kind = form["kind"].value()
    label = str(PlanItemKind(kind).label) if kind in PlanItemKind.values else _("Item")
    if form.instance.pk is None:
        return _("New %(kind)s") % {"kind": label.lower()}
    return _("%(kind)s %(number)s") % {"kind": label, "number": form.instance.order}


def _shows_any(form, names) -> bool:
    """Whether a folded part of an item form should start open: it has a value or an error."""
    for name in names:
        bound_field = form[name]
        value = bound_field.value()
        if bound_field.errors:
            return True
        if isinstance(value, list | tuple):
            if any(part not in (None, "") for part in value):
                return True
        elif value not in (None, ""):
            return True
    return False


def _messages(exc: Exception) -> list[str]:
    return exception_messages(exc, default=_("You cannot do that to this plan."))


class _PlanActionView(LoginRequiredMixin, View):
    """A POST-only action on a plan in the user's scope (404 for any other plan)."""

    http_method_names = ["post"]

    def success_message(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        plan = plan_lookup(plans_managed_by(request.user), kwargs["key"])
        try:
            result = self.act(plan)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.failure_url(plan))
        messages.success(request, self.success_message())
        return redirect(self.success_url(result))

    def act(self, plan: LocalityPlan) -> LocalityPlan:
        raise NotImplementedError

    def success_url(self, plan: LocalityPlan) -> str:
        return plan.get_absolute_url()

    def failure_url(self, plan: LocalityPlan) -> str:
        return reverse("plans:mine")


class PlanShareView(_PlanActionView):
    """``POST /plans/<key>/share/``: share a draft with councillors."""

    def success_message(self):
        return _("Plan shared with councillors. The public cannot see it yet.")

    def act(self, plan):
        return plan_share(plan=plan, user=self.request.user)


class PlanPublishView(_PlanActionView):
    """``POST /plans/<key>/publish/``: publish a draft or shared plan, replacing the area's
    current plan."""

    def success_message(self):
        return _("Plan published. Residents can read it now.")

    def act(self, plan):
        return plan_publish(plan=plan, user=self.request.user)


class PlanNewVersionView(_PlanActionView):
    """``POST /plans/<key>/new-version/``: start the next version of a plan as a draft."""

    def success_message(self):
        return _("New version started as a draft. The current plan stays public until you publish this one.")

    def act(self, plan):
        return plan_new_version(plan=plan, user=self.request.user)

    def success_url(self, plan):
        return plan.get_edit_url()
