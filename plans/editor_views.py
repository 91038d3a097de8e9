"""The plan editor, where lead anchors write their locality plans: "Your plans", starting a
plan, the one-page editor, and the share, publish and new-version actions.

Every page works on ``LocalityPlan.objects.editable_by(user)`` (or ``managed_by`` for the
actions): any other plan answers 404, as one that does not exist. Every write goes through
``plans.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.formsets import BaseFormSet
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.concurrency import VERSION_FIELD, EditConflict, accept_current_versions, version_of
from core.forms import HIDDEN_FIELD_ERROR, error_links, exception_messages

from .forms import (
    MAX_ITEMS_PER_PLAN,
    PlanForm,
    PlanItemInlineFormSet,
    PlanReferenceInlineFormSet,
    section_initial,
)
from .models import SECTION_LABELS, LocalityPlan, PlanItemKind
from .permissions import localities_user_may_plan_for, plan_owners_for
from .selectors import plan_list_editable, plan_questions_unanswered_for
from .services import plan_create, plan_new_version, plan_publish, plan_share, plan_update
from .views import home_crumb, plan_lookup, plans_crumb


def _editor_crumbs() -> list[tuple[str, str]]:
    return [home_crumb(), plans_crumb(), (_("Your plans"), reverse("plans:mine"))]


def _refusal(exc: Exception) -> list[str]:
    return exception_messages(exc, default=_("You cannot do that to this plan."))


class MyPlansView(LoginRequiredMixin, ListView):
    """``/plans/mine/``: the plans the signed-in user may change, a way to start one, and how
    many councillors' questions on their plans wait for an answer."""

    template_name = "plans/my_plans.html"
    context_object_name = "plans"

    def get_queryset(self):
        return plan_list_editable(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_start=localities_user_may_plan_for(self.request.user).exists(),
            unanswered_count=plan_questions_unanswered_for(user=self.request.user).count(),
            # Drafts of the user's lead anchor they may propose items for, as a local anchor.
            contributable=LocalityPlan.objects.contributable_by(self.request.user)
            .select_related("locality", "owner")
            .order_by("locality__name", "-period_start"),
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb()],
            **kwargs,
        )


