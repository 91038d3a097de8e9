"""The include a locality page uses to show its current plan."""

import pytest
from django.template.loader import render_to_string

from plans.selectors import plan_current_for_locality
from tests.plans.factories import LocalityPlanFactory

pytestmark = pytest.mark.django_db


def render(locality):
    return render_to_string(
        "plans/includes/_current_plan.html",
        {"locality": locality, "current_plan": plan_current_for_locality(locality)},
    )


def test_a_ward_shows_its_areas_plan_and_says_so(world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True)
    html = render(world.batley_east)
    assert plan.get_absolute_url() in html
    assert "The plan for Batley and Spen, which includes Batley East." in html
    assert "which includes" not in render(world.batley)


def test_a_place_without_a_plan_says_so(world):
    LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead, shared=True)
    assert "No locality plan is published for Dewsbury yet." in render(world.dewsbury)
