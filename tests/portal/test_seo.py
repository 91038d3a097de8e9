"""Found by search engines and shareable (issue 15): a sitemap of public pages only, robots.txt,
canonical URLs, Open Graph titles and schema.org JSON-LD that says no more than the page."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import PublicationStatus
from meetings.models import MeetingVisibility
from tests.factories import DistrictFactory, LocalityFactory, OrganisationFactory
from tests.meetings.factories import MeetingFactory
from tests.plans.factories import LocalityPlanFactory

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def sitemap_urls(client) -> set[str]:
    response = client.get(reverse("portal:sitemap"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/xml")
    return set(re.findall(r"<loc>(.*?)</loc>", response.content.decode()))


def structured_data(response) -> list[dict]:
    return [json.loads(block) for block in LD_JSON.findall(response.content.decode())]


def test_the_sitemap_lists_public_records_and_nothing_else(client):
    ward = LocalityFactory(name="Batley East", slug="batley-east")
    published = OrganisationFactory(name="Batley Pantry", slug="batley-pantry", localities=[ward])
    draft = OrganisationFactory(name="Secret Draft", slug="secret-draft", status=PublicationStatus.DRAFT)
    archived = OrganisationFactory(name="Old Club", slug="old-club", status=PublicationStatus.ARCHIVED)
    public_meeting = MeetingFactory(title="Whole network meeting")
    private_meeting = MeetingFactory(title="Lead anchors only", visibility=MeetingVisibility.LEAD_ANCHORS)
    plan = LocalityPlanFactory(published=True, locality=ward)
    draft_plan = LocalityPlanFactory(locality=ward)
    shared_plan = LocalityPlanFactory(shared=True, locality=ward)

    urls = sitemap_urls(client)

    def on_site(obj) -> str:
        return f"http://testserver{obj.get_absolute_url()}"

    assert {on_site(published), on_site(public_meeting), on_site(plan), on_site(ward)} <= urls
    assert "http://testserver/directory/" in urls
    for hidden in (draft, archived, private_meeting, draft_plan, shared_plan):
        assert on_site(hidden) not in urls
    assert not any("/dashboard/" in url or "/admin/" in url for url in urls)


def test_the_sitemap_uses_the_public_address_whatever_host_was_asked(client, settings):
    settings.SITE_URL = "https://anchors.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    OrganisationFactory(slug="batley-pantry")

    urls = sitemap_urls(client)

    assert "https://anchors.example.org/organisations/batley-pantry/" in urls
    assert all(url.startswith("https://anchors.example.org/") for url in urls)


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_signed_in_pages(client, settings):
    settings.ADMIN_URL = "officers-only-x7/"

    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /dashboard/" in text
    assert "officers-only" not in text  # robots.txt is public: it must not reveal the admin
    # The address the admin really has (ADMIN_URL is read when the URLs load, not above).
    assert reverse("admin:index") not in text
    # Every path kept out is still where signed-in pages live (a renamed URL would let them in).
    signed_in_pages = [
        reverse(name)
        for name in (
            "portal:account",
            "portal:login",
            "portal:dashboard",
            "engagement:engagements",
            "organisations:new_groups",
            "engagement:request_queue",
            "plans:mine",
            "meetings:mine",
        )
    ]
    disallowed = [line.removeprefix("Disallow: ") for line in text.splitlines() if line.startswith("Disallow: ")]
    assert disallowed
    for path in disallowed:
        assert any(page.startswith(path) for page in signed_in_pages), path


def test_an_organisation_page_describes_the_organisation_and_nothing_private(client):
    ward = LocalityFactory(name="Batley East")
    organisation = OrganisationFactory(
        name="Batley Pantry",
        description="Food and friendship </script><script>alert(1)</script>",
        email="hello@pantry.example",
        postcode="WF17 5DL",
        contact_email="private.person@pantry.example",
        localities=[ward],
    )

    response = client.get(organisation.get_absolute_url())

    (data,) = structured_data(response)
    assert data["@type"] == "Organization"
    assert data["name"] == "Batley Pantry"
    assert data["description"].startswith("Food and friendship </script>")  # escaped, so intact
    assert data["address"]["postalCode"] == "WF17 5DL"
    assert [place["name"] for place in data["areaServed"]] == ["Batley East"]
    assert "private.person" not in json.dumps(data)
    body = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/organisations/' in body
    assert '<meta property="og:title" content="Batley Pantry">' in body
    assert "<script>alert(1)" not in body


def test_a_meeting_page_is_an_event_without_its_joining_link(client):
    meeting = MeetingFactory(title="Network meeting", venue="", address="", joining_url="https://meet.example/secret")

    (data,) = structured_data(client.get(meeting.get_absolute_url()))

    assert data["@type"] == "Event"
    assert data["startDate"] == timezone.localtime(meeting.start).isoformat()  # UK time, with its offset
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert "secret" not in json.dumps(data)


def test_an_area_page_is_a_place_with_its_gss_code(client):
    district = DistrictFactory(name="Kirklees", gss_code="E08000034")
    ward = LocalityFactory(name="Batley East", parent=district, gss_code="E05001368")

    (data,) = structured_data(client.get(ward.get_absolute_url()))

    assert data["@type"] == "Place"
    assert data["identifier"]["value"] == "E05001368"
    assert data["containedInPlace"]["name"] == "Kirklees"


def test_a_filtered_directory_page_names_the_directory_as_its_canonical_page(client):
    body = client.get(reverse("organisations:directory"), {"q": "food", "page": "2"}).content.decode()

    assert '<link rel="canonical" href="http://testserver/directory/">' in body
