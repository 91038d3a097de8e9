"""Background tasks of locality plans (django-tasks): telling councillors a plan was shared
with them. Each takes ids, works out its recipients when it runs, and sends once per event
however often it runs (``core.notifications``)."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django_tasks import task

from core.notifications import Email, absolute_url, send_once_each
from localities.selectors import councillors_for

from .models import LocalityPlan


@task()
def plan_shared_notify_councillors(plan_id: int) -> int:
    """Email each councillor of the shared plan's wards today (``localities.selectors.
    councillors_for``) a link to the plan, once each: the event is keyed by plan and
    councillor, so running it again (or after an officer adds a councillor's term) emails only
    those not yet told. Councillors without an email address are skipped. Returns how many were
    emailed; a fixed number of queries however many councillors."""
    plan = LocalityPlan.objects.select_related("locality").get(pk=plan_id)
    if not plan.shared_on:
        return 0
    context = {
        "title": plan.title,
        "period": plan.period_label,
        "place": plan.locality.name,
        "shared_on": plan.shared_on,
        # Through the sign-in page: a shared plan answers 404 to someone signed out, and the
        # sign-in page sends a signed-in councillor straight on to it.
        "link": absolute_url(f"{reverse('portal:login')}?next={quote(plan.get_absolute_url())}"),
    }
    emails = [
        Email(
            key=f"plan-{plan.pk}-shared-with-councillor-{user.pk}",
            template="plan_shared",
            context=context,
            recipients=[user.email],
        )
        for user in councillors_for(plan.locality)
        if user.email
    ]
    return send_once_each(emails)
