"""Writes of the project level with more than one step: submitting a quarterly return."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.permissions import is_officer
from organisations.models import Network

from .dashboard import build_dashboard
from .dashboard_views import dashboard_rows, rows_csv, rows_xlsx
from .models import SubmittedReturn
from .periods import Period

if TYPE_CHECKING:
    from core.permissions import User


def _submitted_meanwhile() -> ValidationError:
    """Both ways a submission made meanwhile is found (the current return is not the one the
    person saw, or a first submission won the race at the database) say the same."""
    return ValidationError(
        _("Someone else submitted this quarter's return while you were looking at it. Check their return first."),
        code="stale",
    )


@transaction.atomic
def return_submit(
    *,
    user: User,
    network: Network,
    period: Period,
    expected_current: int | None,
    reason: str = "",
) -> SubmittedReturn:
    """Freeze ``network``'s figures for the closed contract quarter ``period``, as the
    dashboard's downloads give them to ``user`` now, with the CSV and XLSX files' bytes.

    ``expected_current`` is the id of the quarter's current return when the person loaded the
    page (None: none had been submitted). A quarter already submitted is *replaced*, never
    overwritten: the new return names the old one and needs a ``reason``. The caller has
    checked that ``user`` may report for ``network`` (``networks_returning_for``).

    Raises:
        ValidationError: ``period`` is not a quarter that has ended (code ``"open"``); someone
            submitted the quarter since the page was loaded (code ``"stale"``); a replacement
            without a reason (code ``"reason"``).
    """
    if not period.has_ended_quarter:
        raise ValidationError(_("Only a quarter that has ended can be submitted."), code="open")
    current = (
        SubmittedReturn.objects.select_for_update(of=("self",))
        .current()
        .for_quarter(network, period.start, period.end)
        .first()
    )
    if (current.pk if current else None) != expected_current:
        raise _submitted_meanwhile()
    reason = reason.strip()
    if current is not None and not reason:
        raise ValidationError(_("Enter why this return replaces the one already submitted"), code="reason")
    dashboard = build_dashboard(user=user, place=network.district, period=period, officer=is_officer(user))
    rows = dashboard_rows(dashboard)
    submitted = SubmittedReturn(
        network=network,
        period_code=period.code,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        submitted_by=user,
        rows=rows,
        csv_file=rows_csv(rows),
        xlsx_file=rows_xlsx(rows),
        replaces=current,
        reason=reason if current is not None else "",
    )
    submitted.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            submitted.save()
    except IntegrityError:
        # Two first submissions of one quarter at the same moment: the database keeps one.
        raise _submitted_meanwhile() from None
    return submitted
