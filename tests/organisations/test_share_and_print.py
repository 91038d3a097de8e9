"""Share and print a results page: a filtered directory page gives the full address of the
search to copy (from its first page), and prints without the filter form and buttons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


def test_a_search_gives_a_link_to_its_results_from_the_first_page(client):
    for number in range(3):
        OrganisationFactory(name=f"Food Pantry {number}")

    response = client.get(DIRECTORY, {"q": "pantry", "page": "1"})

    assertContains(response, "Link to these results")
    assertContains(response, 'value="http://testserver/directory/?q=pantry"')


def test_the_link_from_a_later_page_leads_to_the_first(client):
    # More than a page (``DIRECTORY_PAGE_SIZE``, 20), so that page 2 is a real page.
    for number in range(settings.DIRECTORY_PAGE_SIZE + 1):
        OrganisationFactory(name=f"Food Pantry {number:02}")

    response = client.get(DIRECTORY, {"q": "pantry", "page": "2"})

    assert response.context["page_obj"].number == 2
    assertContains(response, 'value="http://testserver/directory/?q=pantry"')


def test_the_unfiltered_directory_offers_no_link_to_copy(client):
    OrganisationFactory(name="Food Pantry")

    assertNotContains(client.get(DIRECTORY), "Link to these results")


def test_the_printout_leaves_off_the_filters_the_search_box_and_the_buttons():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "anchornet.css").read_text(encoding="utf-8")
    printed = " ".join(re.findall(r"@media print\{(.*?)\{display:none", css))

    for hidden in (".app-filter-details", ".app-filter-panel", ".app-search", ".govuk-button", ".govuk-pagination"):
        assert hidden in printed
