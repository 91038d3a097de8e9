"""The locality plans of the demo data (see ``core.demo``): the fictional plans of
``plans.demo_data`` (published, superseded, draft and shared), with their items (numbered in
each section in the order given) and references, and for the shared plan the record of what was
shared (``PlanShare``); an item a local anchor proposed (``PlanItemProposal``); and, once
the demo people exist, the demo councillor's question on it and the anchor's answer
(``load_demo_plan_comments``)."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model

from core.demo import DemoLoader
from localities.demo import Places
from organisations.demo import DemoOrganisations

from . import demo_data as data
from .models import (
    METHOD_FIELDS,
    CommentRole,
    LocalityPlan,
    PlanComment,
    PlanItem,
    PlanItemProposal,
    PlanReference,
    PlanShare,
    PlanStatus,
)
from .selectors import plan_snapshot


def load_demo_plans(loader: DemoLoader, places: Places, organisations: DemoOrganisations) -> None:
    by_slug: dict[str, LocalityPlan] = {}
    for fact in data.PLANS:
        plan = by_slug[fact.slug] = loader.upsert(
            LocalityPlan,
            {"slug": fact.slug},
            {
                "title": fact.title,
                "locality": places["area", fact.area],
                "owner": organisations.by_slug[fact.owner],
                "period_start": fact.period_start,
                "period_end": fact.period_end,
                "summary": fact.summary,
                "status": PlanStatus(fact.status),
                "shared_on": fact.shared_on,
                "published_on": fact.published_on,
                "supersedes": by_slug[fact.supersedes] if fact.supersedes else None,
            },
        )
        numbers: Counter[str] = Counter()
        for item in fact.items:
            numbers[item.kind] += 1
            saved = loader.upsert(
                PlanItem,
                {"plan": plan, "kind": item.kind, "order": numbers[item.kind]},
                {
                    "title": item.title,
                    "detail": item.detail,
                    "people_heard": item.people_heard,
                    **{field: method in item.methods for method, field in METHOD_FIELDS.items()},
                },
            )
            loader.set_related(saved, "themes", [organisations.terms[code] for code in item.themes])
            loader.set_related(saved, "organisations", [organisations.by_slug[slug] for slug in item.organisations])
        for kind, title, owner in fact.references:
            loader.upsert(PlanReference, {"plan": plan, "title": title}, {"kind": kind, "owner": owner})
        if fact.shared_on:
            _load_share(loader, plan, fact)
    for proposal in data.PROPOSALS:
        # Waiting for the lead anchor's answer; the demo's local editor is made later
        # (``load_people``), so no proposer is named.
        loader.upsert(
            PlanItemProposal,
            {"plan": by_slug[proposal.plan], "title": proposal.title},
            {
                "organisation": organisations.by_slug[proposal.organisation],
                "kind": proposal.kind,
                "detail": proposal.detail,
                "note": proposal.note,
            },
        )


def _load_share(loader: DemoLoader, plan: LocalityPlan, fact: data.DemoPlan) -> None:
    """What the demo plan was when it was shared: its items, less those written since. Made
    once; a second run leaves it, as the portal never changes what was shared."""
    if PlanShare.objects.filter(plan=plan).exists():
        return
    later = {item.title for item in fact.items if item.added_after_sharing}
    snapshot = plan_snapshot(plan)
    snapshot["items"] = [row for row in snapshot["items"] if row["title"] not in later]
    loader.upsert(PlanShare, {"plan": plan}, {"shared_on": fact.shared_on, "snapshot": snapshot})


def load_demo_plan_comments(loader: DemoLoader) -> None:
    """The questions and comments of ``demo_data.COMMENTS``, by the demo people (so after
    ``organisations.demo.load_demo_people``, with DEBUG on only). A reply without a username is
    the plan's writers' (the demo has no account for them): it answers the question. Looked up
    by their text, so a second run changes nothing."""
    users = {user.username: user for user in get_user_model()._default_manager.filter(username__in=_comment_authors())}
    for fact in data.COMMENTS:
        plan = LocalityPlan.objects.get(slug=fact.plan)
        item = plan.items.get(title=fact.item) if fact.item else None
        thread = loader.upsert(
            PlanComment,
            {"plan": plan, "parent": None, "body": fact.body},
            {
                "author": users[fact.author],
                "author_role": CommentRole.COUNCILLOR,
                "item": item,
                "item_title": item.title if item else "",
                "is_question": fact.is_question,
            },
        )
        for username, body in fact.replies:
            loader.upsert(
                PlanComment,
                {"plan": plan, "parent": thread, "body": body},
                {
                    "author": users[username] if username else None,
                    "author_role": CommentRole.COUNCILLOR if username else CommentRole.EDITOR,
                },
            )


def _comment_authors() -> set[str]:
    return {fact.author for fact in data.COMMENTS} | {
        name for fact in data.COMMENTS for name, _ in fact.replies if name
    }
