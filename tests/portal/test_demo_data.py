"""``manage.py load_demo_data``: idempotent, faithful to the public facts, demo records labelled."""

import datetime
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max
from django.test import override_settings

from engagement.models import ExchangeEntry
from engagement.selectors import exchange_matches
from localities.models import Locality, LocalityKind
from meetings.models import Action, Attendance, Meeting, MeetingSeries
from organisations import demo_data
from organisations.duplicates import duplicates_by_organisation
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    GroupSubmission,
    Initiative,
    Network,
    Organisation,
    ProfileRevision,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from plans.models import LocalityPlan, PlanComment, PlanItem, PlanReference, PlanStatus
from plans.selectors import plan_changes_since_shared, plan_detail
from voices.models import Voice

pytestmark = pytest.mark.django_db

MODELS = (
    Locality,
    Taxonomy,
    TaxonomyTerm,
    Initiative,
    Organisation,
    Network,
    AnchorRole,
    LocalityPlan,
    PlanItem,
    PlanReference,
    PlanComment,
    MeetingSeries,
    Meeting,
    Attendance,
    Action,
    ProfileRevision,
    ExchangeEntry,
    GroupSubmission,
    Schedule,
    Voice,
)

# The 56 wards of the research notes' localities.csv, written out here so that the test checks
# the loader's data rather than itself.
CSV_WARDS = {
    "Adel and Wharfedale", "Alwoodley", "Ardsley and Robin Hood", "Armley",
    "Beeston and Holbeck", "Bramley and Stanningley", "Burmantofts and Richmond Hill",
    "Calverley and Farsley", "Chapel Allerton", "Cross Gates and Whinmoor",
    "Farnley and Wortley", "Garforth and Swillington", "Gipton and Harehills",
    "Guiseley and Rawdon", "Harewood", "Headingley and Hyde Park", "Horsforth",
    "Hunslet and Riverside", "Killingbeck and Seacroft", "Kippax and Methley", "Kirkstall",
    "Little London and Woodhouse", "Middleton Park", "Moortown", "Morley North", "Morley South",
    "Otley and Yeadon", "Pudsey", "Rothwell", "Roundhay", "Temple Newsam", "Weetwood", "Wetherby",
    "Batley East", "Batley West", "Birstall and Birkenshaw", "Cleckheaton", "Heckmondwike",
    "Liversedge and Gomersal", "Dewsbury East", "Dewsbury South", "Dewsbury West", "Mirfield",
    "Almondbury", "Ashbrow", "Crosland Moor and Netherton", "Dalton", "Greenhead", "Lindley",
    "Newsome", "Golcar", "Colne Valley", "Denby Dale", "Holme Valley North", "Holme Valley South",
    "Kirkburton",
}  # fmt: skip
NEW_2026_WARDS = {"Colne Valley East", "Colne Valley West", "Crosland Moor"}
ABOLISHED_2026_WARDS = {"Colne Valley", "Crosland Moor and Netherton", "Golcar", "Newsome"}


def load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def demo(migrated_rows, django_db_blocker) -> Iterator[None]:
    """The demo data, loaded once for the module (a load takes seconds) with DEBUG on, as
    ``make run`` loads it: the officer and the demo people too. It is committed, so each test
    reads it inside its own transaction, which is rolled back; at the end of the module the
    database is put back as the migrations left it. ``tests/conftest.py`` keeps this module's
    tests on one pytest-xdist worker, in one go."""
    with django_db_blocker.unblock():
        try:
            with override_settings(DEBUG=True):
                load()
            yield
        finally:
            migrated_rows.restore()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "links": sum(field.remote_field.through.objects.count() for field in Organisation._meta.many_to_many),
        "users": get_user_model().objects.count(),
    }


def test_loading_twice_changes_nothing_and_creates_no_duplicates(settings):
    # With DEBUG on the load also makes the demo officer, the demo people and their edit
    # waiting for review (the module's first load did): the second run changes none of those.
    settings.DEBUG = True
    first = counts()
    last_change = {model.__name__: model.objects.aggregate(Max("updated_at")) for model in MODELS}

    output = load()

    assert counts() == first
    assert {model.__name__: model.objects.aggregate(Max("updated_at")) for model in MODELS} == last_change
    assert "nothing changed" in output


def test_every_ward_of_the_sources_and_the_new_2026_wards_exist():
    wards = set(Locality.objects.filter(kind=LocalityKind.WARD).values_list("name", flat=True))

    assert len(CSV_WARDS) == 56
    assert wards == CSV_WARDS | NEW_2026_WARDS
    assert Locality.objects.get(name="Armley").gss_code == "E05011385"
    assert Locality.objects.get(name="Horsforth").gss_code is None
    assert Locality.objects.get(slug="kirklees-rural").kind == LocalityKind.AREA


