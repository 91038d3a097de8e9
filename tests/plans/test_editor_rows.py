"""The plan editor's rows: "Add another" without JavaScript, several new items in one save, and
no blank item ever saved."""

from http import HTTPStatus

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from plans.forms import MAX_ITEMS_PER_PLAN
from plans.models import PlanItemKind
from tests.plans.factories import PlanItemFactory
from tests.plans.test_editor import blank_item_prefix, form_data

pytestmark = pytest.mark.django_db


def section_prefixes(response, kind: str) -> list[str]:
    return next(
        [form.prefix for form in section["forms"]]
        for section in response.context["item_sections"]
        if section["kind"] == kind
    )


def add_row(client, plan, page, kind: str):
    """Press "Add another" in ``kind``'s section of ``page``; the page that comes back."""
    data = form_data(page)
    data["add_item"] = kind
    return client.post(plan.get_edit_url(), data)


def test_add_another_shows_one_more_blank_row_keeps_what_was_typed_and_saves_nothing(alice, world, plan):
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    first = blank_item_prefix(page, "priority")
    data.update({"title": "Retitled, not saved yet", f"{first}-title": "Food for families", f"{first}-order": "1"})
    data["add_item"] = "priority"
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["error_links"] == []  # nothing was checked: no errors shown
    rows = section_prefixes(response, "priority")
    assert len(rows) == 2
    assertContains(response, 'value="Food for families"')
    assertContains(response, 'value="Retitled, not saved yet"')
    assertContains(response, 'id="added-priority"')  # the page jumps to the new row
    assertContains(response, "Priority 2 (new)")
    # Each section has its own button; the other sections still have one blank row each.
    assert [len(section_prefixes(response, kind)) for kind in ("concern", "opportunity", "connection")] == [1, 1, 1]
    plan.refresh_from_db()
    assert plan.title == "Batley and Spen plan"
    assert not plan.items.exists()


def test_several_new_items_are_saved_in_one_save_and_untouched_rows_are_not(alice, world, plan):
    page = add_row(alice, plan, alice.get(plan.get_edit_url()), "priority")
    page = add_row(alice, plan, page, "priority")  # three priority rows now
    first, second, third = section_prefixes(page, "priority")
    data = form_data(page)
    data.update(
        {
            f"{first}-title": "Warm spaces",
            f"{first}-order": "2",
            f"{second}-title": "Food for families",
            f"{second}-order": "1",
            # the third priority row, and the other sections' rows, are left alone
        }
    )
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    assert list(plan.items.order_by("kind", "order").values_list("kind", "order", "title")) == [
        (PlanItemKind.PRIORITY, 1, "Food for families"),
        (PlanItemKind.PRIORITY, 2, "Warm spaces"),
    ]
    assert third  # it existed, and no blank item was made from it


def test_a_half_filled_new_row_is_an_error_on_that_row_and_nothing_is_saved(alice, world, plan):
    PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1, title="Youth club")
    page = add_row(alice, plan, alice.get(plan.get_edit_url()), "priority")
    _saved, filled, half = section_prefixes(page, "priority")
    data = form_data(page)
    data.update({f"{filled}-title": "Warm spaces", f"{half}-detail": "Somewhere to go in winter"})
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["error_links"] == [(f"id_{half}-title", "Priority 3: Enter a title for the item")]
    assertContains(response, f'href="#id_{half}-title"')
    assertContains(response, "Somewhere to go in winter")
    assertContains(response, 'value="Warm spaces"')
    assert list(plan.items.values_list("title", flat=True)) == ["Youth club"]


def test_a_number_alone_in_a_new_row_asks_for_a_title(alice, world, plan):
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    row = blank_item_prefix(page, "concern")
    data[f"{row}-order"] = "3"
    response = alice.post(plan.get_edit_url(), data)
    assert (f"id_{row}-title", "Concern 1: Enter a title for the item") in response.context["error_links"]
    assert not plan.items.exists()


def test_moving_an_untouched_new_row_to_another_section_adds_nothing(alice, world, plan):
    """The section a blank row was offered in is not something typed."""
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data[f"{blank_item_prefix(page, 'concern')}-kind"] = "priority"
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    assert not plan.items.exists()


def test_a_save_after_add_another_is_still_refused_if_the_plan_changed_meanwhile(alice, world, plan):
    page = add_row(alice, plan, alice.get(plan.get_edit_url()), "opportunity")
    plan.title = "Changed by a colleague"
    plan.save()
    data = form_data(page)
    row = section_prefixes(page, "opportunity")[-1]
    data.update({f"{row}-title": "Community orchard", "title": "My title"})
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "changed")
    assertContains(response, 'value="Community orchard"')
    plan.refresh_from_db()
    assert plan.title == "Changed by a colleague"
    assert not plan.items.exists()


@pytest.mark.parametrize("total", ["", "lots", "-3"])
def test_add_another_with_a_broken_form_explains_and_saves_nothing(alice, world, plan, total):
    data = form_data(alice.get(plan.get_edit_url()))
    data.update({"items-TOTAL_FORMS": total, "add_item": "priority"})
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["error_links"]
    assert not plan.items.exists()


def test_add_another_stops_at_the_most_items_a_plan_may_have(alice, world, plan):
    data = form_data(alice.get(plan.get_edit_url()))
    data.update({"items-TOTAL_FORMS": str(MAX_ITEMS_PER_PLAN), "add_item": "priority"})
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert any("up to 400 items" in message for _target, message in response.context["error_links"])


def test_an_unknown_section_adds_no_row(alice, world, plan):
    data = form_data(alice.get(plan.get_edit_url()))
    data["add_item"] = "wishlist"
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert sum(len(section["forms"]) for section in response.context["item_sections"]) == 4
