"""Reads of the project level: the submitted returns a person may read, and how a return's
figures differ from today's (the same for whoever asks)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .dashboard import build_dashboard
from .dashboard_views import WAITING_LONGEST, dashboard_rows
from .models import SubmittedReturn
from .periods import Period

if TYPE_CHECKING:
    from core.permissions import User


def return_list_visible_to(*, user: User | None) -> QuerySet[SubmittedReturn]:
    """The returns ``user`` may read, by network, newest quarter first, the latest submission
    of a quarter first; each with its network, submitter and (reverse) replacement: one query."""
    return (
        SubmittedReturn.objects.visible_to(user)
        .summaries()
        .select_related("network", "submitted_by")
        .order_by("network__name", "-period_start", "-submitted_at")
    )


@dataclasses.dataclass(frozen=True)
class Change:
    """One figure of a return beside today's: ``figure`` names it (section, row and column),
    ``then`` and ``now`` are its values ("" where it was or is not there), ``difference`` is now
    minus then where both are numbers (else None), and ``changed`` whether they differ."""

    figure: str
    then: object
    now: object
    difference: int | float | None
    changed: bool


LISTED = "listed"


def _keyed_figures(rows: Iterable[list]) -> dict[tuple[str, ...], object]:
    """The figures of the dashboard download's rows (``dashboard_rows``), keyed by where they
    sit: (section, row label) for a label and its value, (section, row label, column header)
    for a table's cell, (section, name) for a name in a list (its value ``LISTED``).

    The requests waiting longest are left out: they are the requests open on the day the rows
    were made that the person looking could open, not a figure of the quarter, so they would
    differ with the day and the reader, never with the quarter's records."""
    figures: dict[tuple[str, ...], object] = {}
    section, headers, starts_section, expect_headers = "", None, True, False
    not_compared = {str(WAITING_LONGEST)}
    for row in rows:
        if not row:
            starts_section, headers = True, None
            continue
        label = str(row[0])
        if starts_section:
            section, starts_section, headers = label, False, None
            if len(row) > 1:  # a list's heading carrying its count ("Groups supported by nobody")
                figures[(section,)] = row[1]
            expect_headers = True
            continue
        if expect_headers and len(row) > 2:
            headers = [str(cell) for cell in row]
            expect_headers = False
            continue
        expect_headers = False
        if section in not_compared:
            continue
        if headers:
            for header, cell in zip(headers[1:], row[1:], strict=False):
                figures[(section, label, header)] = cell
        elif len(row) == 1:
            figures[(section, label)] = LISTED
        else:
            figures[(section, label)] = row[1] if len(row) == 2 else " ".join(str(cell) for cell in row[1:])
    return figures


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(value: object) -> object:
    if value is None:
        return ""
    if value == LISTED:
        return _("Listed")
    return value


def return_comparison(then_rows: list[list], now_rows: list[list]) -> list[Change]:
    """Every figure of a submitted return's rows beside the same figure in today's rows for
    the same network and quarter (``return_comparison_today``), in the order of the page, those that differ marked
    ``changed``. A figure only one side has shows "" (or "Not listed") on the other. No
    queries."""
    then, now = _keyed_figures(then_rows), _keyed_figures(now_rows)
    comparison = []
    for key in [*then, *(key for key in now if key not in then)]:
        before, after = then.get(key), now.get(key)
        changed = before != after
        if before == LISTED or after == LISTED:
            before = _shown(before) or _("Not listed")
            after = _shown(after) or _("Not listed")
        difference = after - before if _is_number(before) and _is_number(after) else None
        if isinstance(difference, float):
            difference = round(difference, 1)
        comparison.append(Change(" – ".join(key), _shown(before), _shown(after), difference, changed))
    return comparison


def return_comparison_today(submitted: SubmittedReturn) -> list[Change]:
    """``return_comparison`` of ``submitted`` with today's figures for its network and quarter.

    Today's figures are built for nobody in particular (no user, no officer's links): only the
    requests waiting longest depend on who looks, and the comparison leaves them out, so an
    officer and the network's coordinator see the same changes on the same return. The
    dashboard's fixed number of queries (``build_dashboard``)."""
    today = build_dashboard(
        user=None,
        place=submitted.network.district,
        period=Period.from_code(submitted.period_code),
        officer=False,
    )
    return return_comparison(submitted.rows, dashboard_rows(today))
