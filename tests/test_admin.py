"""The officers' admin: every page answers, filters narrow, actions report, lists cost a fixed
number of queries, and a rule the database enforces comes back as a form error, never a 500."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from core.concurrency import version_of
from core.models import PublicationStatus
from localities.models import Locality, LocalityKind
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    Membership,
    Network,
    NetworkStructure,
    Organisation,
)
from tests.admin_factories import (
    AnchorRoleFactory,
    AreaFactory,
    InitiativeFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    TaxonomyTermFactory,
    UserFactory,
    WardFactory,
    admin_factories,
)
from tests.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

User = get_user_model()

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(response) -> set:
    """The objects on a changelist page."""
    return set(response.context["cl"].result_list)


@pytest.fixture
def kirklees():
    """A tiered network: Kirklees > Batley and Spen, with a current lead anchor for the area."""
    district = LocalityFactory(name="Kirklees")
    area = AreaFactory(name="Batley and Spen", parent=district)
    network = NetworkFactory(name="Kirklees CAN", district=district, structure=NetworkStructure.TIERED)
    lead = AnchorRoleFactory(
        organisation__name="Batley Community Trust",
        network=network,
        role=AnchorRoleKind.LEAD_ANCHOR,
        locality=area,
    )
    return {"district": district, "area": area, "network": network, "lead": lead}


# ------------------------------------------------------------------------------
# Every registered admin answers
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_answer_ok_for_a_superuser(admin_client, model):
    factory = admin_factories().get(model)
    assert factory is not None, (
        f"{model._meta.label} is registered in the admin: add a factory to FACTORIES in tests/factories.py "
        "(or the app's tests/<app>/factories.py)"
    )
    obj = factory()
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_client.session and User.objects.get(is_superuser=True)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = admin_client.get(url)
        # Records only the system writes (login attempts, profile edits from editors) have no
        # add form: the admin says so with 403.
        expected = (
            HTTPStatus.FORBIDDEN
            if url.endswith("/add/") and not model_admin.has_add_permission(request)
            else HTTPStatus.OK
        )
        assert response.status_code == expected, url


MANY_TO_MANY = [
    (model, field.name) for model in REGISTERED_MODELS for field in model._meta.many_to_many if field.editable
]


@pytest.mark.parametrize(("model", "field"), MANY_TO_MANY, ids=[f"{m._meta.label}.{f}" for m, f in MANY_TO_MANY])
def test_an_id_no_database_can_hold_is_refused_by_every_admin_many_to_many(admin_client, model, field):
    obj = admin_factories()[model]()
    url = admin_url(model, "change", obj.pk)
    offered = field in admin_client.get(url).context["adminform"].form.fields
    response = admin_client.post(url, {field: ["9" * 30]})
    # The form again, with the reason, rather than a server error.
    assert response.status_code == HTTPStatus.OK
    if offered:
        assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_search_answers_ok(admin_client, model):
    admin_factories()[model]()
    response = admin_client.get(admin_url(model, "changelist"), {"q": "1 a"})
    assert response.status_code == HTTPStatus.OK


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize("facets", [False, True], ids=["plain", "with-facet-counts"])
@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, facets):
    factory = admin_factories()[model]
    url = admin_url(model, "changelist")
    params = {"_facets": "True"} if facets else {}
    factory.create_batch(3)
    admin_client.get(url, params)  # warm caches (content types)
    few = count_queries(admin_client, url, params)
    factory.create_batch(20)
    assert count_queries(admin_client, url, params) == few


# ------------------------------------------------------------------------------
# Organisations: the list
# ------------------------------------------------------------------------------
def make_organisations(count: int, network: Network, area: Locality) -> None:
    """``count`` organisations, each an anchor for its own ward with services, areas served,
    an initiative and a member: everything the changelist shows or filters on."""
    for _ in range(count):
        ward = WardFactory(parent=area)
        role = AnchorRoleFactory(network=network, locality=ward)
        role.organisation.localities.add(ward, area)
        role.organisation.services.add(*TaxonomyTermFactory.create_batch(2))
        role.organisation.initiatives.add(InitiativeFactory())
        MembershipFactory(organisation=role.organisation)


def test_organisation_changelist_query_count_is_the_same_for_5_and_50_rows(admin_client):
    network = NetworkFactory(name="Leeds CAN")
    area = AreaFactory(parent=network.district)
    url = admin_url(Organisation, "changelist")
    counts = {}
    for total in (5, 50):
        make_organisations(total - Organisation.objects.count(), network, area)
        assert len(listed(admin_client.get(url))) == total
        counts[total] = (
            count_queries(admin_client, url),
            count_queries(admin_client, url, {"_facets": "True"}),
            count_queries(admin_client, url, {"locality": area.pk, "role": "anchor", "q": "Organisation"}),
        )
    print(f"organisation changelist queries (plain, facets, filtered+search): {counts}")
    assert counts[5] == counts[50]


def test_organisation_changelist_shows_current_anchor_roles(admin_client, kirklees):
    left_area = AreaFactory(name="Dewsbury", parent=kirklees["district"])
    AnchorRoleFactory(
        organisation=kirklees["lead"].organisation,
        network=kirklees["network"],
        role=AnchorRoleKind.LEAD_ANCHOR,
        locality=left_area,
        left_on=datetime.date(2024, 3, 31),
    )
    kirklees["network"].coordinator = OrganisationFactory(name="Third Sector Leaders Kirklees")
    kirklees["network"].save()

    response = admin_client.get(admin_url(Organisation, "changelist"))

    assert "Lead anchor, Batley and Spen" in response.text
    assert "Lead anchor, Dewsbury" not in response.text
    assert "Coordinator, Kirklees CAN" in response.text


def test_organisation_search_finds_a_postcode_typed_without_its_space(admin_client):
    found = OrganisationFactory(postcode="LS14 6JB")
    OrganisationFactory(postcode="LS1 1UR")
    response = admin_client.get(admin_url(Organisation, "changelist"), {"q": "ls146jb"})
    assert listed(response) == {found}


def test_organisation_search_matches_charity_number(admin_client):
    found = OrganisationFactory(charity_number="1234567")
    OrganisationFactory(charity_number="7654321")
    response = admin_client.get(admin_url(Organisation, "changelist"), {"q": "1234567"})
    assert listed(response) == {found}


def test_change_pages_cost_no_query_per_inline_row(admin_client, kirklees):
    network, lead = kirklees["network"], kirklees["lead"]
    organisation = lead.organisation

    def add_rows(count: int) -> None:
        for _ in range(count):
            AnchorRoleFactory(
                network=network,
                role=AnchorRoleKind.LOCAL_ANCHOR,
                locality=WardFactory(parent=kirklees["area"]),
                lead=lead,
            )
            AnchorRoleFactory(
                organisation=organisation,
                network=network,
                role=AnchorRoleKind.LEAD_ANCHOR,
                locality=AreaFactory(parent=kirklees["district"]),
            )
            MembershipFactory(organisation=organisation)

    urls = [
        admin_url(Network, "change", network.pk),
        admin_url(Organisation, "change", organisation.pk),
    ]
    add_rows(2)
    # Each page once first: what a process caches on first use (content types, for one) is
    # not a cost per row.
    for url in urls:
        admin_client.get(url)
    few = [count_queries(admin_client, url) for url in urls]
    add_rows(10)
    assert [count_queries(admin_client, url) for url in urls] == few


# ------------------------------------------------------------------------------
# Organisations: the custom filters
# ------------------------------------------------------------------------------
@pytest.fixture
def roles_world(kirklees):
    """A lead anchor, a local anchor, a peer anchor, a coordinator, a community group, and an
    organisation that left its role (so counts as a community group again)."""
    local = AnchorRoleFactory(
        organisation__name="Spen Valley Hub",
        network=kirklees["network"],
        role=AnchorRoleKind.LOCAL_ANCHOR,
        locality=WardFactory(parent=kirklees["area"]),
        lead=kirklees["lead"],
    )
    leeds = NetworkFactory(name="Leeds CAN", coordinator=OrganisationFactory(name="Voluntary Action Leeds"))
    peer = AnchorRoleFactory(organisation__name="LS14 Trust", network=leeds)
    former = AnchorRoleFactory(network=leeds, left_on=datetime.date(2025, 1, 31)).organisation
    group = OrganisationFactory(name="Friends of Armley Park")
    return {
        **kirklees,
        "lead_org": kirklees["lead"].organisation,
        "local_org": local.organisation,
        "peer_org": peer.organisation,
        "coordinator": leeds.coordinator,
        "group": group,
        "former": former,
        "leeds": leeds,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("lead_anchor", {"lead_org"}),
        ("local_anchor", {"local_org"}),
        ("anchor", {"peer_org"}),
        ("coordinator", {"coordinator"}),
        ("community_group", {"group", "former"}),
    ],
)
def test_anchor_role_filter_narrows_organisations(admin_client, roles_world, value, expected):
    response = admin_client.get(admin_url(Organisation, "changelist"), {"role": value})
    assert listed(response) == {roles_world[key] for key in expected}


def test_network_filter_lists_organisations_with_a_current_role_in_it(admin_client, roles_world):
    response = admin_client.get(admin_url(Organisation, "changelist"), {"network": roles_world["leeds"].pk})
    # The coordinator and the organisation that left have no current role in the network.
    assert listed(response) == {roles_world["peer_org"]}


def test_locality_filter_finds_organisations_serving_any_place_inside(admin_client, kirklees):
    ward = WardFactory(name="Batley East", parent=kirklees["area"])
    in_ward = OrganisationFactory()
    in_ward.localities.add(ward)
    in_district = OrganisationFactory()
    in_district.localities.add(kirklees["district"])
    elsewhere = OrganisationFactory()
    elsewhere.localities.add(LocalityFactory(name="Leeds"))
    url = admin_url(Organisation, "changelist")

    assert listed(admin_client.get(url, {"locality": kirklees["district"].pk})) == {
        in_ward,
        in_district,
    }
    assert listed(admin_client.get(url, {"locality": kirklees["area"].pk})) == {in_ward}
    assert listed(admin_client.get(url, {"locality": ward.pk})) == {in_ward}


def test_locality_filter_offers_districts_areas_and_current_wards_only(admin_client, kirklees):
    WardFactory(name="Batley East", parent=kirklees["area"])
    WardFactory(name="Old Batley Ward", parent=kirklees["area"], valid_to=datetime.date(2020, 5, 6))
    LocalityFactory(name="Soothill", kind=LocalityKind.NEIGHBOURHOOD, parent=kirklees["area"])

    response = admin_client.get(admin_url(Organisation, "changelist"))

    spec = next(
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", None) == "locality"
    )
    labels = [label for _value, label in spec.lookup_choices]
    assert labels == ["Kirklees", "— Batley and Spen", "— — Batley East"]


def test_invalid_filter_value_is_refused_politely(admin_client, kirklees):
    response = admin_client.get(admin_url(Organisation, "changelist"), {"locality": "not-a-number"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.endswith("?e=1")


# ------------------------------------------------------------------------------
# Organisations: actions
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        (
            "publish",
            PublicationStatus.PUBLISHED,
            "Published 2 organisations. 1 was already published.",
        ),
        (
            "archive",
            PublicationStatus.ARCHIVED,
            "Archived 2 organisations. 1 was already archived.",
        ),
        (
            "return_to_draft",
            PublicationStatus.DRAFT,
            "Returned 2 organisations to draft. 1 was already draft.",
        ),
    ],
)
def test_status_actions_change_status_and_say_how_many(admin_client, action, status, message):
    others = [s for s in PublicationStatus.values if s != status]
    changing = [OrganisationFactory(status=others[0]), OrganisationFactory(status=others[1])]
    already = OrganisationFactory(status=status)
    untouched = OrganisationFactory(status=others[0])
    before = timezone.now()

    response = admin_client.post(
        admin_url(Organisation, "changelist"),
        {"action": action, "_selected_action": [org.pk for org in [*changing, already]]},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    for org in changing:
        org.refresh_from_db()
        assert org.status == status
        assert org.updated_at >= before
    untouched.refresh_from_db()
    assert untouched.status == others[0]
    logged = LogEntry.objects.filter(object_id__in=[str(org.pk) for org in changing])
    assert logged.count() == 2


# ------------------------------------------------------------------------------
# Localities
# ------------------------------------------------------------------------------
def test_locality_filters_narrow_by_current_and_district(admin_client, kirklees):
    today = timezone.localdate()
    ended = WardFactory(parent=kirklees["area"], valid_to=today - datetime.timedelta(days=1))
    future = WardFactory(parent=kirklees["area"], valid_from=today + datetime.timedelta(days=30))
    current = WardFactory(parent=kirklees["area"], valid_from=today)
    leeds = LocalityFactory(name="Leeds")
    url = admin_url(Locality, "changelist")

    assert listed(admin_client.get(url, {"current": "ended"})) == {ended}
    assert listed(admin_client.get(url, {"current": "future"})) == {future}
    assert listed(admin_client.get(url, {"current": "current"})) == {
        kirklees["district"],
        kirklees["area"],
        current,
        leeds,
    }
    assert listed(admin_client.get(url, {"district": leeds.pk})) == {leeds}
    assert listed(admin_client.get(url, {"district": kirklees["district"].pk})) == {
        kirklees["district"],
        kirklees["area"],
        ended,
        future,
        current,
    }


def test_locality_changelist_counts_organisations_and_links_to_them(admin_client, kirklees):
    organisations = OrganisationFactory.create_batch(3)
    for organisation in organisations:
        organisation.localities.add(kirklees["area"])
    response = admin_client.get(admin_url(Locality, "changelist"))
    row = next(obj for obj in listed(response) if obj == kirklees["area"])
    assert row.organisation_count == 3

    linked = admin_client.get(admin_url(Organisation, "changelist"), {"localities__id__exact": kirklees["area"].pk})
    assert listed(linked) == set(organisations)


def test_locality_autocomplete_labels_ended_places_and_lists_current_first(admin_client, kirklees):
    ended = WardFactory(name="Batley West", parent=kirklees["area"], valid_to=datetime.date(2026, 5, 6))
    current = WardFactory(name="Batley East", parent=kirklees["area"])
    response = admin_client.get(
        reverse("admin:localities_locality_autocomplete"),
        {
            "app_label": "organisations",
            "model_name": "organisation",
            "field_name": "localities",
            "term": "Batley",
        },
    )
    results = [item["text"] for item in response.json()["results"]]
    assert results == [
        "Batley and Spen (area)",
        f"{current.name} (ward)",
        f"{ended.name} (ward, ended 6 May 2026)",
    ]


def test_autocomplete_widgets_use_the_labelled_endpoint(admin_client):
    response = admin_client.get(admin_url(Organisation, "add"))
    assert f'data-ajax--url="{reverse("admin:localities_locality_autocomplete")}"' in response.text


# ------------------------------------------------------------------------------
# Anchor roles: filters and autocomplete
# ------------------------------------------------------------------------------
def test_anchor_role_filters_narrow_by_current_and_district(admin_client, roles_world):
    url = admin_url(AnchorRole, "changelist")
    left = AnchorRole.objects.get(organisation=roles_world["former"])
    everything = set(AnchorRole.objects.all())

    assert listed(admin_client.get(url, {"current": "left"})) == {left}
    assert listed(admin_client.get(url, {"current": "current"})) == everything - {left}
    kirklees_roles = set(AnchorRole.objects.filter(network=roles_world["network"]))
    assert listed(admin_client.get(url, {"district": roles_world["district"].pk})) == kirklees_roles


def test_lead_autocomplete_offers_only_current_lead_anchors(admin_client, roles_world):
    response = admin_client.get(
        reverse("admin:organisations_anchorrole_autocomplete"),
        {
            "app_label": "organisations",
            "model_name": "anchorrole",
            "field_name": "lead",
            "term": "",
        },
    )
    ids = [int(item["id"]) for item in response.json()["results"]]
    assert ids == [roles_world["lead"].pk]


# ------------------------------------------------------------------------------
# Anchor roles: the database's rules come back as form errors
# ------------------------------------------------------------------------------
def role_data(**fields) -> dict:
    data = {"joined_on": "", "agreement_signed_on": "", "left_on": "", "lead": ""}
    data.update({name: getattr(value, "pk", value) for name, value in fields.items()})
    return data


def test_a_valid_local_anchor_saves(admin_client, kirklees):
    response = admin_client.post(
        admin_url(AnchorRole, "add"),
        role_data(
            organisation=OrganisationFactory(),
            network=kirklees["network"],
            role=AnchorRoleKind.LOCAL_ANCHOR,
            locality=WardFactory(parent=kirklees["area"]),
            lead=kirklees["lead"],
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert AnchorRole.objects.filter(role=AnchorRoleKind.LOCAL_ANCHOR).count() == 1


def _former_lead(kirklees) -> AnchorRole:
    return AnchorRoleFactory(
        network=kirklees["network"],
        role=AnchorRoleKind.LEAD_ANCHOR,
        locality=AreaFactory(parent=kirklees["district"]),
        left_on=datetime.date(2025, 3, 31),
    )


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("lead_not_current", "lead", "Choose a current lead anchor of the same network."),
        ("second_lead", "__all__", "This area already has a current lead anchor in this network."),
        (
            "role_misfit",
            "role",
            "Kirklees CAN has lead and local anchors: choose lead anchor or local anchor.",
        ),
    ],
)
def test_anchor_role_that_breaks_a_rule_is_shown_again_with_the_reason(admin_client, kirklees, case, field, message):
    organisation = OrganisationFactory()
    ward = WardFactory(parent=kirklees["area"])
    data = {
        "lead_not_current": role_data(
            organisation=organisation,
            network=kirklees["network"],
            role=AnchorRoleKind.LOCAL_ANCHOR,
            locality=ward,
            lead=_former_lead(kirklees),
        ),
        "second_lead": role_data(
            organisation=organisation,
            network=kirklees["network"],
            role=AnchorRoleKind.LEAD_ANCHOR,
            locality=kirklees["area"],
        ),
        "role_misfit": role_data(
            organisation=organisation,
            network=kirklees["network"],
            role=AnchorRoleKind.ANCHOR,
            locality=ward,
        ),
    }[case]
    before = AnchorRole.objects.count()

    response = admin_client.post(admin_url(AnchorRole, "add"), data)

    assert response.status_code == HTTPStatus.OK
    assert message in response.context["adminform"].form.errors[field]
    assert AnchorRole.objects.count() == before


def test_lead_anchor_cannot_leave_while_it_has_current_local_anchors(admin_client, roles_world):
    lead = roles_world["lead"]
    url = admin_url(AnchorRole, "change", lead.pk)
    data = form_data(admin_client.get(url))
    data["left_on"] = "2026-04-01"

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert "Spen Valley Hub is still a current local anchor" in str(
        response.context["adminform"].form.errors["left_on"]
    )
    lead.refresh_from_db()
    assert lead.left_on is None


def test_network_structure_cannot_change_while_roles_do_not_fit(admin_client, kirklees):
    network = kirklees["network"]
    url = admin_url(Network, "change", network.pk)
    data = form_data(admin_client.get(url))
    data["structure"] = NetworkStructure.PEER

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert "1 current anchor role does not fit" in str(response.context["adminform"].form.errors["structure"])
    network.refresh_from_db()
    assert network.structure == NetworkStructure.TIERED


def test_two_current_leads_for_one_area_in_one_submission_are_refused(admin_client, kirklees):
    network = kirklees["network"]
    new_area = AreaFactory(name="Dewsbury", parent=kirklees["district"])
    url = admin_url(Network, "change", network.pk)
    data = form_data(admin_client.get(url))
    for organisation in OrganisationFactory.create_batch(2):
        add_inline_row(
            data,
            "anchor_roles",
            organisation=organisation.pk,
            role=AnchorRoleKind.LEAD_ANCHOR,
            locality=new_area.pk,
        )

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    formset = response.context["inline_admin_formsets"][0].formset
    assert "two rows make a current lead anchor" in str(formset.non_form_errors())
    assert not AnchorRole.objects.filter(locality=new_area).exists()


def test_duplicate_role_added_on_the_organisation_page_is_refused(admin_client, kirklees):
    """The inline leaves the organisation out of Django's own constraint checks."""
    lead = kirklees["lead"]
    url = admin_url(Organisation, "change", lead.organisation.pk)
    data = form_data(admin_client.get(url))
    ward = WardFactory(parent=kirklees["area"])
    data_with_row = dict(data)
    add_inline_row(
        data_with_row,
        "anchor_roles",
        network=kirklees["network"].pk,
        role="lead_anchor",
        locality=ward.pk,
    )
    add_inline_row(
        data_with_row,
        "anchor_roles",
        network=kirklees["network"].pk,
        role="lead_anchor",
        locality=ward.pk,
    )

    response = admin_client.post(url, data_with_row)

    assert response.status_code == HTTPStatus.OK
    assert "has two current roles" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())

    # Against the saved rows: the same role again, one row at a time.
    add_inline_row(
        data,
        "anchor_roles",
        network=kirklees["network"].pk,
        role="lead_anchor",
        locality=kirklees["area"].pk,
    )
    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any("already has a current" in str(form_errors) for form_errors in errors)
    assert AnchorRole.objects.count() == 1


