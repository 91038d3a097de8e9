"""Forms for editors of organisation profiles and reviewers of new groups (the front end, not
the admin)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin, VersionedRowsFormSetMixin, show_row_as_loaded
from core.forms import GovukDateField, IdMultipleChoiceField, ListedRowsFormSetMixin, UnchangedRowMixin
from localities.models import Locality

from .models import GroupSubmissionStatus, Organisation, ProfileRevision, Schedule, TaxonomyTerm, Weekday


class OrganisationProfileForm(VersionedFormMixin, forms.ModelForm):
    """The profile an editor may change: everything in ``ProfileRevision.EDITABLE_FIELDS``.
    Name, status, anchor roles and initiatives stay with officers.

    Carries, hidden, the version of the profile and of the edit waiting for review, if any
    (``core.concurrency``): a save made on a stale copy is refused."""

    class Meta:
        model = Organisation
        fields = ProfileRevision.EDITABLE_FIELDS
        field_classes = {"localities": IdMultipleChoiceField, "services": IdMultipleChoiceField}
        widgets = {
            "localities": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": _("Enter the organisation's name")},
            "website": {"invalid": _("Enter a website address like https://www.example.org")},
            "email": {"invalid": _("Enter an email address like name@example.org")},
            "contact_email": {"invalid": _("Enter an email address like name@example.org")},
        }

    def __init__(self, *args, private_contacts: bool = True, pending: ProfileRevision | None = None, **kwargs):
        """``private_contacts=False`` leaves out the officer-only contact fields (see
        ``organisations.permissions.can_see_private_contacts``): they are neither shown nor
        changed. ``pending`` is the organisation's edit waiting for review, which the form
        shows (its ``initial``) and whose version it carries."""
        self.pending = pending
        super().__init__(*args, **kwargs)
        if not private_contacts:
            for name in Organisation.PRIVATE_FIELDS:
                del self.fields[name]
        self.fields["localities"].queryset = Locality.objects.current().order_by("name")
        self.fields["services"].queryset = TaxonomyTerm.objects.services().order_by("name")
        self.fields["localities"].label = _("Areas you serve")
        self.fields["services"].label = _("Services and needs you cover")
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's <form> carries the CSRF token and action
        self.helper.layout = Layout(
            Fieldset(
                Field.text("name"),
                Field.select("kind"),
                Field.textarea("description"),
                legend=_("About the organisation"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("website"),
                Field.text("email"),
                Field.text("phone", field_width=20),
                Field.textarea("address"),
                Field.text("postcode", field_width=10),
                legend=_("Public contact details"),
                legend_size=Size.MEDIUM,
            ),
            *(
                [
                    Fieldset(
                        Field.text("contact_name"),
                        Field.text("contact_phone", field_width=20),
                        Field.text("contact_email"),
                        legend=_("Contact for officers only (never shown publicly)"),
                        legend_size=Size.MEDIUM,
                    )
                ]
                if private_contacts
                else []
            ),
            Fieldset(
                Field.text("charity_number", field_width=10),
                Field.text("company_number", field_width=10),
                legend=_("Registration"),
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("services", legend_size=Size.MEDIUM, small=True),
            Field.checkboxes("localities", legend_size=Size.MEDIUM, small=True),
            Button("submit", _("Save changes")),
        )

    def versioned_records(self):
        return [self.instance, self.pending]


# What the reviewer may decide: a submission's status once decided.
DECISION_LABELS = {
    GroupSubmissionStatus.PUBLISHED: _("Publish it: it is a new group for the directory"),
    GroupSubmissionStatus.MERGED: _("It is already listed: do not list it twice"),
    GroupSubmissionStatus.DECLINED: _("Decline it"),
}
DECLINE_REASON_MAX_LENGTH = 500


class GroupSubmissionDecisionForm(forms.Form):
    """A reviewer's decision on a new group (``services.group_submission_decide``): publish it,
    say it is already listed as one of its possible ``duplicates`` (offered only when there are
    some), or decline it with a reason the sender is told. Whether someone decided first is the
    service's to check."""

    decision = forms.ChoiceField(
        label=_("What do you want to do with this group?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what to do with this group"),
            "invalid_choice": _("Choose one of the options shown"),
        },
    )
    duplicate_of = forms.ChoiceField(
        label=_("If it is already listed: which organisation is it?"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the organisations shown")},
    )
    reason = forms.CharField(
        label=_("If you decline it: why?"),
        help_text=_("The person who sent it is told this in an email, so write it for them."),
        required=False,
        max_length=DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, duplicates: list[Organisation], **kwargs):
        """``duplicates``: the organisations, already fetched, it may be the same group as."""
        super().__init__(*args, **kwargs)
        self.duplicates = {str(organisation.pk): organisation for organisation in duplicates}
        decisions = dict(DECISION_LABELS)
        if not duplicates:
            del decisions[GroupSubmissionStatus.MERGED]
            del self.fields["duplicate_of"]
        else:
            self.fields["duplicate_of"].choices = [
                (pk, f"{organisation.name} ({organisation.get_status_display().lower()})")
                for pk, organisation in self.duplicates.items()
            ]
            if len(duplicates) == 1:
                self.initial.setdefault("duplicate_of", next(iter(self.duplicates)))
        self.fields["decision"].choices = [(value.value, label) for value, label in decisions.items()]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's <form> carries the CSRF token and the button
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            *([Field.radios("duplicate_of", legend_size=Size.SMALL, small=True)] if duplicates else []),
            Field.textarea("reason"),
        )

    def clean_duplicate_of(self) -> Organisation | None:
        chosen = self.cleaned_data.get("duplicate_of")
        return self.duplicates[chosen] if chosen else None

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == GroupSubmissionStatus.MERGED and not cleaned.get("duplicate_of"):
            self.add_error("duplicate_of", _("Choose the organisation the group is already listed as"))
        if decision == GroupSubmissionStatus.DECLINED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the group is declined"))
        return cleaned


