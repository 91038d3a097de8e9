"""Form pieces every front-end editor shares: GOV.UK date and time inputs with plain-English
messages, and the links an error summary needs.

Messages follow the GOV.UK Design System's error message guidance
(https://design-system.service.gov.uk/components/error-message/): say what to do, give an
example, never blame the user.
"""

from __future__ import annotations

import datetime
import re

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_PARTS = (_("day"), _("month"), _("year"))


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month and year boxes) giving a ``datetime.date``.

    Optional unless ``required=True``; ``required_message`` is then what an empty date says
    (for example "Enter the date of the meeting"). A half-filled date names the missing parts;
    an impossible one (31 2 2027, a two-digit year, a 30-digit day) asks for a real date, and
    one outside ``first_year``..``last_year`` says which years it takes.
    """

    def __init__(
        self,
        *,
        label,
        required: bool = False,
        required_message: str | None = None,
        first_year: int = 1900,
        last_year: int = 2100,
        **kwargs,
    ):
        kwargs.setdefault("help_text", _("For example, 27 3 2025"))
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.first_year, self.last_year = first_year, last_year
        if required_message:
            self.error_messages["required"] = required_message
        for subfield, name in zip(self.fields, _PARTS, strict=True):
            subfield.required = False
            subfield.validators = []
            subfield.error_messages["incomplete"] = _("Enter the %(part)s") % {"part": name}

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = [str(part or "").strip() for part in [*data_list, "", "", ""][:3]]
        missing = [str(name) for value, name in zip((day, month, year), _PARTS, strict=True) if not value]
        if missing:
            parts = _(" and ").join(missing)
            if self.required:
                raise ValidationError(_("Enter the %(parts)s") % {"parts": parts})
            raise ValidationError(_("Enter the %(parts)s, or leave the date empty") % {"parts": parts})
        if not re.fullmatch(r"\d{4}", year):
            raise ValidationError(_("Enter the year as 4 digits, for example 2027"))
        if not self.first_year <= int(year) <= self.last_year:
            raise ValidationError(
                _("Enter a year from %(first)s to %(last)s") % {"first": self.first_year, "last": self.last_year}
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day or month of 20 digits
            raise ValidationError(_("Enter a real date, for example 27 3 2025")) from None


_TIME = re.compile(r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<suffix>am|pm|a\.m\.|p\.m\.)?")
_TIME_WORDS = {"midday": datetime.time(12), "noon": datetime.time(12), "midnight": datetime.time(0)}


def parse_time_of_day(text: str) -> datetime.time:
    """A time of day as people type it: ``18:30``, ``18.30``, ``1830``, ``6pm``, ``6:30pm``,
    ``6.30 p.m.``, ``midday``. A bare hour such as ``6`` is refused: morning or evening?

    Raises:
        ValidationError: the text is not a time of day.
    """
    value = " ".join((text or "").lower().split())
    if value in _TIME_WORDS:
        return _TIME_WORDS[value]
    if re.fullmatch(r"\d{4}", value):
        value = f"{value[:2]}:{value[2:]}"
    match = _TIME.fullmatch(value)
    if not match:
        raise ValidationError(_("Enter a time, for example 6pm or 18:30"), code="invalid")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    suffix = (match["suffix"] or "").replace(".", "")
    if not suffix and match["minute"] is None:
        raise ValidationError(_("Add am or pm, or use the 24-hour clock, for example 6pm or 18:00"), code="ambiguous")
    if suffix:
        if not 1 <= hour <= 12:
            raise ValidationError(_("Enter an hour from 1 to 12 before am or pm, for example 6pm"), code="invalid")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(_("Enter a real time, for example 6pm or 18:30"), code="invalid")
    return datetime.time(hour, minute)


class TimeOfDayField(forms.Field):
    """A text box for a time of day (see ``parse_time_of_day``), giving a ``datetime.time``."""

    widget = forms.TextInput

    def __init__(self, *, required_message: str | None = None, **kwargs):
        kwargs.setdefault("help_text", _("For example, 6pm or 18:30"))
        super().__init__(**kwargs)
        if required_message:
            self.error_messages["required"] = required_message
        self.widget.attrs.update({"class": "govuk-input govuk-input--width-5", "autocomplete": "off", "maxlength": 20})

    def prepare_value(self, value):
        if isinstance(value, datetime.time):
            return f"{value:%H:%M}"
        return value

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 20:
            raise ValidationError(_("Enter a time, for example 6pm or 18:30"), code="invalid")
        return parse_time_of_day(text)


# A signed 64-bit integer: the widest primary key PostgreSQL and SQLite store.
LARGEST_ID = 2**63 - 1


def is_storable_id(value) -> bool:
    """Whether ``value`` (as typed or posted) is a whole number an integer primary key can
    hold. Anything else must be refused before it reaches a query: a 30-digit id overflows the
    database driver (a server error) instead of simply matching nothing."""
    text = str(value).strip()
    return bool(re.fullmatch(r"-?\d{1,19}", text)) and -LARGEST_ID <= int(text) <= LARGEST_ID


def has_integer_key(model: type[models.Model], to_field_name: str | None = None) -> bool:
    key = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    return isinstance(key, models.IntegerField | models.AutoField)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's multiple-choice model field, answering "choose from the list" for an id no
    database can hold (see ``is_storable_id``) instead of a server error. Every many-to-many a
    front-end form offers uses it (``Meta.field_classes``), and so does every one in the
    admin (``core.admin.AutocompleteLabelMixin``)."""

    def _check_values(self, value):
        if has_integer_key(self.queryset.model, self.to_field_name):
            for item in value if isinstance(value, list | tuple) else [value]:
                if not is_storable_id(item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A model choice among objects already fetched (``objects``): a posted id is looked up
    among them rather than in the database, so a formset of many rows validates without a
    query per row, and an id that is not among them (another meeting's action, a made-up or
    30-digit number) is simply an invalid choice."""

    def __init__(self, *, objects, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, models.Model):
            value = value.pk
        try:
            return self.objects[str(value)]
        except (KeyError, TypeError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class UnchangedRowMixin:
    """For the row forms of a model formset: a saved row sent back unchanged skips model
    validation (field validators, and in Django 5 a query per check constraint): it was valid
    when saved, the database still enforces its constraints, and nothing of it is written.
    A page of forty unchanged plan items saves without 120 queries."""

    def _post_clean(self):
        if self.instance.pk is not None and not self.has_changed():
            return
        super()._post_clean()


# What a hidden field's error means to the person at the keyboard: a formset row's id went
# stale (someone removed the row meanwhile) or the page was tampered with.
HIDDEN_FIELD_ERROR = _(
    "This changed while you were editing it. Reload the page to see it as it is now, then make your change again"
)


class ListedRowsFormSetMixin:
    """For model formsets: each row's hidden id is checked among the rows the formset already
    fetched (``ListedModelChoiceField``) instead of by a query per row, as Django does; and a
    post with fewer rows than the page was given (``TOTAL_FORMS`` below ``INITIAL_FORMS``: a
    tampered or truncated form) is refused, rather than saved as "no change" and reported as
    saved. A post without the hidden row counts at all is refused in the same plain words,
    not Django's "ManagementForm data is missing or has been tampered with"."""

    # Django merges ``default_error_messages`` along the class's MRO, this mixin's last.
    default_error_messages = {"missing_management_form": HIDDEN_FIELD_ERROR}

    def clean(self):
        super().clean()
        if self.is_bound and self.total_form_count() < self.initial_form_count():
            raise forms.ValidationError(HIDDEN_FIELD_ERROR, code="missing_rows")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, ListedModelChoiceField):
            form.fields[name] = ListedModelChoiceField(
                objects=self.get_queryset(), required=False, widget=field.widget, initial=field.initial
            )