class PlanCreateView(LoginRequiredMixin, TemplateView):
    """``/plans/new/``: start a draft — title, area, anchor organisation, years, summary. The
    items come next, on the edit page. Someone who may plan for no area is told why (403)."""

    template_name = "plans/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.localities = localities_user_may_plan_for(request.user)
            self.owners = plan_owners_for(request.user)
            if not self.localities.exists():
                return render(
                    request,
                    "plans/plan_not_allowed.html",
                    {"breadcrumbs": [home_crumb(), plans_crumb()], "nav_section": "plans"},
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
            breadcrumbs=_editor_crumbs(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                plan = plan_create(user=request.user, **form.values())
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _refusal(exc))
            else:
                messages.success(
                    request,
                    _("Draft saved. Now add the priorities, concerns, opportunities and connections."),
                )
                return redirect(plan.get_edit_url())
        return self.render_to_response(self.get_context_data(form=form))


class PlanUpdateView(LoginRequiredMixin, TemplateView):
    """``/plans/<slug or uuid>/edit/``: the plan, its items in their four sections and its
    references, on one page. "Save", "Share with councillors" and "Publish" all save first
    (``plan_update``); on any error nothing is saved and everything typed is shown again."""

    template_name = "plans/plan_form.html"
    ACTIONS = ("save", "share", "publish")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            plans = LocalityPlan.objects.editable_by(request.user).select_related("locality", "owner")
            self.plan = plan_lookup(plans, kwargs["key"])
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
        return self.render_editor(*self.get_forms())

    def post(self, request, *args, **kwargs):
        if "add_item" in request.POST:
            return self.add_item(request.POST)
        action = request.POST.get("action", "save")
        if action not in self.ACTIONS:
            action = "save"
        form, items, references = self.get_forms(request.POST)
        if not (form.is_valid() and items.is_valid() and references.is_valid()):
            return self.render_editor(form, items, references)
        try:
            plan = self.save(form, items, references, action=action)
        except EditConflict as conflict:
            _forget_unsaved(items, references)
            accept_current_versions(form, conflict)
            return self.render_editor(form, items, references)
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _forget_unsaved(items, references)
            form.add_error(None, self.refusal_message(exc))
            if isinstance(exc, ValidationError) and exc.error_list[0].code == "stale":
                # The status changed: saving again, having seen the message, is a deliberate
                # choice, so the form now carries the status and version stored now.
                current = LocalityPlan.objects.get(pk=self.plan.pk)
                form.data = form.data.copy()
                form.data["expected_status"] = current.status
                form.data[VERSION_FIELD] = version_of(current)
            return self.render_editor(form, items, references)
        if action == "publish":
            messages.success(request, _("Plan published. Residents can read it now."))
            return redirect(plan.get_absolute_url())
        if action == "share":
            messages.success(request, _("Plan saved and shared with councillors."))
        else:
            messages.success(request, _("Plan saved."))
        return redirect(plan.get_edit_url())

    def add_item(self, data) -> HttpResponse:
        """ "Add another" without JavaScript: show the page again exactly as typed, with one more
        blank row in the section whose button was pressed. Nothing is checked or saved (the
        hidden version and status ride along, so the eventual save is still refused if the plan
        changed meanwhile); an unknown section adds nothing."""
        data = data.copy()
        kind = data.get("add_item", "")
        added_prefix = ""
        try:
            total = int(data.get("items-TOTAL_FORMS", ""))
        except ValueError:
            total = -1
        if kind in PlanItemKind.values and 0 <= total < MAX_ITEMS_PER_PLAN:
            added_prefix = f"items-{total}"
            data[f"{added_prefix}-kind"] = kind
            data["items-TOTAL_FORMS"] = str(total + 1)
        forms = self.get_forms(data)
        refusal = ""
        if total >= MAX_ITEMS_PER_PLAN:
            refusal = _("A plan can have up to %(count)s items. Save the plan before adding more.") % {
                "count": MAX_ITEMS_PER_PLAN
            }
        elif total < 0:
            refusal = HIDDEN_FIELD_ERROR
        _show_unchecked(*forms)
        return self.render_editor(*forms, added_prefix=added_prefix, refusal=str(refusal))

    def save(self, form, items, references, *, action: str) -> LocalityPlan:
        """Save the plan with its items and references through ``plan_update``, then share or
        publish it: one transaction, so a refused share or publish saves nothing either."""
        user = self.request.user

        def save_related(plan: LocalityPlan) -> None:
            items.save()
            references.save(removed_item_pks={item.pk for item in items.deleted_objects})

        with transaction.atomic():
            plan = plan_update(
                plan=self.plan,
                user=user,
                expected_status=form.cleaned_data["expected_status"],
                expected_version=form.cleaned_data.get(VERSION_FIELD),
                values=form.values(),
                save_related=save_related,
            )
            if action == "share":
                plan = plan_share(plan=plan, user=user)
            elif action == "publish":
                plan = plan_publish(plan=plan, user=user)
        return plan

    def refusal_message(self, exc: Exception) -> list[str] | str:
        if isinstance(exc, IntegrityError):
            return _(
                "Someone else changed this plan while you were editing it. Nothing was saved: check the plan and "
                "save again."
            )
        return _refusal(exc)

    def render_editor(self, form, items, references, *, added_prefix: str = "", refusal: str = ""):
        item_sections, links = editor_layout(form, items, references, added_prefix=added_prefix)
        if refusal:
            links = [("items", refusal), *links]
        context = self.get_context_data(
            plan=self.plan,
            form=form,
            items=items,
            item_sections=item_sections,
            references=references,
            error_links=links,
            current_plan=LocalityPlan.objects.published()
            .filter(locality_id=self.plan.locality_id)
            .exclude(pk=self.plan.pk)
            .first(),
            is_new=False,
            waiting_proposals=self.plan.proposals.waiting().count(),
            nav_section="plans",
            breadcrumbs=_editor_crumbs(),
        )
        return self.render_to_response(context)


def editor_layout(form, items, references, *, added_prefix: str = "") -> tuple[list[dict], list[tuple[str, str]]]:
    """How the editor page lays out the forms: the item forms grouped in their four sections,
    each labelled by its place in its section as shown ("Priority 2"), with its folded parts
    open where they hold a value or an error; the row ``added_prefix`` ("Add another" just
    made it) is marked for the page to jump to; and the error summary's links, in page order."""
    links = error_links(form) if form.is_bound else []
    sections = {
        kind: {"kind": kind, "heading": label, "singular": PlanItemKind(kind).label, "forms": []}
        for kind, label in SECTION_LABELS.items()
    }
    for item_form in items.forms:
        kind = item_form["kind"].value() or ""
        if kind not in sections:
            kind = next(iter(sections))
        section = sections[kind]
        section["forms"].append(item_form)
        item_form.is_new = item_form.instance.pk is None
        item_form.is_added = item_form.prefix == added_prefix
        item_form.position_label = _("%(kind)s %(number)s") % {
            "kind": PlanItemKind(kind).label,
            "number": len(section["forms"]),
        }
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
    return list(sections.values()), links


def _forget_unsaved(*formsets) -> None:
    """After a rolled-back save, new rows are new again: drop the ids they were given, so the
    page shows them as still to be added."""
    for formset in formsets:
        for form in formset.extra_forms:
            form.instance.pk = None
            form.instance._state.adding = True


def _show_unchecked(*forms_and_formsets) -> None:
    """Mark bound forms and formsets as checked with no errors, so the page shows what was
    typed without validating it (for "Add another", which saves nothing)."""
    for thing in forms_and_formsets:
        if isinstance(thing, BaseFormSet):
            thing._non_form_errors = thing.error_class()
            thing._errors = [ErrorDict() for _form in thing.forms]
            _show_unchecked(*thing.forms)
        else:
            thing._errors = ErrorDict()
            thing.cleaned_data = {}


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


class _PlanActionView(LoginRequiredMixin, View):
    """A POST-only action on a plan the user manages (404 for any other plan)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        plan = plan_lookup(LocalityPlan.objects.managed_by(request.user), kwargs["key"])
        try:
            result = self.act(plan)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("plans:mine")
        messages.success(request, self.success_message())
        return redirect(self.success_url(result))

    def act(self, plan: LocalityPlan) -> LocalityPlan:
        raise NotImplementedError

    def success_message(self) -> str:
        raise NotImplementedError

    def success_url(self, plan: LocalityPlan) -> str:
        return plan.get_absolute_url()


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
