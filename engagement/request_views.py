"""Pages for the front door: the public "Ask for support" and "Add your group" forms, and the
request queue where an anchor's editors (officers: everyone's) work through the requests routed
to them."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import error_links as error_links_for
from core.forms import exception_messages
from core.permissions import is_officer
from core.views import RateLimitedPostMixin
from localities.models import Locality
from organisations.duplicates import possible_duplicates
from organisations.services import group_submission_create

from .models import SupportRequest, SupportRequestStatus
from .permissions import can_see_request_queue
from .request_forms import AddGroupForm, SupportRequestForm, SupportRequestStepForm
from .routing import route_for
from .services import support_request_advance, support_request_submit

logger = logging.getLogger(__name__)

# The session key the thank-you page reads the reference from: it is never in an address.
SENT_REFERENCE = "support_request_reference"


def _crumbs():
    return [(_("Home"), reverse("portal:home"))]


class FrontDoorFormView(RateLimitedPostMixin, FormView):
    """A public form of the front door: ``?area=<slug>`` chooses the area beforehand, and more
    than ``SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR`` sent from one address in an hour, by any of
    these forms (one count), answers 429 with a page saying when to try again
    (``core.views.RateLimitedPostMixin``)."""

    rate_key_prefix = "support-request"
    rate_limit_setting = "SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR"
    too_many_template = "engagement/support_request_too_many.html"

    def get_initial(self):
        slug = self.request.GET.get("area", "")
        place = Locality.objects.current().filter(slug=slug).first() if slug else None
        return {"area": place} if place else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=_crumbs(), **kwargs)

    def too_many_context(self) -> dict:
        return {"breadcrumbs": _crumbs()}


class AskForSupportView(FrontDoorFormView):
    """``/support/ask/``: a community group asks for support. ``?area=<slug>`` chooses the area
    beforehand (the links from area and anchor pages). A form a robot filled in (the hidden
    ``website`` field) is dropped silently; more than ``SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR``
    from one address in an hour answers 429 with a page saying when to try again."""

    form_class = SupportRequestForm
    template_name = "engagement/support_request_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(acknowledge_days=settings.SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS, **kwargs)

    def form_valid(self, form):
        self.count_sent()
        if form.is_spam:
            logger.info("A request for support with the hidden field filled in was dropped.")
            self.request.session[SENT_REFERENCE] = ""
            return redirect("engagement:ask_sent")
        data = form.cleaned_data
        support_request = support_request_submit(
            group_name=data["group_name"],
            need=data["need"],
            locality=data["locality"],
            postcode_district=data["postcode_district"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
        )
        self.request.session[SENT_REFERENCE] = support_request.reference
        return redirect("engagement:ask_sent")


class AskForSupportSentView(TemplateView):
    """``/support/ask/sent/``: the thank-you page, with the reference when this browser just
    sent a request (read from the session, so it never appears in an address or a log)."""

    template_name = "engagement/support_request_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=self.request.session.get(SENT_REFERENCE, ""),
            acknowledge_days=settings.SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS,
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class AddYourGroupView(FrontDoorFormView):
    """``/support/add-your-group/``: a group not yet in the directory sends its details. They
    become a draft organisation in the review queue of the anchor for its area
    (``engagement.routing``) and of officers; nothing is public until it is published.

    Two steps, without JavaScript: when published organisations may be the same group (same
    charity number, or the same name in the same postcode district), the sender sees them and
    chooses to send anyway or change their answers; the page carries what they typed in hidden
    fields. The honeypot and the per-address rate limit are those of "Ask for support" (one
    count per group sent, whichever form)."""

    form_class = AddGroupForm
    template_name = "engagement/add_group_form.html"
    check_template_name = "engagement/add_group_check.html"

    def form_valid(self, form):
        if form.is_spam:
            self.count_sent()
            logger.info("An added group with the hidden field filled in was dropped.")
            return redirect("engagement:add_group_sent")
        if "change" in self.request.POST:
            # Back from the duplicate check to the form, with everything as typed.
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        known = list(
            possible_duplicates(data["group_name"], data["postcode_district"], data["charity_number"])
            .public()
            .only("name", "slug")
        )
        if known and not data["confirmed"]:
            return render(
                self.request,
                self.check_template_name,
                {"form": form, "known": known, "breadcrumbs": _crumbs()},
            )
        self.count_sent()
        locality = data["locality"]
        group_submission_create(
            name=data["group_name"],
            description=data["description"],
            postcode=data["group_postcode"],
            locality=locality,
            email=data["group_email"],
            phone=data["group_phone"],
            charity_number=data["charity_number"],
            submitter_name=data["contact_name"],
            submitter_email=data["contact_email"],
            submitter_phone=data["contact_phone"],
            reviewer=route_for(locality).anchor,
            warned_about=[organisation.name for organisation in known],
        )
        return redirect("engagement:add_group_sent")


class AddYourGroupSentView(TemplateView):
    """``/support/add-your-group/sent/``: the thank-you page."""

    template_name = "engagement/add_group_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=_crumbs(), **kwargs)


class RequestQueueMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_see_request_queue(request.user):
            raise PermissionDenied(
                _("Only the editors of an anchor organisation and officers see requests for support.")
            )
        return super().dispatch(request, *args, **kwargs)


class RequestQueueView(RequestQueueMixin, ListView):
    """``/support/requests/``: the requests routed to the organisations the person edits
    (officers: all), open ones first with the overdue ones at the top, 50 to a page. Three
    queries whatever the number of requests."""

    template_name = "engagement/support_request_list.html"
    context_object_name = "support_requests"
    paginate_by = 50

    def get_queryset(self):
        return (
            SupportRequest.objects.visible_to(self.request.user)
            .with_overdue()
            .select_related("anchor", "locality")
            .order_by("-is_overdue", "status", "created_at", "pk")
            .defer(*SupportRequest.PRIVATE_FIELDS, "need")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["support_requests"])
        context.update(
            open_requests=[row for row in rows if not row.is_closed],
            closed_requests=[row for row in rows if row.is_closed],
            is_officer=is_officer(self.request.user),
            acknowledge_days=settings.SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS,
            breadcrumbs=[*_crumbs(), (_("Your account"), reverse("portal:account"))],
        )
        return context


def step_button_label(step: SupportRequestStatus) -> str:
    if step == SupportRequestStatus.CLOSED:
        return str(_("Close with this outcome"))
    return str(_("Mark as %(status)s") % {"status": str(step.label).lower()})


class RequestDetailView(RequestQueueMixin, View):
    """``/support/requests/<reference>/``: one request with the contact details, its history on
    the log, and the next steps. Out of the person's scope it answers 404."""

    template_name = "engagement/support_request_detail.html"

    def get_object(self) -> SupportRequest:
        return get_object_or_404(
            SupportRequest.objects.visible_to(self.request.user)
            .with_overdue()
            .select_related("anchor", "locality", "network"),
            reference=self.kwargs["reference"],
        )

    def render_page(self, support_request: SupportRequest, form=None, errors=(), status=200):
        form = form or SupportRequestStepForm(initial={"expected_status": support_request.status})
        error_links = [("step-buttons", str(message)) for message in errors]
        if form.is_bound:
            error_links += error_links_for(form)
        return render(
            self.request,
            self.template_name,
            {
                "support_request": support_request,
                "steps": [(step.value, step_button_label(step)) for step in support_request.next_statuses()],
                "may_close": SupportRequestStatus.CLOSED in support_request.next_statuses(),
                "form": form,
                "error_links": error_links,
                "log": support_request.engagements.select_related("staff").order_by("created_at", "pk"),
                "breadcrumbs": [
                    *_crumbs(),
                    (_("Your account"), reverse("portal:account")),
                    (_("Requests for support"), reverse("engagement:request_queue")),
                ],
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_object())

    def post(self, request, *args, **kwargs):
        support_request = self.get_object()
        form = SupportRequestStepForm(request.POST)
        if not form.is_valid():
            return self.render_page(support_request, errors=[_("Choose one of the next steps shown.")])
        data = form.cleaned_data
        try:
            support_request_advance(
                request=support_request,
                user=request.user,
                to_status=data["to_status"],
                expected_status=data["expected_status"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
                return self.render_page(support_request, form=form)
            # Someone moved it on meanwhile (or the step is not allowed): show it as it is now.
            return self.render_page(self.get_object(), errors=error.messages)
        except PermissionDenied as error:
            return self.render_page(
                support_request, errors=exception_messages(error, default=str(_("You cannot change this request.")))
            )
        messages.success(
            request,
            _("%(reference)s is now “%(status)s”.")
            % {"reference": support_request.reference, "status": SupportRequestStatus(data["to_status"]).label},
        )
        return redirect(support_request.get_absolute_url())