def error_links(form: forms.Form, *, label: str = "") -> list[tuple[str, str]]:
    """``(#id, message)`` pairs for the error summary (``components/error_summary.html``):
    each of ``form``'s errors, linked to the input it belongs to, prefixed with ``label``
    (e.g. "Priority 2") for one of several rows. An error on a hidden field (which the person
    cannot see, let alone fix) is reported once, as ``HIDDEN_FIELD_ERROR``."""
    links: list[tuple[str, str]] = []
    prefix = f"{label}: " if label else ""
    fields = list(form.visible_fields())
    first_id = fields[0].auto_id if fields else ""
    for error in form.non_field_errors():
        links.append((first_id, prefix + str(error)))
    if any(hidden.errors for hidden in form.hidden_fields()):
        links.append((first_id, prefix + str(HIDDEN_FIELD_ERROR)))
    for bound_field in fields:
        for error in bound_field.errors:
            target = bound_field.auto_id
            widget = bound_field.field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                target = f"id_{bound_field.html_name}_1"
            elif isinstance(widget, forms.MultiWidget):
                target = f"{bound_field.auto_id}_0"
            links.append((target, prefix + str(error)))
    return links


def exception_messages(exc: Exception, *, default: str) -> list[str]:
    """What to show above a form when a service refused it: a ``ValidationError``'s messages,
    or a ``PermissionDenied``'s own text (``default`` when it has none)."""
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or default]


# The field a person never sees (hidden with CSS and from assistive technology) and a form-
# filling robot fills in: a public form sent with it is dropped.
HONEYPOT_FIELD = "website"


class HoneypotForm(forms.Form):
    """A public form with the honeypot field ``website``: the template renders it inside a
    hidden ``govuk-!-display-none`` group, outside the form's layout, and the view drops a form
    for which ``is_spam`` is true, answering as if it had been sent."""

    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_spam(self) -> bool:
        return bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())
