"""The authorization matrix: for each role, what every view answers — public pages, front-end
editing pages and every admin page of every model — plus the private-field marker test.

Table-driven: ``VIEWS`` must name every URL outside the admin (``test_every_view_has_an_entry``
fails when a view is added without one), and every model registered in the admin is checked
for every role (a new model needs a factory in ``tests/admin_factories.py``).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from core.admin import ExportableAdminMixin, ImportableAdminMixin
from core.models import PublicationStatus
from core.permissions import COUNCILLOR_GROUP
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    WardRepresentationFactory,
    admin_factories,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "councillor", "local_editor", "lead_editor", "officer")
MARKER = "PRIVATE-MARKER-7f3a"
OK, FOUND, NOT_FOUND, NOT_ALLOWED = HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED
FORBIDDEN = HTTPStatus.FORBIDDEN


@pytest.fixture
def world():
    """Kirklees with a lead anchor (Batley and Spen) and its local anchor (Batley East), another
    area's lead anchor, a published group whose officer-only fields carry MARKER, a draft
    group, and one person per role."""
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    network = NetworkFactory(slug="kirklees-network", district=district, structure=NetworkStructure.TIERED)
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    other_area = LocalityFactory(name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=district)
    lead = AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR)
    local = AnchorRoleFactory(network=network, locality=ward, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead)
    other_lead = AnchorRoleFactory(network=network, locality=other_area, role=AnchorRoleKind.LEAD_ANCHOR)
    marked = OrganisationFactory(
        name="Marked Group",
        slug="marked-group",
        localities=[ward],
        contact_name=f"{MARKER} name",
        contact_phone="01632 960999",
        contact_email="private-marker-7f3a@example.org",
    )
    draft = OrganisationFactory(slug="draft-group", status=PublicationStatus.DRAFT, localities=[ward])
    councillor = UserFactory(username="councillor")
    # get_or_create: browser tests flush the database, data-migration rows included.
    councillor.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    WardRepresentationFactory(user=councillor, ward=ward)  # reads plans shared for Batley and Spen
    return {
        "network": network,
        "area": area,
        "ward": ward,
        "lead": lead.organisation,
        "local": local.organisation,
        "other_lead": other_lead.organisation,
        "marked": marked,
        "draft": draft,
        "users": {
            "anonymous": None,
            "member": UserFactory(username="member"),
            "councillor": councillor,
            "local_editor": MembershipFactory(organisation=local.organisation, user__username="local-editor").user,
            "lead_editor": MembershipFactory(organisation=lead.organisation, user__username="lead-editor").user,
            "officer": UserFactory(username="officer", is_staff=True),
        },
    }


def everyone(status: HTTPStatus) -> dict[str, HTTPStatus]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: HTTPStatus, **overrides: HTTPStatus) -> dict[str, HTTPStatus]:
    """Anonymous people are sent to sign in; signed-in roles get ``status`` unless overridden."""
    return {**everyone(status), "anonymous": FOUND, **overrides}


def only(status: HTTPStatus, *roles: str, other: HTTPStatus = NOT_FOUND) -> dict[str, HTTPStatus]:
    """``status`` for ``roles``, ``other`` for everyone else."""
    return {role: (status if role in roles else other) for role in ROLES}


def _meeting(world: dict, visibility: str):
    """One meeting of the world's network per visibility, made on first use."""
    from tests.meetings.factories import MeetingFactory

    key = f"meeting-{visibility}"
    if key not in world:
        world[key] = MeetingFactory(
            network=world["network"], organiser=world["lead"], visibility=visibility, localities=[world["ward"]]
        )
    return world[key]


def _submitted_return(world: dict):
    """A return of the world's network, made on first use."""
    from tests.portal.factories import SubmittedReturnFactory

    if "return" not in world:
        world["return"] = SubmittedReturnFactory(network=world["network"])
    return world["return"]


Url = Callable[[dict], str]

