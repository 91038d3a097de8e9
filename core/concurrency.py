"""Optimistic concurrency: a save made on a stale copy of a record is refused, says what changed
meanwhile, and keeps what the person typed. One mechanism for every front-end editor and for the
admin's change forms.

- The form carries, hidden (``loaded_version``), the *version* of each record it was loaded from
  (``VersionedFormMixin``): the records' ``updated_at``, which every save changes
  (``TimeStampedModel``), as ISO 8601 text; several records' versions are joined with ``|``.
- The service locks the rows (``select_for_update``) and calls ``check_versions``; if any row
  has changed since, it raises ``EditConflict`` (a ``ValidationError`` with code ``"stale"``)
  naming the fields that changed and who changed them, read from the audit history
  (django-simple-history), and nothing is saved.
- The view shows the form again with the message and everything typed, and with the versions
  brought up to date (``accept_current_versions``). A field the person left alone shows the
  value saved meanwhile; a field both changed keeps what the person typed. Saving again is then
  a deliberate choice to keep their changes.

The model and the pattern follow Django's own advice on concurrent edits (check a version in
the UPDATE) and the GOV.UK Design System's error summary for the message.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# The hidden form field; not "version", which models may use for their own data (a taxonomy's).
VERSION_FIELD = "loaded_version"
_SEPARATOR = "|"
# Never compared: they change on every save, or are not the person's to edit.
_IGNORED_FIELDS = {"id", "created_at", "updated_at"}
# Longest value shown in a message, in characters.
_SHOWN_LENGTH = 60


def version_of(*records: models.Model | None) -> str:
    """The version token of ``records`` as loaded now: their ``updated_at`` values, ISO 8601,
    joined with ``|``; a record that does not exist (``None``) counts as ``-``."""
    return _SEPARATOR.join(record.updated_at.isoformat() if record is not None else "-" for record in records)


def parse_version(token: str | None, count: int = 1) -> list[datetime.datetime | None] | None:
    """The ``count`` moments in a version token (``None`` for a record that did not exist), or
    ``None`` when the token is missing or malformed (a forged or truncated form)."""
    parts = (token or "").split(_SEPARATOR)
    if len(parts) != count:
        return None
    moments: list[datetime.datetime | None] = []
    for part in parts:
        if part == "-":
            moments.append(None)
            continue
        try:
            moment = parse_datetime(part)
        except ValueError:
            return None
        if moment is None or timezone.is_naive(moment):
            return None
        moments.append(moment)
    return moments


@dataclass(frozen=True)
class Change:
    """One field that changed meanwhile: its form field ``name``, its ``label``, the stored
    values ``before`` and ``after`` (ids for relations), and both as shown to a person."""

    name: str
    label: str
    before: Any
    after: Any
    shown_before: str
    shown_after: str


class EditConflict(ValidationError):
    """A save made on a copy older than the record stored now. ``changes`` lists what changed
    meanwhile; ``current_version`` is the token to accept them."""

    def __init__(self, message: str, *, changes: Sequence[Change], current_version: str):
        super().__init__(message, code="stale")
        self.changes = list(changes)
        self.current_version = current_version


def check_versions(
    records: Sequence[models.Model | None],
    token: str | None,
    *,
    noun: str,
    fields: Iterable[str] | None = None,
    describe: Callable[[list[datetime.datetime | None]], list[Change]] | None = None,
) -> None:
    """Raise ``EditConflict`` unless every one of ``records`` (locked by the caller, in the
    order the form's token lists them) is the version the form was loaded from.

    ``noun`` names the record in the message ("this organisation"); ``fields`` limits the
    changes listed to what the form edits (default: every concrete field). ``describe``, given
    the moments the form's versions were saved at, lists the changes instead, for a form that
    shows several records as one (a profile with its edit waiting for review).

    Raises:
        EditConflict: a record changed, appeared or went since the form was loaded, or the token
            is missing or malformed (nothing then says which version the save was made on).
    """
    moments = parse_version(token, len(records))
    current = version_of(*records)
    if moments is None:
        raise EditConflict(
            _(
                "This page is out of date, so %(noun)s was not saved: reload the page to see it as "
                "it is now, then make your change again."
            )
            % {"noun": noun},
            changes=[],
            current_version=current,
        )
    changes: list[Change] = []
    stale = False
    who: set[str] = set()
    for record, moment in zip(records, moments, strict=True):
        now = record.updated_at if record is not None else None
        if now == moment:
            continue
        stale = True
        if record is None:
            continue
        if moment is not None and describe is None:
            changes += changes_since(record, moment, fields=fields)
        latest = record.history.order_by("-history_date").first() if hasattr(record, "history") else None
        if latest is not None and latest.history_user is not None:
            who.add(latest.history_user.get_full_name() or latest.history_user.get_username())
    if not stale:
        return
    if describe is not None:
        changes = describe(moments)
    raise EditConflict(_conflict_message(noun, changes, who), changes=changes, current_version=current)


def _conflict_message(noun: str, changes: list[Change], who: set[str]) -> str:
    someone = ", ".join(sorted(who)) if who else _("Someone else")
    message = _("%(someone)s changed %(noun)s while you were editing it, so your changes were not saved.") % {
        "someone": someone,
        "noun": noun,
    }
    if changes:
        message += " " + _("What changed: %(changes)s.") % {"changes": describe_changes(changes)}
    return message + " " + _("Your changes are still in the form: check them, then save again to keep them.")


def describe_changes(changes: Iterable[Change]) -> str:
    """``changes`` in a sentence: "Postcode was “—”, now “WF17 5AA”; Name was ..."."""
    return "; ".join(
        _("%(field)s was “%(then)s”, now “%(now)s”")
        % {"field": change.label, "then": change.shown_before, "now": change.shown_after}
        for change in changes
    )


def changes_since(
    record: models.Model, moment: datetime.datetime, *, fields: Iterable[str] | None = None
) -> list[Change]:
    """What changed in ``record`` since the version saved at ``moment`` (its ``updated_at``
    then), read from its audit history; empty when the history does not hold that version.
    A JSON object (a profile edit's proposal) is compared key by key, each key a field."""
    history = getattr(record, "history", None)
    if history is None:
        return []
    then = history.filter(updated_at=moment).order_by("-history_date").first()
    if then is None:
        return []
    names = set(fields) if fields is not None else None
    changes = []
    for field in record._meta.concrete_fields:
        if field.name in _IGNORED_FIELDS or (names is not None and field.name not in names):
            continue
        before, after = getattr(then, field.attname), getattr(record, field.attname)
        if before == after:
            continue
        label = str(field.verbose_name).capitalize()
        if isinstance(before, dict) and isinstance(after, dict):
            # A JSON record of several values (a profile edit's proposal): say which moved.
            for key in sorted(before.keys() | after.keys()):
                old, new = before.get(key), after.get(key)
                if old != new:
                    key_label = f"{label}: {key.replace('_', ' ')}"
                    changes.append(Change(key, key_label, old, new, shown(None, old), shown(None, new)))
            continue
        changes.append(Change(field.name, label, before, after, shown(field, before), shown(field, after)))
    return changes


def values_as_loaded(record: models.Model, token: str | None, fields: Iterable[str]) -> dict[str, Any] | None:
    """``fields`` of ``record`` as they were in the version ``token`` names (ids for relations),
    read from its audit history: what a person's form showed when it was loaded. None when the
    token is the record's version now (nothing to read), malformed, or not in the history.

    A row of a formset compares what was posted with these, not with the row as stored now, so
    a row someone else changed meanwhile, and this person left alone, counts as unchanged."""
    moments = parse_version(token, 1)
    history = getattr(record, "history", None)
    if not moments or moments[0] is None or moments[0] == record.updated_at or history is None:
        return None
    then = history.filter(updated_at=moments[0]).order_by("-history_date").first()
    if then is None:
        return None
    return {name: getattr(then, record._meta.get_field(name).attname) for name in fields}


def shown(field: models.Field | None, value: Any) -> str:
    """``value`` of ``field`` as a person reads it in a message: a choice's label, related
    records' names (a list of ids for a many-to-many field), a date in words, long text cut
    short; "—" for nothing."""
    if value in (None, "", []):
        return "—"
    if field is None:
        pass
    elif field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif field.is_relation:
        ids = value if isinstance(value, list | tuple) else [value]
        names = {obj.pk: str(obj) for obj in field.related_model._default_manager.filter(pk__in=ids)}
        value = ", ".join(sorted(str(names.get(pk, pk)) for pk in ids))
    elif isinstance(value, datetime.datetime):
        value = date_format(timezone.localtime(value), "j F Y H:i")
    elif isinstance(value, datetime.date):
        value = date_format(value, "j F Y")
    text = " ".join(str(value).split())
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


class VersionedFormMixin:
    """For a form that edits saved records: a hidden ``loaded_version`` field holding their
    version as loaded (``versioned_records()``, default: the ModelForm's instance). A form
    posted without it is refused by ``check_versions`` as out of date, and nothing is saved."""

    def versioned_records(self) -> Sequence[models.Model | None]:
        return [self.instance]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        records = self.versioned_records()
        if records and all(record is None or record.pk is not None for record in records):
            # Not required: a missing or forged version is the service's to refuse, with the
            # message every stale save gets (``check_versions``).
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, initial=version_of(*records), required=False
            )

    @cached_property
    def changed_data(self) -> list[str]:
        # The version is where the form came from, not a change the person made: a row of a
        # formset that someone else saved meanwhile, and this person left alone, is unchanged
        # and so neither written nor compared.
        return [name for name in super().changed_data if name != VERSION_FIELD]


def accept_current_versions(form: forms.Form, conflict: EditConflict) -> None:
    """Show ``form`` again after ``conflict`` (see ``refresh_after_conflict``), with the message
    at the top."""
    refresh_after_conflict(form, conflict)
    form.add_error(None, conflict)


def refresh_after_conflict(form: forms.Form, conflict: EditConflict) -> None:
    """Bring a bound ``form`` up to date after ``conflict``: the versions stored now, so that
    saving it again keeps the person's changes deliberately, and the values saved meanwhile in
    the fields the person left alone (a field both changed keeps what they typed)."""
    data = form.data.copy()
    data[form.add_prefix(VERSION_FIELD)] = conflict.current_version
    for change in conflict.changes:
        field = form.fields.get(change.name)
        if field is None or isinstance(field.widget, forms.MultiWidget):
            continue  # not in this form, or typed in parts (a date): keep what was posted
        key = form.add_prefix(change.name)
        posted = field.widget.value_from_datadict(form.data, form.files, key)
        if field.has_changed(change.before, posted):
            continue  # the person changed it too: theirs stays, the message shows the other
        now = change.after
        if isinstance(now, list | tuple):
            items = [str(item) for item in now]
            if hasattr(data, "setlist"):
                data.setlist(key, items)
            else:
                data[key] = items
        elif isinstance(now, bool):
            if now:
                data[key] = "on"
            else:
                data.pop(key, None)
        else:
            data[key] = "" if now is None else str(now)
    form.data = data


class RowEditConflict(EditConflict):
    """A row of a formset (a meeting's action, an organisation's opening time) was changed by
    someone else while this person edited it; ``row_id`` says which, so the page can show the
    message beside it."""

    def __init__(self, conflict: EditConflict, *, row_id: int):
        super().__init__(conflict.message, changes=conflict.changes, current_version=conflict.current_version)
        self.row_id = row_id


def check_row_versions(
    rows: models.QuerySet, loaded: dict[int, str | None], *, noun: str, fields: Iterable[str]
) -> None:
    """Refuse a save of formset rows made on stale copies. ``rows`` are the rows the formset
    edits (one parent's); ``loaded`` maps the id of each row this person changed or removed to
    the version token its form was loaded from (``VersionedRowsFormSetMixin.loaded_versions``).
    Rows they left alone are not compared, so two people editing different rows at once both
    keep theirs. The rows are locked until the caller's transaction ends, so the check and the
    save see the same rows. A row removed meanwhile is not here: the formset refuses its id as
    no longer listed (``core.forms.ListedRowsFormSetMixin``).

    Raises:
        RowEditConflict: a row this person changed or removed was changed by someone else
            meanwhile (the first such, in id order), or its form carried no version.
    """
    locked = {row.pk: row for row in rows.select_for_update().filter(pk__in=loaded)}
    for row_id in sorted(loaded):
        try:
            check_versions([locked.get(row_id)], loaded[row_id], noun=noun, fields=fields)
        except EditConflict as conflict:
            raise RowEditConflict(conflict, row_id=row_id) from None


class VersionedRowsFormSetMixin:
    """For a model formset of ``VersionedFormMixin`` rows: what ``check_row_versions`` needs,
    and the row to show a ``RowEditConflict`` beside."""

    def loaded_versions(self) -> dict[int, str | None]:
        """For a valid bound formset: the version each saved row this person changed or marked
        for removal was loaded at, by row id."""
        return {
            form.instance.pk: form.cleaned_data.get(VERSION_FIELD)
            for form in self.initial_forms
            if form.has_changed() or self._should_delete_form(form)
        }

    def form_for(self, row_id: int):
        """The form of the saved row ``row_id``, or None."""
        return next((form for form in self.initial_forms if form.instance.pk == row_id), None)


def show_row_as_loaded(form: forms.ModelForm, fields: Iterable[str]) -> None:
    """For a bound row form of a saved record: compare what was posted with the row as this
    person's page showed it (``values_as_loaded``), not as stored now, so that a row someone
    else saved meanwhile, and this person left alone, is neither written back nor refused.
    Call from the form's ``__init__``."""
    if form.is_bound and form.instance.pk is not None:
        loaded = values_as_loaded(form.instance, form.data.get(form.add_prefix(VERSION_FIELD)), fields)
        if loaded is not None:
            form.initial.update(loaded)