def test_duplicate_membership_added_on_the_organisation_page_is_refused(admin_client):
    membership = MembershipFactory()
    url = admin_url(Organisation, "change", membership.organisation.pk)
    data = form_data(admin_client.get(url))
    add_inline_row(data, "memberships", user=membership.user.pk, role="viewer")

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "memberships")
    assert any("already exists" in str(form_errors) for form_errors in formset.errors)
    assert Membership.objects.count() == 1


def test_database_refusal_the_forms_missed_is_shown_as_a_form_error(admin_client, kirklees, monkeypatch):
    """The safety net: with the model's own checks switched off, the trigger refuses the row
    and the officer sees the form again with the reason, not a server error."""
    monkeypatch.setattr(AnchorRole, "clean", lambda self: None)
    before = AnchorRole.objects.count()

    response = admin_client.post(
        admin_url(AnchorRole, "add"),
        role_data(
            organisation=OrganisationFactory(),
            network=kirklees["network"],
            role=AnchorRoleKind.ANCHOR,
            locality=WardFactory(parent=kirklees["area"]),
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert "an anchor role does not fit its network" in str(response.context["adminform"].form.non_field_errors())
    assert AnchorRole.objects.count() == before


def test_database_refusal_from_an_inline_is_shown_as_a_form_error(admin_client, roles_world, monkeypatch):
    monkeypatch.setattr(AnchorRole, "_stops_leading", lambda self: False)
    lead = roles_world["lead"]
    url = admin_url(Organisation, "change", lead.organisation.pk)
    data = form_data(admin_client.get(url))
    index = next(
        i for i in range(int(data["anchor_roles-TOTAL_FORMS"])) if data[f"anchor_roles-{i}-id"] == str(lead.pk)
    )
    data[f"anchor_roles-{index}-left_on"] = "2026-04-01"
    data["name"] = "Renamed in the failed save"

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert "still has current local anchors" in str(response.context["adminform"].form.non_field_errors())
    lead.refresh_from_db()
    assert lead.left_on is None
    assert Organisation.objects.filter(name="Renamed in the failed save").count() == 0


# ------------------------------------------------------------------------------
# Two officers editing one record
# ------------------------------------------------------------------------------
VERSIONED_MODELS = [
    model for model in REGISTERED_MODELS if any(field.name == "updated_at" for field in model._meta.concrete_fields)
]


@pytest.mark.parametrize("model", VERSIONED_MODELS, ids=lambda model: model._meta.label)
def test_every_change_form_carries_the_version_it_was_loaded_from(admin_client, model):
    obj = admin_factories()[model]()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    model_admin = admin.site._registry[model]
    if not model_admin.has_change_permission(response.wsgi_request, obj):
        pytest.skip(f"{model._meta.label} is read-only in the admin: nothing to save over")
    assertContains(response, f'name="loaded_version" value="{version_of(obj)}"')


def test_an_officers_stale_save_is_refused_naming_the_change_and_keeping_what_was_typed(client, kirklees):
    first, second = (UserFactory(username=name, is_staff=True) for name in ("first-officer", "second-officer"))
    group = OrganisationFactory(name="Batley Food Bank", localities=[kirklees["area"]], description="")
    url = admin_url(Organisation, "change", group.pk)
    client.force_login(first)
    opened = form_data(client.get(url))
    client.force_login(second)
    assert client.post(url, {**opened, "postcode": "WF17 5AA"}).status_code == HTTPStatus.FOUND
    client.force_login(first)
    response = client.post(url, {**opened, "description": "Open on Saturdays."})

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "second-officer changed this organisation while you were editing it")
    assertContains(response, "Postcode was “—”, now “WF17 5AA”")
    assertContains(response, "Open on Saturdays.")
    form = response.context["adminform"].form
    assert form["postcode"].value() == "WF17 5AA"  # left alone by the first officer: shows the new value
    group.refresh_from_db()
    assert (group.postcode, group.description) == ("WF17 5AA", "")

    again = {**opened, "postcode": form["postcode"].value(), "description": "Open on Saturdays."}
    again["loaded_version"] = form["loaded_version"].value()
    assert client.post(url, again).status_code == HTTPStatus.FOUND
    group.refresh_from_db()
    assert (group.postcode, group.description) == ("WF17 5AA", "Open on Saturdays.")
