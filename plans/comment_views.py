"""Questions and comments on shared plans (issue 16): a plan's threads, one thread with its
replies, and the questions waiting for an answer.

Never public: every page needs sign-in, and a plan or thread outside
``LocalityPlan.objects.discussable_by(user)`` answers 404, as one that does not exist. The
writes go through ``plans.services.plan_comment_add``; the pages are ``noindex``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core import ratelimit
from core.forms import error_links, exception_messages
from core.views import ForgivingPaginationMixin

from .forms import PlanCommentForm
from .models import LocalityPlan
from .permissions import can_ask_questions, comment_role, localities_user_may_plan_for
from .selectors import (
    plan_comment_thread,
    plan_comment_threads,
    plan_items_in_section_order,
    plan_questions_unanswered_for,
)
from .services import plan_comment_add
from .views import home_crumb, plan_lookup, plans_crumb

# More comments than this from one person in an hour is a script or a stuck key, not a
# conversation: the form says to wait.
COMMENTS_PER_HOUR = 30
HOUR = 3600


def _refusal(exc: Exception) -> list[str]:
    return exception_messages(exc, default=_("You cannot comment on this plan."))


class _PlanDiscussionMixin(LoginRequiredMixin):
    """Finds the plan among those the signed-in user may discuss (404 for any other), and in
    which capacity they may write on it (``self.role``; None: read only)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            plans = LocalityPlan.objects.discussable_by(request.user).select_related("locality", "owner")
            self.plan = plan_lookup(plans, kwargs["key"])
            self.role = comment_role(request.user, self.plan)
        return super().dispatch(request, *args, **kwargs)

    def crumbs(self) -> list[tuple[str, str]]:
        return [home_crumb(), plans_crumb(), (self.plan.title, self.plan.get_absolute_url())]

    def refuse_readers(self) -> None:
        """A post from someone who may only read (a replaced plan's threads) is refused."""
        if self.role is None:
            raise PermissionDenied(_("You cannot comment on this plan."))

    def save(self, form: PlanCommentForm, *, sent_message: str, **where) -> HttpResponse | None:
        """Hand a valid form to ``plan_comment_add`` and redirect to the comment, saying
        ``sent_message`` (or that the same text was sent twice and added once); None, with the
        refusal shown on the form, when ``COMMENTS_PER_HOUR`` is reached or the service says no."""
        key = f"plan-comment:{self.request.user.pk}"
        if ratelimit.over_limit(key, limit=COMMENTS_PER_HOUR, window_seconds=HOUR):
            form.add_error(None, _("You have sent a lot of comments in the last hour. Wait a while and send it again."))
            return None
        try:
            result = plan_comment_add(plan=self.plan, user=self.request.user, body=form.cleaned_data["body"], **where)
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, _refusal(exc))
            return None
        if result.created:
            ratelimit.count(key, window_seconds=HOUR)
            messages.success(self.request, sent_message)
        else:
            messages.info(self.request, _("You had already sent this. It was added once."))
        return redirect(result.comment.get_absolute_url())


class PlanCommentsView(_PlanDiscussionMixin, TemplateView):
    """``/plans/<key>/comments/``: the plan's threads, newest first, 20 to a page, each with
    its first comment, whether a question has been answered and how many replies it has; and
    the form to start one (``?item=<id>`` chooses the item). A fixed number of queries however
    many threads and replies."""

    template_name = "plans/plan_comments.html"

    def get_form(self, data=None) -> PlanCommentForm:
        items = plan_items_in_section_order(self.plan)
        initial = {}
        if data is None and self.request.GET.get("item", "").isdigit():
            initial["item"] = self.request.GET["item"]
        return PlanCommentForm(data, items=items, may_ask=can_ask_questions(self.role), initial=initial)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or (self.get_form() if self.role else None)
        paginator = Paginator(
            plan_comment_threads(self.plan), settings.DIRECTORY_PAGE_SIZE, allow_empty_first_page=True
        )
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            plan=self.plan,
            form=form,
            error_links=error_links(form) if form is not None and form.is_bound else [],
            threads=page.object_list,
            page_obj=page,
            may_write=self.role is not None,
            nav_section="plans",
            breadcrumbs=self.crumbs(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.refuse_readers()
        form = self.get_form(request.POST)
        if form.is_valid():
            is_question = bool(form.cleaned_data.get("is_question"))
            sent = self.save(
                form,
                sent_message=_("Your question was sent.") if is_question else _("Your comment was added."),
                item=form.cleaned_data.get("item"),
                is_question=is_question,
            )
            if sent is not None:
                return sent
        return self.render_to_response(self.get_context_data(form=form))


class PlanCommentThreadView(_PlanDiscussionMixin, TemplateView):
    """``/plans/<key>/comments/<id>/``: one thread, its replies in order, and the form to reply.
    Three queries for the thread, however many replies."""

    template_name = "plans/plan_comment_thread.html"

    def get_thread(self):
        thread = plan_comment_thread(self.plan, self.kwargs["pk"])
        if thread is None:
            raise Http404(_("No such thread"))
        return thread

    def get_context_data(self, **kwargs):
        thread = kwargs.pop("thread", None) or self.get_thread()
        form = kwargs.pop("form", None) or (PlanCommentForm(reply=True) if self.role else None)
        crumbs = [*self.crumbs(), (_("Questions and comments"), reverse("plans:comments", args=[self.plan.slug]))]
        return super().get_context_data(
            plan=self.plan,
            thread=thread,
            form=form,
            error_links=error_links(form) if form is not None and form.is_bound else [],
            may_write=self.role is not None,
            nav_section="plans",
            breadcrumbs=crumbs,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        thread = self.get_thread()
        self.refuse_readers()
        form = PlanCommentForm(request.POST, reply=True)
        if form.is_valid():
            sent = self.save(form, sent_message=_("Your reply was added."), parent=thread)
            if sent is not None:
                return sent
        return self.render_to_response(self.get_context_data(thread=thread, form=form))


class UnansweredQuestionsView(LoginRequiredMixin, ForgivingPaginationMixin, ListView):
    """``/plans/questions/``: councillors' questions nobody who writes the plan has answered
    yet, on the plans the signed-in user answers for (a lead anchor's editors: their plans;
    officers: every plan), the longest waiting first, 20 to a page. Anyone else is told the
    list is for the plans' writers. A fixed number of queries however many questions."""

    template_name = "plans/questions_unanswered.html"
    context_object_name = "questions"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        return plan_questions_unanswered_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # Those who may write a plan, as "Your plans" decides: the list is theirs, if empty.
            answers_for_plans=localities_user_may_plan_for(self.request.user).exists(),
            nav_section="plans",
            breadcrumbs=[home_crumb(), plans_crumb()],
            **kwargs,
        )