def test_every_ward_with_a_code_gets_its_2019_outline_and_the_others_none():
    with_outline = Locality.objects.filter(kind=LocalityKind.WARD, boundary__isnull=False)

    assert with_outline.count() == 45
    assert set(with_outline.values_list("gss_code", flat=True)) == set(
        Locality.objects.filter(kind=LocalityKind.WARD, gss_code__isnull=False).values_list("gss_code", flat=True)
    )
    armley = Locality.objects.get(name="Armley").boundary
    assert armley.geometry["type"] == "MultiPolygon"
    assert "Open Government Licence v.3.0" in armley.attribution
    assert not Locality.objects.filter(name="Horsforth", boundary__isnull=False).exists()
    # No population was invented: the shared data has no published figures.
    assert not Locality.objects.filter(population__isnull=False).exists()


def test_abolished_kirklees_wards_are_not_current_and_new_ones_are():
    after_elections = datetime.date(2026, 5, 7)

    assert not Locality.objects.current().filter(name__in=ABOLISHED_2026_WARDS).exists()
    assert not Locality.objects.current(after_elections).filter(name__in=ABOLISHED_2026_WARDS).exists()
    assert Locality.objects.current(after_elections).filter(name__in=NEW_2026_WARDS).count() == 3
    assert Locality.objects.current(datetime.date(2026, 5, 6)).filter(name__in=ABOLISHED_2026_WARDS).count() == 4
    assert not Locality.objects.filter(name__in=NEW_2026_WARDS, gss_code__isnull=False).exists()


def test_kirklees_has_four_current_lead_anchors_and_eleven_local_anchors():
    kirklees = Network.objects.get(slug="kirklees-community-anchor-network")
    roles = AnchorRole.objects.current().filter(network=kirklees)

    assert roles.filter(role=AnchorRoleKind.LEAD_ANCHOR).count() == 4
    assert roles.filter(role=AnchorRoleKind.LOCAL_ANCHOR).count() == 11
    assert set(roles.leads().values_list("locality__kind", flat=True)) == {LocalityKind.AREA}
    mission = roles.get(organisation__name="Huddersfield Mission")
    assert mission.lead.organisation.name == "Huddersfield lead anchor (demo)"


def test_no_real_organisation_has_contact_details_or_registration_numbers():
    real = Organisation.objects.filter(is_demo=False)

    assert real.count() == len(demo_data.REAL_ORGANISATIONS)
    assert not real.exclude(email="", phone="", address="", postcode="", charity_number="", company_number="").exists()


def test_only_groundwork_yorkshire_and_huddersfield_mission_hold_real_anchor_roles():
    holders = set(AnchorRole.objects.filter(organisation__is_demo=False).values_list("organisation__name", flat=True))

    assert holders == {"Groundwork Yorkshire", "Huddersfield Mission"}


def test_every_lead_anchor_placeholder_is_labelled_demo():
    leads = Organisation.objects.filter(anchor_roles__role=AnchorRoleKind.LEAD_ANCHOR)

    assert leads.count() == 4
    assert all(lead.name.endswith("(demo)") and lead.is_demo for lead in leads)


def test_demo_groups_have_only_obviously_fictional_contact_details():
    with_contacts = Organisation.objects.exclude(email="")

    assert with_contacts.filter(is_demo=False).count() == 0
    for group in with_contacts:
        assert group.email == f"hello@{group.slug}.example.org"
        assert group.phone.startswith(("0113 496 0", "01632 960"))
        assert group.address == demo_data.DEMO_ADDRESS
    assert Organisation.objects.filter(name="St. Mary's Lunch Club (demo)", postcode="LS15 0AB").exists()


def test_only_demo_groups_have_opening_times_costs_languages_and_access():
    """The shared public facts hold none of these for the real organisations: none invented."""
    real = Organisation.objects.filter(is_demo=False)
    assert not Schedule.objects.filter(organisation__in=real).exists()
    assert not real.exclude(cost_option="", step_free_access="unknown", accessibility_details="").exists()
    assert not real.filter(languages__isnull=False).exists()
    public = Organisation.objects.public()
    # Enough for every directory filter to find something: a weekend, free, a language.
    saturday = datetime.date(2026, 5, 9)
    assert public.open_on([saturday, saturday + datetime.timedelta(days=1)]).count() >= 3
    assert public.free().count() >= 10
    assert public.speaking("ur").count() >= 3
    assert Schedule.objects.filter(valid_from__isnull=False).exists()  # a season
    assert Schedule.objects.filter(by_appointment=True).exists()


def test_kirklees_demo_groups_take_no_leeds_initiatives():
    kirklees = Locality.objects.get(slug="kirklees")
    in_kirklees = Organisation.objects.filter(is_demo=True).serving(kirklees)

    assert not in_kirklees.filter(initiatives__isnull=False).exists()


