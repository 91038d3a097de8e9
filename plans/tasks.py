"""Background tasks of locality plans (django-tasks): telling councillors a plan was shared
with them, the plan's writers that a councillor asked a question, and a thread's author that
someone replied. Each takes ids, works out its recipients when it runs, and sends once per event
however often it runs (``core.notifications``)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from core.notifications import Email, absolute_url, send_once, send_once_each
from localities.selectors import councillors_for
from organisations.models import MembershipRole

from .models import LocalityPlan, PlanComment, PlanItemProposal, PlanStatus


def sign_in_link(path: str) -> str:
    """A full address that goes through the sign-in page to ``path``: a plan not yet public, and
    every comment thread, answer 404 or a sign-in redirect to someone signed out, and the
    sign-in page sends someone already signed in straight on."""
    return absolute_url(f"{reverse('portal:login')}?next={quote(path)}")


def _shared_plan_emails(plan: LocalityPlan) -> list[Email]:
    """The email telling each councillor of ``plan``'s wards today (``localities.selectors.
    councillors_for``) that it was shared with them, keyed by plan and councillor so each is
    told once, whenever their term began. Councillors without an email address are left out.
    One query (``plan.locality`` must be loaded)."""
    context = {
        "title": plan.title,
        "period": plan.period_label,
        "place": plan.locality.name,
        "shared_on": plan.shared_on,
        "link": sign_in_link(plan.get_absolute_url()),
    }
    return [
        Email(
            key=f"plan-{plan.pk}-shared-with-councillor-{user.pk}",
            template="plan_shared",
            context=context,
            recipients=[user.email],
        )
        for user in councillors_for(plan.locality)
        if user.email
    ]


@task()
def plan_shared_notify_councillors(plan_id: int) -> int:
    """Email each councillor of the shared plan's wards today a link to the plan, once each
    (``_shared_plan_emails``): running it again emails only those not yet told. Nothing once
    the plan is no longer shared (published since: the email says it is not public yet).
    Returns how many were emailed; a fixed number of queries however many councillors."""
    plan = LocalityPlan.objects.select_related("locality").get(pk=plan_id)
    if not plan.is_shared:
        return 0
    return send_once_each(_shared_plan_emails(plan))


@task()
def shared_plans_notify_new_councillors() -> int:
    """The daily job (``run_scheduled_jobs``): for every plan still shared and not yet
    published, email the councillors of its wards who have not been told, those whose term
    began after it was shared or whose term an officer recorded since (a by-election, a
    boundary review). Returns how many were emailed. One query for the plans, one for each
    plan's councillors (a plan is shared for a few weeks, so there are few), two to send."""
    plans = LocalityPlan.objects.filter(status=PlanStatus.SHARED).select_related("locality").order_by("pk")
    return send_once_each([email for plan in plans for email in _shared_plan_emails(plan)])


def _plan_context(plan: LocalityPlan) -> dict:
    return {"title": plan.title, "period": plan.period_label, "place": plan.locality.name, "owner": plan.owner.name}


def _editor_addresses(plan: LocalityPlan) -> list[str]:
    """The email addresses of the active editors of ``plan``'s owner: its writers. One query."""
    return list(
        get_user_model()
        ._default_manager.filter(
            is_active=True, memberships__organisation_id=plan.owner_id, memberships__role=MembershipRole.EDITOR
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


@task()
def plan_comment_notify(comment_id: int) -> bool:
    """After ``services.plan_comment_add``: a new question emails the plan's writers (the
    owner's editors); a reply emails the author of the thread's first comment, unless they
    wrote the reply. Once each per comment (keyed by its id), however often it runs; a plain
    comment starting a thread emails nobody. Returns whether it sent. At most four queries."""
    comment = PlanComment.objects.select_related("plan__locality", "plan__owner", "author", "parent__author").get(
        pk=comment_id
    )
    plan = comment.plan
    link = sign_in_link(comment.get_absolute_url())
    if comment.is_question:
        return send_once(
            key=f"plan-comment-{comment.pk}-question-to-writers",
            template="plan_question",
            context={**_plan_context(plan), "item_title": comment.item_title, "link": link},
            recipients=_editor_addresses(plan),
        )
    thread = comment.parent
    if thread is None or thread.author is None or thread.author_id == comment.author_id:
        return False
    return send_once(
        key=f"plan-comment-{comment.pk}-reply-to-author",
        template="plan_comment_reply",
        context={
            **_plan_context(plan),
            "is_question": thread.is_question,
            "replier": comment.author_label,
            "link": link,
        },
        recipients=[thread.author.email] if thread.author.is_active else [],
    )


@task()
def plan_proposal_decided_notify(proposal_id: int) -> int:
    """Email the person who proposed an item for a lead anchor's plan whether it was accepted
    or declined, with the lead anchor's note and a link to the plan's proposals page; once per
    proposal however often it runs (``send_once_each``). Nothing while it is still waiting, or
    when the proposer has gone, was deactivated or has no email address. Returns how many were emailed (0 or
    1)."""
    proposal = PlanItemProposal.objects.select_related("plan__locality", "plan__owner", "proposer").get(pk=proposal_id)
    proposer = proposal.proposer
    if proposal.is_waiting or proposer is None or not proposer.is_active or not proposer.email:
        return 0
    plan = proposal.plan
    link = reverse("plans:propose", kwargs={"key": plan.slug})
    email = Email(
        key=f"plan-proposal-{proposal.pk}-decided",
        template="plan_proposal_decided",
        context={
            "title": proposal.title,
            "status": proposal.get_status_display().lower(),
            "accepted": proposal.is_accepted,
            "note": proposal.decision_note,
            "plan": plan.title,
            "owner": plan.owner.name,
            "link": sign_in_link(link),
        },
        recipients=[proposer.email],
    )
    return send_once_each([email])