class GroupSubmissionFilterForm(forms.Form):
    """The new-groups queue's filter: the groups waiting for review (the default), or those
    already decided."""

    OPEN, DECIDED = "open", "decided"
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[(OPEN, _("Waiting for review")), (DECIDED, _("Decided"))],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose waiting for review or decided")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.radios("show", legend_size=Size.SMALL, inline=True, small=True))

    @property
    def shows_decided(self) -> bool:
        return self.is_valid() and self.cleaned_data["show"] == self.DECIDED


# ------------------------------------------------------------------------------------------
# Opening times (HSDS schedules), in the profile editor
# ------------------------------------------------------------------------------------------
# More weekly rows than anyone needs ("Monday to Friday, mornings and afternoons" is ten):
# a forged TOTAL_FORMS of a million would otherwise build and render Django's 1,000 forms.
MAX_OPENING_TIMES = 40
_TIME_ERROR = _("Enter a time like 10:00 or 14:30")
_OVERNIGHT_HINT = _(
    "To stay open past midnight, give two opening times: one closing at 23:59, and one opening at 00:00 on the next day"
)


class ScheduleForm(UnchangedRowMixin, VersionedFormMixin, forms.ModelForm):
    """One weekly opening time: the day, the times it opens and closes, whether people must
    book, an optional season, and a note. The model's own rules (both times, closing after
    opening; a day and times unless by appointment; a season ending after it starts) are
    checked on the row and shown beside it."""

    valid_from = GovukDateField(label=_("From (optional, for a season only)"), first_year=2000, last_year=2100)
    valid_to = GovukDateField(label=_("Until (optional, for a season only)"), first_year=2000, last_year=2100)

    class Meta:
        model = Schedule
        fields = Schedule.EDITABLE_FIELDS
        labels = {
            "byday": _("Day"),
            "opens_at": _("Opens at"),
            "closes_at": _("Closes at"),
            "by_appointment": _("By appointment only: people must book first"),
            "notes": _("Notes (optional)"),
        }
        widgets = {
            "opens_at": forms.TimeInput(format="%H:%M"),
            "closes_at": forms.TimeInput(format="%H:%M"),
        }
        error_messages = {
            "byday": {"invalid_choice": _("Choose a day from the list")},
            "opens_at": {"invalid": _TIME_ERROR},
            "closes_at": {"invalid": _TIME_ERROR},
            "notes": {"max_length": _("Notes must be 200 characters or fewer")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_row_as_loaded(self, Schedule.EDITABLE_FIELDS)
        self.fields["byday"].choices = [("", _("Choose a day")), *Weekday.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's <form> carries the CSRF token and buttons
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("byday"),
            Field.text("opens_at", field_width=5),
            Field.text("closes_at", field_width=5),
            Field.checkbox("by_appointment", small=True),
            Field("valid_from"),
            Field("valid_to"),
            Field.text("notes"),
        )

    def clean(self):
        """An opening past midnight ("22:00 to 02:00") is refused by the model's rule that it
        closes after it opens on the same day (``Schedule``: "open now" reads one day's rows);
        with the model's message (as a non-field error: one on "Closes at" would stop Django
        checking the model's rule, and its message, for the row), say how to enter one instead."""
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at is not None and closes_at is not None and closes_at < opens_at:
            self.add_error(None, _OVERNIGHT_HINT)
        return cleaned


class ScheduleFormSet(VersionedRowsFormSetMixin, ListedRowsFormSetMixin, BaseInlineFormSet):
    """An organisation's weekly opening times, in weekday order, with one blank row to fill
    in (``extra``) or more (``with_another_row``)."""

    # Only a forged row count gets past ``with_another_row``'s cap; even so, in the site's words.
    default_error_messages = {
        "too_many_forms": _("You can give at most %(num)d opening times. Remove one before adding another")
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Schedule.objects.in_week_order())
        super().__init__(*args, **kwargs)


ScheduleInlineFormSet = inlineformset_factory(
    Organisation,
    Schedule,
    form=ScheduleForm,
    formset=ScheduleFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_OPENING_TIMES,
    absolute_max=MAX_OPENING_TIMES,
    validate_max=True,
)


def with_another_row(data, prefix: str):
    """The posted ``data`` of a formset with one blank row more (its TOTAL_FORMS raised by one,
    up to ``MAX_OPENING_TIMES``): "Add another opening time" without JavaScript. Everything
    typed stays; nothing is saved."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    data[key] = str(min(max(total, 0) + 1, MAX_OPENING_TIMES))
    return data