# (URL name, how to build the address from the world, what each role gets). One URL name may
# appear more than once, for records in and out of a role's scope.
VIEWS: list[tuple[str, Url, dict[str, HTTPStatus]]] = [
    ("portal:home", lambda w: reverse("portal:home"), everyone(OK)),
    ("portal:accessibility", lambda w: reverse("portal:accessibility"), everyone(OK)),
    ("portal:privacy", lambda w: reverse("portal:privacy"), everyone(OK)),
    ("portal:cookies", lambda w: reverse("portal:cookies"), everyone(OK)),
    ("portal:sitemap", lambda w: reverse("portal:sitemap"), everyone(OK)),
    ("portal:robots", lambda w: reverse("portal:robots"), everyone(OK)),
    ("portal:login", lambda w: reverse("portal:login"), {**everyone(FOUND), "anonymous": OK}),
    ("portal:logout", lambda w: reverse("portal:logout"), everyone(NOT_ALLOWED)),
    ("portal:account", lambda w: reverse("portal:account"), signed_in(OK)),
    *(
        # The world's councillor represents Batley East: the dashboard of their ward.
        (name, lambda w, name=name: reverse(name), signed_in(OK, member=FORBIDDEN))
        for name in (
            "portal:dashboard",
            "portal:dashboard_csv",
            "portal:dashboard_xlsx",
            "portal:dashboard_print",
            "portal:voices_brief",
        )
    ),
    # The lists behind the dashboard's figures: as the dashboard; a place outside the person's
    # patch (another area's) is not found.
    (
        "portal:dashboard_records",
        lambda w: reverse("portal:dashboard_records", kwargs={"kind": "groups"}),
        signed_in(OK, member=FORBIDDEN),
    ),
    (
        "portal:dashboard_records",
        lambda w: (
            reverse("portal:dashboard_records", kwargs={"kind": "engagements"})
            + "?place=huddersfield&period=year&year=2025&figure=all"
        ),
        signed_in(NOT_FOUND, member=FORBIDDEN, officer=OK),
    ),
    # Quarterly returns: officers and network coordinators' editors (none in this world).
    *(
        (name, lambda w, name=name: reverse(name), signed_in(FORBIDDEN, officer=OK))
        for name in ("portal:return_list", "portal:return_submit")
    ),
    *(
        (name, lambda w, name=name: reverse(name, args=[_submitted_return(w).pk]), signed_in(FORBIDDEN, officer=OK))
        for name in ("portal:return_detail", "portal:return_csv", "portal:return_xlsx")
    ),
    ("organisations:directory", lambda w: reverse("organisations:directory"), everyone(OK)),
    ("organisations:detail", lambda w: w["marked"].get_absolute_url(), everyone(OK)),
    ("organisations:detail", lambda w: w["draft"].get_absolute_url(), everyone(NOT_FOUND)),
    (
        "organisations:edit",
        lambda w: reverse("organisations:edit", args=[w["local"].slug]),
        signed_in(NOT_FOUND, local_editor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "organisations:edit",
        lambda w: reverse("organisations:edit", args=[w["marked"].slug]),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    (
        "organisations:edit",
        lambda w: reverse("organisations:edit", args=[w["other_lead"].slug]),
        signed_in(NOT_FOUND, officer=OK),
    ),
    (
        "organisations:opening_times",
        lambda w: reverse("organisations:opening_times", args=[w["local"].slug]),
        signed_in(NOT_FOUND, local_editor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "organisations:opening_times",
        lambda w: reverse("organisations:opening_times", args=[w["other_lead"].slug]),
        signed_in(NOT_FOUND, officer=OK),
    ),
    ("organisations:network_list", lambda w: reverse("organisations:network_list"), everyone(OK)),
    ("organisations:network_detail", lambda w: w["network"].get_absolute_url(), everyone(OK)),
    ("portal:area_list", lambda w: reverse("portal:area_list"), everyone(OK)),
    ("portal:area_detail", lambda w: w["ward"].get_absolute_url(), everyone(OK)),
    ("portal:area_voices", lambda w: reverse("portal:area_voices", args=[w["area"].slug]), everyone(OK)),
    ("meetings:list", lambda w: reverse("meetings:list"), everyone(OK)),
    ("meetings:past", lambda w: reverse("meetings:past"), everyone(OK)),
    ("meetings:subscribe", lambda w: reverse("meetings:subscribe"), everyone(OK)),
    ("meetings:actions", lambda w: reverse("meetings:actions"), signed_in(OK, member=FORBIDDEN, councillor=FORBIDDEN)),
    ("meetings:feed", lambda w: reverse("meetings:feed"), everyone(OK)),
    (
        "meetings:locality_feed",
        lambda w: reverse("meetings:locality_feed", kwargs={"slug": w["ward"].slug}),
        everyone(OK),
    ),
    (
        "meetings:private_feed",
        lambda w: reverse("meetings:private_feed", kwargs={"token": "x" * 43}),
        everyone(NOT_FOUND),
    ),
    ("meetings:detail", lambda w: _meeting(w, "public").get_absolute_url(), everyone(OK)),
    (
        "meetings:detail",
        lambda w: _meeting(w, "network").get_absolute_url(),
        only(OK, "councillor", "local_editor", "lead_editor", "officer"),
    ),
    ("meetings:detail", lambda w: _meeting(w, "lead_anchors").get_absolute_url(), only(OK, "lead_editor", "officer")),
    ("meetings:ics", lambda w: _meeting(w, "public").get_ics_url(), everyone(OK)),
    (
        "meetings:ics",
        lambda w: _meeting(w, "network").get_ics_url(),
        only(OK, "councillor", "local_editor", "lead_editor", "officer"),
    ),
    ("meetings:ics", lambda w: _meeting(w, "lead_anchors").get_ics_url(), only(OK, "lead_editor", "officer")),
]


def _other_leads_meeting(world: dict):
    """A public meeting organised by the other area's lead anchor."""
    from tests.meetings.factories import MeetingFactory

    if "meeting-other-lead" not in world:
        world["meeting-other-lead"] = MeetingFactory(network=world["network"], organiser=world["other_lead"])
    return world["meeting-other-lead"]


def _editor_url(name: str, meeting) -> str:
    return reverse(name, kwargs={"uuid": meeting.uuid})


# --- The meeting editor (lead-anchor editors and officers) --------------------------------
MEETING_EDITOR_VIEWS: list[tuple[str, Url, dict[str, HTTPStatus]]] = [
    ("meetings:mine", lambda w: reverse("meetings:mine"), signed_in(OK)),
    ("meetings:create", lambda w: reverse("meetings:create"), signed_in(FORBIDDEN, lead_editor=OK, officer=OK)),
    *(
        (name, lambda w, name=name, visibility=visibility: _editor_url(name, _meeting(w, visibility)), expected)
        for name in ("meetings:update", "meetings:records")
        for visibility, expected in (
            ("public", signed_in(NOT_FOUND, lead_editor=OK, officer=OK)),
            ("lead_anchors", signed_in(NOT_FOUND, lead_editor=OK, officer=OK)),
        )
    ),
    (
        "meetings:update",
        lambda w: _editor_url("meetings:update", _other_leads_meeting(w)),
        signed_in(NOT_FOUND, officer=OK),
    ),
    (
        "meetings:records",
        lambda w: _editor_url("meetings:records", _other_leads_meeting(w)),
        signed_in(NOT_FOUND, officer=OK),
    ),
]
VIEWS += MEETING_EDITOR_VIEWS


# --- Locality plans (issue 4) -------------------------------------------------------------
def _plan(w, status: str = "draft", owner: str = "lead"):
    """A plan of ``status`` owned by the world's lead anchor (``owner="other_lead"``: the other
    area's), made once per test and reused by every role."""
    from tests.plans.factories import LocalityPlanFactory

    key = f"plan-{owner}-{status}"
    if key not in w:
        organisation = w[owner]
        locality = organisation.anchor_roles.get().locality
        traits = {} if status == "draft" else {status: True}
        w[key] = LocalityPlanFactory(locality=locality, owner=organisation, **traits)
    return w[key]


def _proposal(w):
    """An item the world's local anchor proposed for its lead anchor's draft, made once."""
    from tests.plans.factories import PlanItemProposalFactory

    if "proposal" not in w:
        w["proposal"] = PlanItemProposalFactory(plan=_plan(w), organisation=w["local"])
    return w["proposal"]


PLAN_VIEWS: list[tuple[str, Url, dict[str, HTTPStatus]]] = [
    ("plans:list", lambda w: reverse("plans:list"), everyone(OK)),
    ("plans:feed", lambda w: reverse("plans:feed"), everyone(OK)),
    ("plans:themes", lambda w: reverse("plans:themes"), everyone(OK)),
    ("plans:mine", lambda w: reverse("plans:mine"), signed_in(OK)),
    (
        "plans:create",
        lambda w: reverse("plans:create"),
        signed_in(HTTPStatus.FORBIDDEN, lead_editor=OK, officer=OK),
    ),
    ("plans:detail", lambda w: _plan(w, "published").get_absolute_url(), everyone(OK)),
    ("plans:detail", lambda w: _plan(w, "superseded").get_absolute_url(), everyone(OK)),
    (
        "plans:detail",
        lambda w: _plan(w, "shared").get_absolute_url(),
        {**everyone(NOT_FOUND), "councillor": OK, "lead_editor": OK, "officer": OK},
    ),
    (
        "plans:detail",
        lambda w: _plan(w, "draft").get_absolute_url(),
        # The local anchors of the lead anchor's area help write its draft (issue 16).
        {**everyone(NOT_FOUND), "local_editor": OK, "lead_editor": OK, "officer": OK},
    ),
    (
        "plans:detail",
        lambda w: _plan(w, "draft", owner="other_lead").get_absolute_url(),
        {**everyone(NOT_FOUND), "officer": OK},
    ),
    (
        "plans:update",
        lambda w: _plan(w, "draft").get_edit_url(),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    (
        "plans:update",
        lambda w: _plan(w, "draft", owner="other_lead").get_edit_url(),
        signed_in(NOT_FOUND, officer=OK),
    ),
    (
        "plans:update",
        lambda w: _plan(w, "superseded").get_edit_url(),
        signed_in(NOT_FOUND),
    ),
    # Plans written together (issue 16): the lead anchor's local anchors propose items for its
    # draft; the plan's editors and officers decide on them.
    ("plans:propose", lambda w: reverse("plans:propose", args=[_plan(w).slug]), signed_in(NOT_FOUND, local_editor=OK)),
    (
        "plans:propose",
        lambda w: reverse("plans:propose", args=[_plan(w, owner="other_lead").slug]),
        signed_in(NOT_FOUND),
    ),
    (
        "plans:proposals",
        lambda w: reverse("plans:proposals", args=[_plan(w).slug]),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    (
        "plans:proposal_decide",
        lambda w: _proposal(w).get_absolute_url(),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    # Share, publish and new version are POST-only (tested in tests/plans/test_editor.py).
    ("plans:share", lambda w: reverse("plans:share", args=[_plan(w).slug]), signed_in(NOT_ALLOWED)),
    ("plans:publish", lambda w: reverse("plans:publish", args=[_plan(w).slug]), signed_in(NOT_ALLOWED)),
    # Councillors (issue 16): the list is everyone's (empty but for councillors); "as shared" is
    # for the plan's councillors (the world's represents Batley East), its owner and officers.
    ("plans:shared_with_you", lambda w: reverse("plans:shared_with_you"), signed_in(OK)),
    (
        "plans:as_shared",
        lambda w: reverse("plans:as_shared", args=[_plan(w, "shared").slug]),
        {**everyone(NOT_FOUND), "councillor": OK, "lead_editor": OK, "officer": OK},
    ),
    (
        "plans:as_shared",
        lambda w: reverse("plans:as_shared", args=[_plan(w, "shared", owner="other_lead").slug]),
        {**everyone(NOT_FOUND), "officer": OK},
    ),
    ("plans:as_shared", lambda w: reverse("plans:as_shared", args=[_plan(w).slug]), everyone(NOT_FOUND)),
    (
        "plans:new_version",
        lambda w: reverse("plans:new_version", args=[_plan(w).slug]),
        signed_in(NOT_ALLOWED),
    ),
    # Questions and comments on a shared plan (issue 16): its ward's councillor, its writers and
    # officers; never the public (sent to sign in), never another anchor's editors.
    (
        "plans:comments",
        lambda w: reverse("plans:comments", args=[_plan(w, "shared").slug]),
        signed_in(NOT_FOUND, councillor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "plans:comments",
        lambda w: reverse("plans:comments", args=[_plan(w, "shared", owner="other_lead").slug]),
        signed_in(NOT_FOUND, officer=OK),
    ),
    ("plans:comments", lambda w: reverse("plans:comments", args=[_plan(w).slug]), signed_in(NOT_FOUND)),
    (
        "plans:comment_thread",
        lambda w: _plan_comment(w).get_absolute_url(),
        signed_in(NOT_FOUND, councillor=OK, lead_editor=OK, officer=OK),
    ),
    ("plans:questions_unanswered", lambda w: reverse("plans:questions_unanswered"), signed_in(OK)),
]
VIEWS += PLAN_VIEWS


def _plan_comment(w):
    """A councillor's question on the world's shared plan, made on first use."""
    from tests.plans.factories import PlanCommentFactory

    if "plan-comment" not in w:
        w["plan-comment"] = PlanCommentFactory(
            plan=_plan(w, "shared"), author=w["users"]["councillor"], is_question=True
        )
    return w["plan-comment"]


# --- The skills and assets exchange (issue 13; the full matrix is tests/engagement/test_exchange.py)
def _exchange(w, who: str, *, need: bool = False):
    """A current offer (or need) of the world's ``who``, of a skill the lead anchor offers."""
    from tests.engagement.factories import ExchangeEntryFactory, SkillTermFactory

    if "skill" not in w:
        w["skill"] = SkillTermFactory()
        ExchangeEntryFactory(organisation=w["lead"], term=w["skill"])
    key = f"exchange-{who}-{need}"
    if key not in w:
        w[key] = ExchangeEntryFactory(organisation=w[who], term=w["skill"], need=need)
    return w[key]


EXCHANGE_VIEWS: list[tuple[str, Url, dict[str, HTTPStatus]]] = [
    ("engagement:exchange", lambda w: reverse("engagement:exchange"), signed_in(OK)),
    ("engagement:exchange_matches", lambda w: reverse("engagement:exchange_matches"), signed_in(OK)),
    (
        "engagement:exchange_create",
        lambda w: reverse("engagement:exchange_create"),
        signed_in(FORBIDDEN, local_editor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:exchange_update",
        lambda w: reverse("engagement:exchange_update", args=[_exchange(w, "local").pk]),
        signed_in(NOT_FOUND, local_editor=OK, officer=OK),
    ),
    (
        "engagement:exchange_update",
        lambda w: reverse("engagement:exchange_update", args=[_exchange(w, "marked", need=True).pk]),
        signed_in(NOT_FOUND, officer=OK),
    ),
    # The marked group's need: network members see it; the lead anchor offers what it needs.
    (
        "engagement:exchange_accept",
        lambda w: reverse("engagement:exchange_accept", args=[_exchange(w, "marked", need=True).pk]),
        signed_in(NOT_FOUND, local_editor=FORBIDDEN, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:exchange_accept",
        lambda w: reverse("engagement:exchange_accept", args=[_exchange(w, "draft", need=True).pk]),
        signed_in(NOT_FOUND, officer=OK),
    ),
]
VIEWS += EXCHANGE_VIEWS


# --- Requests for support (issue 13) -------------------------------------------------------
def _support_request(w, anchor: str = "lead"):
    """A request routed to the world's lead anchor (or ``anchor``), made once per test."""
    from tests.engagement.factories import SupportRequestFactory

    key = f"support-request-{anchor}"
    if key not in w:
        w[key] = SupportRequestFactory(anchor=w[anchor], locality=w["area"])
    return w[key]


def _group_submission(w, reviewer: str = "lead"):
    """A new group sent to ``reviewer`` for review, made on first use."""
    from tests.factories import GroupSubmissionFactory

    key = f"group-submission-{reviewer}"
    if key not in w:
        w[key] = GroupSubmissionFactory(reviewer=w[reviewer], locality=w["ward"])
    return w[key]


SUPPORT_VIEWS: list[tuple[str, Url, dict[str, HTTPStatus]]] = [
    ("engagement:ask", lambda w: reverse("engagement:ask"), everyone(OK)),
    ("engagement:ask_sent", lambda w: reverse("engagement:ask_sent"), everyone(OK)),
    ("engagement:add_group", lambda w: reverse("engagement:add_group"), everyone(OK)),
    ("engagement:add_group_sent", lambda w: reverse("engagement:add_group_sent"), everyone(OK)),
    # Everyone signed in may open it; it lists only the new groups sent to anchors they edit.
    ("organisations:new_groups", lambda w: reverse("organisations:new_groups"), signed_in(OK)),
    # One group: its reviewing anchor's editors and officers (the network's coordinator too:
    # tests/organisations/test_group_decisions.py); everyone else 404, as for no group at all.
    (
        "organisations:new_group_detail",
        lambda w: _group_submission(w).get_absolute_url(),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    (
        "organisations:new_group_detail",
        lambda w: _group_submission(w, "other_lead").get_absolute_url(),
        signed_in(NOT_FOUND, officer=OK),
    ),
    (
        "engagement:request_queue",
        lambda w: reverse("engagement:request_queue"),
        signed_in(OK, member=FORBIDDEN, councillor=FORBIDDEN),
    ),
    (
        "engagement:request_detail",
        lambda w: _support_request(w).get_absolute_url(),
        signed_in(NOT_FOUND, member=FORBIDDEN, councillor=FORBIDDEN, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:request_detail",
        lambda w: _support_request(w, "other_lead").get_absolute_url(),
        signed_in(NOT_FOUND, member=FORBIDDEN, councillor=FORBIDDEN, officer=OK),
    ),
]
VIEWS += SUPPORT_VIEWS


# --- The engagement log's follow-ups (issue 13; who may mark which: tests/engagement/test_follow_ups.py)
def _follow_up(w, anchor: str = "lead"):
    from tests.engagement.factories import EngagementFactory

    key = f"follow-up-{anchor}"
    if key not in w:
        w[key] = EngagementFactory(anchor=w[anchor], follow_up_on=datetime.date(2026, 1, 5))
    return w[key]


VIEWS += [
    # Everyone signed in may open the list: it shows only the logs they keep.
    ("engagement:follow_ups", lambda w: reverse("engagement:follow_ups"), signed_in(OK)),
    # Likewise the outreach list: it shows only the groups of the person's own patch.
    ("engagement:outreach", lambda w: reverse("engagement:outreach"), signed_in(OK)),
    # Marking done is POST only: a GET changes nothing for anyone.
    (
        "engagement:follow_up_done",
        lambda w: reverse("engagement:follow_up_done", args=[_follow_up(w).pk]),
        signed_in(HTTPStatus.METHOD_NOT_ALLOWED),
    ),
    # The log itself (the full matrix is tests/engagement/test_log_forms.py): everyone signed in
    # may open the list, which shows only the logs they keep; recording needs one to keep.
    ("engagement:engagements", lambda w: reverse("engagement:engagements"), signed_in(OK)),
    (
        "engagement:engagement_create",
        lambda w: reverse("engagement:engagement_create"),
        signed_in(FORBIDDEN, local_editor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:engagement_update",
        lambda w: reverse("engagement:engagement_update", args=[_follow_up(w).pk]),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:engagement_update",
        lambda w: reverse("engagement:engagement_update", args=[_follow_up(w, "local").pk]),
        signed_in(NOT_FOUND, local_editor=OK, officer=OK),
    ),
    (
        "engagement:engagement_update",
        lambda w: reverse("engagement:engagement_update", args=[_follow_up(w, "other_lead").pk]),
        signed_in(NOT_FOUND, officer=OK),
    ),
]


def _relationship(w, anchor: str = "lead"):
    from tests.engagement.factories import SupportRelationshipFactory

    key = f"relationship-{anchor}"
    if key not in w:
        w[key] = SupportRelationshipFactory(anchor=w[anchor], group=w["marked"])
    return w[key]


# --- Support relationships (issue 13; the full matrix is tests/engagement/test_log_forms.py)
VIEWS += [
    ("engagement:relationships", lambda w: reverse("engagement:relationships"), signed_in(OK)),
    (
        "engagement:relationship_create",
        lambda w: reverse("engagement:relationship_create"),
        signed_in(FORBIDDEN, local_editor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:relationship_update",
        lambda w: reverse("engagement:relationship_update", args=[_relationship(w).pk]),
        signed_in(NOT_FOUND, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:relationship_update",
        lambda w: reverse("engagement:relationship_update", args=[_relationship(w, "other_lead").pk]),
        signed_in(NOT_FOUND, officer=OK),
    ),
]


# --- Why a group is quiet: the world's marked group is in Batley East, the local anchor's ward
# inside the lead anchor's area (the full matrix is tests/engagement/test_log_forms.py).
VIEWS += [
    (
        "engagement:quiet_note",
        lambda w: reverse("engagement:quiet_note", args=[w["marked"].pk]),
        signed_in(NOT_FOUND, local_editor=OK, lead_editor=OK, officer=OK),
    ),
    (
        "engagement:quiet_note",
        lambda w: reverse("engagement:quiet_note", args=[w["lead"].pk]),
        signed_in(NOT_FOUND),
    ),
]


# --- The Open Referral UK API (tests/api/test_oruk.py): public, the same for everyone; a
# record that is not public answers 404 exactly like a missing one.
def _api_id(kind: str, organisation) -> str:
    from api import identifiers

    return getattr(identifiers, f"{kind}_id")(organisation.uuid)


VIEWS += [
    ("api:root", lambda w: reverse("api:root"), everyone(OK)),
    ("api:openapi", lambda w: reverse("api:openapi"), everyone(OK)),
    ("api:services", lambda w: reverse("api:services"), everyone(OK)),
    ("api:service", lambda w: reverse("api:service", args=[_api_id("service", w["marked"])]), everyone(OK)),
    ("api:service", lambda w: reverse("api:service", args=[_api_id("service", w["draft"])]), everyone(NOT_FOUND)),
    ("api:service_at_locations", lambda w: reverse("api:service_at_locations"), everyone(OK)),
    (
        "api:service_at_location",
        lambda w: reverse("api:service_at_location", args=[_api_id("service_at_location", w["draft"])]),
        everyone(NOT_FOUND),
    ),
    ("api:taxonomies", lambda w: reverse("api:taxonomies"), everyone(OK)),
    ("api:taxonomy", lambda w: reverse("api:taxonomy", args=[_api_id("service", w["marked"])]), everyone(NOT_FOUND)),
    ("api:taxonomy_terms", lambda w: reverse("api:taxonomy_terms"), everyone(OK)),
    (
        "api:taxonomy_term",
        lambda w: reverse("api:taxonomy_term", args=[_api_id("service", w["marked"])]),
        everyone(NOT_FOUND),
    ),
    ("api:unknown", lambda w: reverse("api:unknown", args=["organizations"]), everyone(NOT_FOUND)),
]


def _client_for(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def _url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# --- Residents' voices (issue 16; the full rules: tests/voices/test_anchor_pages.py)
def _voice(w, place: str = "ward"):
    """A voice about ``place``, routed to the anchor leading it, made on first use."""
    from tests.voices.factories import VoiceFactory

    key = f"voice-{place}"
    if key not in w:
        anchor = w["other_lead"] if place == "other_area" else w["lead"]
        locality = w[place] if place in w else anchor.anchor_roles.get().locality
        w[key] = VoiceFactory(locality=locality, anchor=anchor)
    return w[key]


NOT_ANCHORS = {"member": FORBIDDEN, "councillor": FORBIDDEN}
VIEWS += [
    # The public form of every area and ward page, and its confirmation.
    ("voices:tell_us", lambda w: reverse("voices:tell_us", args=[w["ward"].slug]), everyone(OK)),
    ("voices:tell_us_sent", lambda w: reverse("voices:tell_us_sent", args=[w["area"].slug]), everyone(OK)),
    # Anchors' editors and officers only; never councillors (voices are not public as written).
    ("voices:list", lambda w: reverse("voices:list"), signed_in(OK, **NOT_ANCHORS)),
    ("voices:create", lambda w: reverse("voices:create"), signed_in(OK, **NOT_ANCHORS)),
    (
        "voices:detail",
        lambda w: _voice(w).get_absolute_url(),
        signed_in(NOT_FOUND, **NOT_ANCHORS, lead_editor=OK, local_editor=OK, officer=OK),
    ),
    (
        "voices:detail",
        lambda w: _voice(w, "other_area").get_absolute_url(),
        signed_in(NOT_FOUND, **NOT_ANCHORS, officer=OK),
    ),
]


def test_every_view_has_an_entry():
    missing = _url_names(get_resolver().url_patterns) - {name for name, _, _ in VIEWS}
    assert not missing, f"Add these views to VIEWS in {__file__}: {sorted(missing)}"


@pytest.mark.parametrize(("name", "url", "expected"), VIEWS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(VIEWS)])
def test_each_role_gets_the_expected_answer_from_each_view(client, world, name, url, expected):
    answers = {}
    for role in ROLES:
        client.logout()
        answers[role] = _client_for(client, world, role).get(url(world)).status_code
    assert answers == expected, name


ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history", "export", "import")


def _admin_urls(model, obj) -> dict[str, str]:
    """Every admin page of ``model`` (and ``obj``): the export too, where the admin has one."""
    opts = model._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    urls = {
        "changelist": reverse(f"{prefix}_changelist"),
        "add": reverse(f"{prefix}_add"),
        "change": reverse(f"{prefix}_change", args=[obj.pk]),
        "delete": reverse(f"{prefix}_delete", args=[obj.pk]),
        "history": reverse(f"{prefix}_history", args=[obj.pk]),
    }
    if isinstance(admin.site._registry[model], ExportableAdminMixin):
        urls["export"] = reverse(f"{prefix}_export")
    if isinstance(admin.site._registry[model], ImportableAdminMixin):
        urls["import"] = reverse(f"{prefix}_import")
    return urls


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_only_officers_reach_any_admin_page(client, world, model):
    factory = admin_factories().get(model)
    assert factory is not None, (
        f"{model._meta.label} is in the admin: add a factory to FACTORIES in tests/factories.py "
        "(or the app's tests/<app>/factories.py)"
    )
    urls = _admin_urls(model, factory())
    model_admin = admin.site._registry[model]
    for role in ROLES:
        client.logout()
        client = _client_for(client, world, role)
        for view, url in urls.items():
            response = client.get(url)
            if role != "officer" and view == "export":
                # Asked for the file itself too, not only the form.
                assert client.post(url, {"format": "0"}).status_code == FOUND, f"{role} export {model._meta.label}"
            if role != "officer" and view == "import":
                # The preview and the confirmation too, not only the form.
                assert client.post(url, {"format": "0"}).status_code == FOUND, f"{role} import {model._meta.label}"
                confirm = url.replace("/import/", "/process_import/")
                assert client.post(confirm, {"format": "0"}).status_code == FOUND, f"{role} confirm {model._meta.label}"
            if role != "officer":
                assert response.status_code == FOUND, f"{role} {view} {model._meta.label}"
                assert reverse("admin:login") in response["Location"]
            elif not _officer_may(model_admin, view, _request_for(world["users"]["officer"])):
                # Imported or public-form records: nobody adds (or deletes) them by hand.
                assert response.status_code == HTTPStatus.FORBIDDEN, f"officer {view} {model._meta.label}"
            else:
                assert response.status_code == OK, f"officer {view} {model._meta.label}"


def _officer_may(model_admin, view: str, request) -> bool:
    if view == "add":
        return model_admin.has_add_permission(request)
    if view == "delete":
        return model_admin.has_delete_permission(request)
    return True


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("role", [r for r in ROLES if r != "officer"])
def test_admin_search_and_autocomplete_reveal_nothing_to_others(client, world, role):
    client = _client_for(client, world, role)
    search = client.get(reverse("admin:organisations_organisation_changelist"), {"q": "Marked"})
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "organisations", "model_name": "membership", "field_name": "organisation", "term": "Marked"},
    )
    for response in (search, autocomplete):
        assert response.status_code == FOUND
        assert "Marked Group" not in response.content.decode()


def _text_of(response) -> str:
    """What a person reads in a response: the page, or every cell of a spreadsheet download
    (an XLSX is a zip, whose bytes say nothing about its text)."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    return response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "member", "councillor"])
def test_officer_only_fields_never_reach_a_page_they_can_open(client, world, role):
    client = _client_for(client, world, role)
    pages = [url(world) for _, url, expected in VIEWS if expected[role] == OK]
    pages += [
        reverse("organisations:directory") + "?q=Marked",
        reverse("organisations:directory") + "?area=batley-east",
    ]
    for page in pages:
        body = _text_of(client.get(page))
        assert MARKER not in body, page
        assert "private-marker-7f3a" not in body, page
        assert "01632 960999" not in body, page
    # Searching for a private value finds nothing (the search box echoes the words, so only
    # the results are checked here).
    for private_value in (MARKER, "private-marker-7f3a@example.org", "01632 960999"):
        assert client.get(reverse("organisations:directory"), {"q": private_value}).context["paginator"].count == 0


# ------------------------------------------------------------------------------
# Accounts: nobody changes an account with more power than their own, or grants a power they
# lack, by any admin view (core.admin.NoGreaterPowerMixin)
# ------------------------------------------------------------------------------
def _account_url(view: str, user) -> str:
    if view == "password":
        return reverse("admin:auth_user_password_change", args=[user.pk])
    return reverse(f"admin:auth_user_{view}", args=[user.pk])


ACCOUNT_POWERS = [
    # (acting as, on whose account, view, method, expected status)
    ("officer", "superuser", "change", "get", OK),  # read-only: an officer may see who is who
    ("officer", "superuser", "change", "post", FORBIDDEN),
    ("officer", "superuser", "password", "get", FORBIDDEN),
    ("officer", "superuser", "password", "post", FORBIDDEN),
    ("officer", "superuser", "delete", "get", FORBIDDEN),
    ("officer", "superuser", "delete", "post", FORBIDDEN),
    ("officer", "other_officer", "password", "get", OK),
    ("officer", "other_officer", "change", "get", OK),
    ("superuser", "other_superuser", "password", "get", OK),
    ("superuser", "officer", "change", "get", OK),
]


@pytest.fixture
def accounts(world):
    return {
        "officer": world["users"]["officer"],
        "other_officer": UserFactory(username="other-officer", is_staff=True),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
        "other_superuser": UserFactory(username="root-2", is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize(("actor", "target", "view", "method", "expected"), ACCOUNT_POWERS)
def test_no_one_changes_an_account_with_more_power_than_their_own(
    client, accounts, actor, target, view, method, expected
):
    client.force_login(accounts[actor])
    url = _account_url(view, accounts[target])
    data = {"password1": "A-new-passw0rd!", "password2": "A-new-passw0rd!", "usable_password": "true"}
    if view == "delete":
        data = {"post": "yes"}
    elif view == "change":
        data = {"username": accounts[target].username, "is_active": ""}
    response = getattr(client, method)(url, data)
    assert response.status_code == expected
    target_user = type(accounts[target]).objects.get(pk=accounts[target].pk)
    if expected == FORBIDDEN:
        assert target_user.is_active
        assert not target_user.check_password("A-new-passw0rd!")


def test_an_officers_bulk_delete_cannot_take_a_superuser_with_it(client, accounts):
    client.force_login(accounts["officer"])
    client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [accounts["superuser"].pk, accounts["other_officer"].pk],
            "post": "yes",
        },
    )
    assert type(accounts["superuser"]).objects.filter(pk=accounts["superuser"].pk).exists()


def test_an_officer_cannot_grant_a_power_they_lack(client, accounts):
    """Neither superuser status nor raw permissions are offered, and posting them does nothing."""
    other = accounts["other_officer"]
    client.force_login(accounts["officer"])
    url = reverse("admin:auth_user_change", args=[other.pk])
    form = client.get(url).context["adminform"].form
    assert {"is_superuser", "user_permissions"}.isdisjoint(form.fields)
    group_form = client.get(reverse("admin:auth_group_add")).context["adminform"].form
    assert "permissions" not in group_form.fields
    client.post(url, {"username": other.username, "is_active": "on", "is_staff": "on", "is_superuser": "on"})
    other.refresh_from_db()
    assert not other.is_superuser


def test_a_revoked_calendar_address_cannot_come_back_from_its_history(client, accounts):
    from meetings.services import calendar_token_create, calendar_token_revoke

    owner = UserFactory(username="subscriber")
    row, _token = calendar_token_create(user=owner)
    calendar_token_revoke(user=owner)
    row.refresh_from_db()
    active_version = row.history.filter(revoked_at__isnull=True).order_by("history_date").first()
    client.force_login(accounts["superuser"])
    url = reverse("admin:meetings_calendartoken_simple_history", args=[row.pk, active_version.history_id])
    assert client.get(url).status_code == OK  # the history is readable
    assert client.post(url, {"user": owner.pk, "revoked_at": ""}).status_code == FORBIDDEN
    row.refresh_from_db()
    assert row.revoked_at is not None