def test_officer_account_is_created_only_with_debug(settings):
    get_user_model().objects.filter(username="officer").delete()
    settings.DEBUG = False
    output = load()
    assert not get_user_model().objects.filter(username="officer").exists()
    assert "DEBUG is off" in output

    settings.DEBUG = True
    output = load()
    officer = get_user_model().objects.get(username="officer")
    assert officer.is_staff
    assert officer.is_superuser
    assert officer.email == "officer@example.org"
    assert officer.check_password("anchornet-demo-officer")
    assert f"/{settings.ADMIN_URL}" in output


def test_the_sign_in_hints_name_the_address_the_portal_serves_on(settings):
    # `make run PORT=8001` sets SITE_URL to the port it serves on; the hints must follow.
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8001"
    output = load()

    assert f"Sign in at http://127.0.0.1:8001/{settings.ADMIN_URL}" in output
    assert "Demo people at http://127.0.0.1:8001/accounts/sign-in/" in output
    assert "127.0.0.1:8000" not in output


def test_officer_password_is_set_only_when_the_account_is_created(settings, monkeypatch):
    get_user_model().objects.filter(username="officer").delete()
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_OFFICER_PASSWORD", "first-password")
    load()
    monkeypatch.setenv("DEMO_OFFICER_PASSWORD", "second-password")
    output = load()

    assert get_user_model().objects.get(username="officer").check_password("first-password")
    assert "second-password" not in output


def test_leeds_placeholder_anchors_sit_in_wards_without_a_real_organisation():
    leeds = Network.objects.get(slug="leeds-community-anchor-network")

    placeholder_wards = set(
        AnchorRole.objects.filter(network=leeds, organisation__is_demo=True).values_list("locality__name", flat=True)
    )
    real_wards = set(
        Locality.objects.filter(kind=LocalityKind.WARD, organisations__is_demo=False).values_list("name", flat=True)
    )

    assert len(placeholder_wards) == 8
    assert not placeholder_wards & real_wards


def test_the_demo_has_plans_meetings_and_edits_for_each_role_to_find(settings):
    """Every page type of the accessibility gate (tests/browser/test_page_quality.py) has a
    record to show: a plan in each state (the current one replaced the superseded one), a
    cancelled meeting, a past one with minutes, attendance and actions, and an edit waiting
    for an officer's review."""
    User = get_user_model()
    plan = LocalityPlan.objects.published().get(slug="batley-and-spen-2025-2028")
    assert plan.title.endswith("(demo)")
    assert {item.kind for item in plan.items.all()} == {"priority", "concern", "opportunity", "connection"}
    plans = {plan.slug: plan for plan in LocalityPlan.objects.all()}
    assert {slug: plan.status for slug, plan in plans.items()} == {
        "batley-and-spen-2022-2025": PlanStatus.SUPERSEDED,
        "batley-and-spen-2025-2028": PlanStatus.PUBLISHED,
        "batley-and-spen-2028-2031": PlanStatus.DRAFT,
        "dewsbury-and-mirfield-2026-2029": PlanStatus.SHARED,
    }
    assert plan.supersedes == plans["batley-and-spen-2022-2025"]
    assert all(plan.title.endswith("(demo)") for plan in plans.values())
    assert all(meeting.title.endswith("(demo)") for meeting in Meeting.objects.all())
    cancelled = Meeting.objects.get(cancelled=True)
    assert cancelled.is_public
    assert cancelled.cancellation_reason
    revision = ProfileRevision.objects.pending().get()
    assert revision.submitted_by.username == "local-editor"
    assert revision.organisation.slug == "batley-east-local-anchor-demo"
    changed = {name for name, value in revision.proposed.items() if revision.published[name] != value}
    assert changed == {"description", "email", "phone"}
    assert revision.proposed["email"].endswith(".example.org")

    anonymous = Meeting.objects.visible_to(None).upcoming()
    assert anonymous.filter(network__slug="leeds-community-anchor-network").exists()
    assert not anonymous.exclude(visibility="public").exists()
    lead_editor = User.objects.get(username="lead-editor")
    assert Meeting.objects.managed_by(lead_editor).upcoming().exists()
    assert Meeting.objects.managed_by(lead_editor).past().filter(minutes_published=True, actions__isnull=False).exists()
    assert Meeting.objects.visible_to(lead_editor).filter(visibility="lead_anchors").exists()
    local_editor = User.objects.get(username="local-editor")
    assert not Meeting.objects.visible_to(local_editor).filter(visibility="lead_anchors").exists()


def test_the_demo_anchor_editors_have_needs_they_could_meet_and_a_met_need_is_on_the_log():
    users = get_user_model().objects

    for username in ("lead-editor", "leeds-editor"):
        assert exchange_matches(user=users.get(username=username)).exists(), username
    met = ExchangeEntry.objects.filter(met_by__isnull=False).select_related("engagement")
    assert met.exists()
    assert all(need.engagement is not None and not need.is_current for need in met)


