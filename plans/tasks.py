"""Background tasks of locality plans (django-tasks): telling councillors a plan was shared
with them. Each takes ids, works out its recipients when it runs, and sends once per event
however often it runs (``core.notifications``)."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django_tasks import task

from core.notifications import Email, absolute_url, send_once_each
from localities.selectors import councillors_for

from .models import LocalityPlan, PlanItemProposal, PlanStatus


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
        # Through the sign-in page: a shared plan answers 404 to someone signed out, and the
        # sign-in page sends a signed-in councillor straight on to it.
        "link": absolute_url(f"{reverse('portal:login')}?next={quote(plan.get_absolute_url())}"),
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


@task()
def plan_proposal_decided_notify(proposal_id: int) -> int:
    """Email the person who proposed an item for a lead anchor's plan whether it was accepted
    or declined, with the lead anchor's note and a link to the plan's proposals page; once per
    proposal however often it runs (``send_once_each``). Nothing while it is still waiting, or
    when the proposer has gone or has no email address. Returns how many were emailed (0 or
    1)."""
    proposal = PlanItemProposal.objects.select_related("plan__locality", "plan__owner", "proposer").get(pk=proposal_id)
    proposer = proposal.proposer
    if proposal.is_waiting or proposer is None or not proposer.email:
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
            "link": absolute_url(f"{reverse('portal:login')}?next={quote(link)}"),
        },
        recipients=[proposer.email],
    )
    return send_once_each([email])
