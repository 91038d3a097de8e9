"""Small-count suppression: nothing published lets a reader work out a count under five."""

import itertools

import pytest

from core.disclosure import publish_count, publish_table


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (37, "37")])
def test_a_count_from_one_to_four_is_withheld_and_said_so(count, shown):
    published = publish_count(count)

    assert str(published) == shown
    assert published.withheld == (shown == "fewer than 5")


def test_the_threshold_can_be_raised():
    assert str(publish_count(9, threshold=10)) == "fewer than 10"
    assert publish_count(10, threshold=10).value == 10


@pytest.mark.parametrize(("count", "threshold", "message"), [(-1, 5, "negative"), (3, 0, "at least 1")])
def test_a_negative_count_or_a_threshold_below_one_is_refused(count, threshold, message):
    with pytest.raises(ValueError, match=message):
        publish_count(count, threshold=threshold)


def test_a_total_that_would_give_one_withheld_part_back_is_withheld():
    table = publish_table({"debt": 12, "loneliness": 2, "transport": 7}, total=21)

    assert [str(count) for count in table.parts.values()] == ["12", "fewer than 5", "7"]
    assert table.total.value is None
    assert str(table.total) == "withheld"
    assert table.any_withheld


def test_a_total_is_shown_when_nothing_is_withheld_or_the_withheld_parts_stay_ambiguous():
    plain = publish_table({"debt": 12, "transport": 7}, total=19)
    ambiguous = publish_table({"debt": 12, "loneliness": 3, "transport": 4}, total=19)

    assert plain.total.value == 19
    assert not plain.any_withheld
    # 7 shared between two withheld parts: 3 and 4, or 4 and 3.
    assert ambiguous.total.value == 19
    assert ambiguous.any_withheld


@pytest.mark.parametrize(
    "parts",
    [
        {"a": 1, "b": 1, "c": 9},  # the withheld two come to 2: each is 1
        {"a": 4, "b": 4, "c": 9},  # they come to 8: each is 4
        {"a": 1, "b": 2, "c": 9},  # they come to 3, a small count itself
    ],
)
def test_a_total_that_pins_down_several_withheld_parts_is_withheld(parts):
    assert publish_table(parts, total=sum(parts.values())).total.withheld


def test_a_small_total_is_withheld_as_a_small_count():
    table = publish_table({"debt": 3}, total=3)

    assert str(table.total) == "fewer than 5"


def consistent_tables(published, total_value, size):
    """Every table of ``size`` true counts that would publish as ``published`` (the parts'
    values) with ``total_value`` (None when withheld), the parts adding up to the total."""
    options = [[value] if value is not None else range(1, 5) for value in published]
    for candidate in itertools.product(*options):
        if total_value is None or sum(candidate) == total_value:
            yield candidate
    assert len(published) == size


def test_no_published_table_of_three_parts_lets_a_reader_work_out_a_withheld_part():
    # Every table of three parts from 0 to 9: a reader who knows the rule and sees the
    # published figures must be left at least two values for every withheld part.
    for counts in itertools.product(range(10), repeat=3):
        table = publish_table(dict(enumerate(counts)), total=sum(counts))
        shown = [count.value for count in table.parts.values()]
        candidates = list(consistent_tables(shown, table.total.value, 3))
        assert counts in candidates
        for index, value in enumerate(shown):
            if value is None:
                assert len({candidate[index] for candidate in candidates}) > 1, counts
        if table.total.value is not None and any(value is None for value in shown):
            withheld_sum = table.total.value - sum(value for value in shown if value is not None)
            assert withheld_sum >= 5, counts