def test_the_demo_lead_editor_has_new_groups_to_review_one_a_likely_duplicate():
    lead_editor = get_user_model().objects.get(username="lead-editor")
    waiting = list(GroupSubmission.objects.visible_to(lead_editor).open().select_related("organisation"))
    assert len(waiting) == 3
    assert all(s.organisation.name.endswith("(demo)") and not s.organisation.is_public for s in waiting)
    assert all(s.submitter_email.endswith("@example.org") for s in waiting)
    duplicates = duplicates_by_organisation([s.organisation for s in waiting])
    found = {s.organisation.name: [o.name for o in duplicates[s.organisation_id]] for s in waiting}
    assert found["The Batley Sewing Circle (demo)"] == ["Batley Sewing Circle (demo)"]


def test_the_demo_councillor_has_the_shared_plan_of_their_ward_with_what_changed_since():
    """The gate's councillor pages: "Shared with you" lists Dewsbury and Mirfield's plan, and
    its "as shared" page shows an item added after sharing."""
    councillor = get_user_model().objects.get(username="councillor")
    shared = LocalityPlan.objects.shared_with(councillor)
    assert list(shared.values_list("slug", flat=True)) == ["dewsbury-and-mirfield-2026-2029"]
    plan = plan_detail(shared).get()
    changes = plan_changes_since_shared(plan, plan.share)
    assert [item.title for item in changes.added] == ["Evening buses to Dewsbury town centre (demo)"]
    assert not changes.removed
    assert not changes.changed


def test_the_demo_councillor_asked_a_question_on_that_plan_and_the_anchor_answered():
    """The gate's comments pages: the demo councillor's question, marked demo, with the lead
    anchor's reply, so it is answered and on nobody's waiting list."""
    councillor = get_user_model().objects.get(username="councillor")
    question = PlanComment.objects.visible_to(councillor).questions().with_answered().get()
    assert question.author == councillor
    assert question.plan.slug == "dewsbury-and-mirfield-2026-2029"
    assert question.item.title == "Activities for young people in the holidays (demo)"
    assert question.answered
    assert all(comment.body.endswith("(demo)") for comment in PlanComment.objects.all())
    assert not PlanComment.objects.unanswered().exists()


def test_the_open_referral_uk_api_answers_to_its_schemas_on_the_demo_data(client):
    # As the Open Referral UK validator walks an API: each list's first, middle and last page at
    # the default size, and the records they name.
    from tests.api.hsds_schemas import schema_errors

    for path in ("/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"):
        first = client.get(f"/api/oruk{path}", {"page": 1}).json()
        assert first["contents"], path
        for page in sorted({1, (first["total_pages"] + 1) // 2, first["total_pages"]}):
            body = client.get(f"/api/oruk{path}", {"page": page}).json()
            assert schema_errors(path, body) == [], (path, page)
            for item in body["contents"][:5]:
                record = client.get(f"/api/oruk{path}/{item['id']}")
                assert record.status_code == 200, (path, item)
                assert schema_errors(path + "/{id}", record.json()) == [], (path, item["id"])


def test_the_demo_local_anchor_has_an_item_waiting_in_its_lead_anchors_draft():
    """Plans written together (issue 16): the demo local editor sees the Batley and Spen draft
    and what their organisation proposed; the lead editor has it to accept or decline."""
    from plans.models import PlanItemProposal

    User = get_user_model()
    proposal = PlanItemProposal.objects.get()
    assert proposal.title.endswith("(demo)")
    assert proposal.is_waiting
    assert proposal.organisation.slug == "batley-east-local-anchor-demo"
    assert proposal.plan.slug == "batley-and-spen-2028-2031"
    local_editor = User.objects.get(username="local-editor")
    assert LocalityPlan.objects.contributable_by(local_editor).get() == proposal.plan
    lead_editor = User.objects.get(username="lead-editor")
    assert PlanItemProposal.objects.decidable_by(lead_editor).get() == proposal


def test_the_demo_lead_editor_has_residents_voices_some_untagged_one_merged():
    lead_editor = get_user_model().objects.get(username="lead-editor")
    voices = Voice.objects.visible_to(lead_editor)
    assert voices.counted().count() >= 3
    assert voices.counted().untagged().exists()
    assert voices.filter(merged_into__isnull=False).count() == 1
    assert not Voice.objects.filter(is_demo=False).exists()
    assert all(v.what_matters.endswith("(demo)") for v in Voice.objects.all())
    assert set(Voice.objects.exclude(contact_email="").values_list("contact_email", flat=True)) <= {
        "jo.resident@example.org"
    }
