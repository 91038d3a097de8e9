"""The front-end meeting editor: a meeting's details and papers, and after it, who came and the
actions it raised. GOV.UK Design System components (crispy-forms-gds), no JavaScript needed.

Choices come from ``meetings.permissions`` (the networks, organisers and places the person
may organise meetings for); the services check them again. On an error nothing is saved and
everything typed is shown again.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fixed, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import VERSION_FIELD, VersionedFormMixin, VersionedRowsFormSetMixin, show_row_as_loaded
from core.forms import (
    GovukDateField,
    IdMultipleChoiceField,
    ListedModelChoiceField,
    ListedRowsFormSetMixin,
    TimeOfDayField,
    UnchangedRowMixin,
)
from localities.models import Locality
from organisations.models import Network, Organisation

from .models import (
    FIRST_MEETING_YEAR,
    LAST_MEETING_YEAR,
    LONDON,
    Action,
    ActionStatus,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingVisibility,
)
from .services import register_token

# More actions than this from one meeting is a forged form, not a meeting.
MAX_ACTIONS_PER_MEETING = 200


def _helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template's <form> carries the CSRF token and the buttons
    helper.disable_csrf = True
    helper.layout = layout
    return helper


def london_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """``day`` at ``time`` on the clocks in the UK, as an aware datetime.

    Raises:
        ValidationError: the time does not exist that day (the hour the clocks skip in spring).
    """
    naive = datetime.datetime.combine(day, time)
    aware = naive.replace(tzinfo=LONDON)
    # zoneinfo accepts a skipped wall-clock time and shifts it; a round trip shows the shift.
    if aware.astimezone(datetime.UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("The clocks go forward at 1am that day, so %(time)s does not exist: enter another time")
            % {"time": f"{time:%H:%M}"},
            code="nonexistent",
        )
    return aware


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    """A meeting's details, time and place, and papers. A new meeting cannot start cancelled;
    an existing one can be cancelled (with a reason, which everyone who can see it reads) or
    reinstated here. An existing meeting's form carries its version (``core.concurrency``)."""

    date = GovukDateField(
        label=_("Date"),
        required=True,
        required_message=_("Enter the date of the meeting"),
        help_text=_("For example, 12 3 2027"),
        first_year=FIRST_MEETING_YEAR,
        last_year=LAST_MEETING_YEAR,
    )
    starts_at = TimeOfDayField(label=_("Start time"), required_message=_("Enter the time the meeting starts"))
    ends_at = TimeOfDayField(
        label=_("End time"),
        required_message=_("Enter the time the meeting ends"),
        help_text=_("For example, 8pm or 20:00. Midnight ends it at the end of the day."),
    )

    class Meta:
        model = Meeting
        # The times are typed as a date and two times of day (see ``clean``).
        fields = [*(name for name in Meeting.EDITABLE_FIELDS if name not in ("start", "end")), "localities"]
        labels: ClassVar = {
            "title": _("Title"),
            "kind": _("Kind of meeting"),
            "network": _("Network"),
            "organiser": _("Organised by"),
            "localities": _("Areas it concerns (optional)"),
            "visibility": _("Who can see it"),
            "venue": _("Venue (optional)"),
            "address": _("Address (optional)"),
            "joining_url": _("Online joining link (optional)"),
            "agenda": _("Agenda (optional)"),
            "minutes": _("Minutes (optional)"),
            "minutes_published": _("The minutes are approved: show them to everyone who can see the meeting"),
            "cancelled": _("This meeting is cancelled"),
            "cancellation_reason": _("Why it is cancelled"),
        }
        help_texts: ClassVar = {
            "title": _("For example: Batley and Spen locality meeting"),
            "localities": _("The meeting is listed in each area's calendar feed."),
            "visibility": "",
            "venue": _("For a meeting in person, for example: Batley Community Centre"),
            "joining_url": _(
                "Never shown publicly: only to signed-in network members who can see the meeting. "
                "For example https://meet.example.org/room"
            ),
            "agenda": _("One item a line. Everyone who can see the meeting reads it."),
            "minutes": _("Kept private until you tick that they are approved."),
            "cancellation_reason": _("Everyone who can see the meeting reads this, and calendars show it cancelled."),
            "minutes_published": "",
            "network": "",
            "organiser": "",
        }
        error_messages: ClassVar = {
            "title": {"required": _("Enter a title for the meeting")},
            "kind": {"invalid_choice": _("Choose the kind of meeting from the list")},
            "network": {
                "required": _("Choose the network the meeting belongs to"),
                "invalid_choice": _("Choose a network from the list"),
            },
            "organiser": {
                "required": _("Choose the organisation organising the meeting"),
                "invalid_choice": _("Choose an organisation from the list"),
            },
            "localities": {"invalid_choice": _("Choose areas from the list")},
            "visibility": {
                "required": _("Choose who can see the meeting"),
                "invalid_choice": _("Choose who can see the meeting"),
            },
            "joining_url": {"invalid": _("Enter a web address starting with https://, or leave it empty")},
        }
        field_classes: ClassVar = {"localities": IdMultipleChoiceField}
        widgets: ClassVar = {
            "localities": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, networks=None, organisers=None, localities=None, organiser_rule=None, **kwargs):
        """``networks``, ``organisers`` and ``localities`` are what the person may choose;
        ``organiser_rule(network, organiser) -> bool`` says whether a pair goes together."""
        super().__init__(*args, **kwargs)
        self.organiser_rule = organiser_rule
        meeting = self.instance
        self.fields["kind"].choices = MeetingKind.choices
        self.fields["visibility"].choices = MeetingVisibility.choices
        network_field = self.fields["network"]
        network_field.queryset = (networks if networks is not None else Network.objects.none()).order_by("name")
        network_field.empty_label = _("Choose a network")
        organiser_field = self.fields["organiser"]
        organiser_field.queryset = (organisers if organisers is not None else Organisation.objects.none()).order_by(
            "name"
        )
        organiser_field.empty_label = _("Choose an organisation")
        # A place the meeting already names stays on offer even once it has ended.
        places = localities if localities is not None else Locality.objects.none()
        if meeting.pk:
            places = Locality.objects.filter(pk__in=places.values("pk")) | meeting.localities.all()
        self.fields["localities"].queryset = places.distinct().in_tree_order()
        self.fields["localities"].label_from_instance = lambda place: (
            f"{place.name} ({place.get_kind_display().lower()})"
        )
        self.fields["joining_url"].assume_scheme = "https"
        # Only https: the link opens a call that may carry personal conversations.
        self.fields["joining_url"].validators = [URLValidator(schemes=["https"])]
        for name in ("title", "venue", "joining_url"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["joining_url"].widget.attrs.update({"class": "govuk-input", "spellcheck": "false"})
        if not self.is_bound:
            if meeting.pk is None:
                self.initial.setdefault("kind", MeetingKind.LOCALITY)
            self._offer_the_only_choice("network")
            self._offer_the_only_choice("organiser")
            if meeting.pk:
                start = timezone.localtime(meeting.start, LONDON)
                self.initial.update(
                    date=start.date(),
                    starts_at=start.time(),
                    ends_at=timezone.localtime(meeting.end, LONDON).time(),
                )
        if meeting.pk is None:
            for name in ("cancelled", "cancellation_reason"):
                del self.fields[name]
        self.helper = _helper(self._layout())

    def _offer_the_only_choice(self, name: str) -> None:
        choices = list(self.fields[name].queryset[:2])
        if len(choices) == 1 and not self.initial.get(name):
            self.initial[name] = choices[0].pk

    def _layout(self) -> Layout:
        # Headings rather than fieldsets around the groups: the radios, checkboxes and date
        # are fieldsets of their own, and GOV.UK advises against nesting them.
        parts = [
            HTML.h2(_("About the meeting")),
            Field.text("title"),
            Field.select("kind"),
            Field.select("network"),
            Field.select("organiser"),
            Field.radios("visibility", legend_size=Size.SMALL, small=True),
            Field.checkboxes("localities", legend_size=Size.SMALL, small=True),
            HTML.h2(_("When and where")),
            Field("date"),
            Field.text("starts_at", field_width=Fixed.FIVE),
            Field.text("ends_at", field_width=Fixed.FIVE),
            Field.text("venue"),
            Field.textarea("address", rows=3),
            Field.text("joining_url"),
            HTML.h2(_("Papers")),
            Field.textarea("agenda", rows=6),
            Field.textarea("minutes", rows=8),
            Field.checkbox("minutes_published", small=True),
        ]
        if "cancelled" in self.fields:
            parts += [
                HTML.h2(_("Cancel the meeting")),
                Field.checkbox("cancelled", small=True),
                Field.text("cancellation_reason"),
            ]
        return Layout(*parts)

    def clean(self):
        cleaned_data = super().clean()
        day, starts_at, ends_at = (cleaned_data.get(name) for name in ("date", "starts_at", "ends_at"))
        if day and starts_at and ends_at:
            try:
                start = london_datetime(day, starts_at)
            except ValidationError as error:
                self.add_error("starts_at", error)
                return cleaned_data
            # "Midnight" as an end time is the end of the day, not its start.
            end_day = day + datetime.timedelta(days=1) if ends_at == datetime.time(0) else day
            try:
                end = london_datetime(end_day, ends_at)
            except ValidationError as error:
                self.add_error("ends_at", error)
                return cleaned_data
            if end <= start:
                self.add_error("ends_at", _("Enter an end time after the start time"))
            else:
                cleaned_data["start"], cleaned_data["end"] = start, end
        network, organiser = cleaned_data.get("network"), cleaned_data.get("organiser")
        if network and organiser and self.organiser_rule is not None and not self.organiser_rule(network, organiser):
            self.add_error(
                "organiser",
                _("%(organiser)s cannot organise meetings of %(network)s: choose the network it is an anchor in")
                % {"organiser": organiser.name, "network": network.name},
            )
        return cleaned_data

    def _post_clean(self):
        # The model checks its own rules (ends after it starts) on the times the form worked out.
        if "start" in self.cleaned_data:
            self.instance.start = self.cleaned_data["start"]
            self.instance.end = self.cleaned_data["end"]
        super()._post_clean()

    def model_values(self) -> dict:
        """The cleaned values as model fields, for ``meeting_create``/``meeting_update``:
        ``{"title": ..., "start": aware datetime, ...}`` (the places are separate)."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        values.pop("localities", None)
        values["start"], values["end"] = self.cleaned_data["start"], self.cleaned_data["end"]
        if not values.get("cancelled", False):
            values["cancellation_reason"] = ""
        return values


# ------------------------------------------------------------------------------
# After the meeting: attendance and actions
# ------------------------------------------------------------------------------
NOT_RECORDED = ""


class AttendanceForm(forms.Form):
    """One drop-down per organisation that might have been there: not recorded, invited, came
    or sent apologies. ``candidates`` are the organisations to list (see
    ``meeting_attendance_candidates``), ``current`` their recorded status by organisation id.
    Carries, hidden, the register it was loaded with (``meetings.services.register_token``), so
    that only what the person changes is saved (``meeting_attendance_set``)."""

    def __init__(self, *args, candidates: list[Organisation], current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=register_token(current)
        )
        choices = [(NOT_RECORDED, _("Not recorded")), *AttendanceStatus.choices]
        for organisation in candidates:
            self.fields[self.field_name(organisation)] = forms.ChoiceField(
                label=organisation.name,
                choices=choices,
                required=False,
                initial=current.get(organisation.pk, NOT_RECORDED),
                error_messages={"invalid_choice": _("Choose a status from the list")},
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )

    @staticmethod
    def field_name(organisation: Organisation) -> str:
        return f"attendance-{organisation.pk}"

    def rows(self):
        """``(organisation, bound field)`` for the template's table."""
        return [(organisation, self[self.field_name(organisation)]) for organisation in self.candidates]

    def statuses(self) -> dict[int, str | None]:
        """The status chosen for each listed organisation id; None where "not recorded"."""
        return {
            organisation.pk: (self.cleaned_data.get(self.field_name(organisation)) or None)
            for organisation in self.candidates
        }


class ActionForm(UnchangedRowMixin, VersionedFormMixin, forms.ModelForm):
    """One action: what, who, by when, and whether it is done."""

    due_on = GovukDateField(
        label=_("Due (optional)"),
        help_text=_("For example, 30 4 2027"),
        first_year=FIRST_MEETING_YEAR,
        last_year=LAST_MEETING_YEAR,
    )

    class Meta:
        model = Action
        fields = Action.EDITABLE_FIELDS
        labels: ClassVar = {"description": _("Action"), "owner": _("Who will do it"), "status": _("Status")}
        error_messages: ClassVar = {
            "description": {"required": _("Enter what the action is")},
            "owner": {
                "required": _("Choose the organisation that will do it"),
                "invalid_choice": _("Choose an organisation from the list"),
            },
            "status": {"invalid_choice": _("Choose open or done")},
        }
        widgets: ClassVar = {"description": forms.Textarea(attrs={"rows": 2}), "status": forms.RadioSelect}

    def __init__(self, *args, owners: list[Organisation] | None = None, **kwargs):
        """``owners``: the organisations an action may belong to, already fetched (the
        meeting's register); neither rendering nor checking the choice costs a query."""
        super().__init__(*args, **kwargs)
        show_row_as_loaded(self, Action.EDITABLE_FIELDS)
        self.fields["status"].choices = ActionStatus.choices
        owners = owners or []
        owner = self.fields["owner"]
        self.fields["owner"] = ListedModelChoiceField(
            objects=owners,
            label=owner.label,
            error_messages=owner.error_messages,
            empty_label=_("Choose an organisation"),
        )
        self.fields["owner"].choices = [("", _("Choose an organisation")), *((o.pk, o.name) for o in owners)]
        self.helper = _helper(
            Layout(
                Field.textarea("description", rows=2),
                Field.select("owner"),
                Field("due_on"),
                Field.radios("status", inline=True, small=True, legend_size=Size.SMALL),
            )
        )

    def _get_validation_exclusions(self):
        # The owner was found among the listed organisations: the model's own check that it
        # exists would be one more query per action.
        return {*super()._get_validation_exclusions(), "owner"}


class ActionFormSet(VersionedRowsFormSetMixin, ListedRowsFormSetMixin, BaseInlineFormSet):
    """The actions raised at one meeting. ``owners`` (a list, fetched once) are the
    organisations an action may belong to: no row costs a query of its own, to show or to check."""

    def __init__(self, *args, owners: list[Organisation] | None = None, **kwargs):
        kwargs.setdefault("queryset", Action.objects.select_related("owner").order_by("pk"))
        self._owners = owners or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owners": self._owners}


ActionInlineFormSet = inlineformset_factory(
    Meeting,
    Action,
    form=ActionForm,
    formset=ActionFormSet,
    fk_name="raised_at",
    extra=2,
    can_delete=True,
    # A forged TOTAL_FORMS of a million would otherwise build and render 2,000 forms.
    max_num=MAX_ACTIONS_PER_MEETING,
    absolute_max=MAX_ACTIONS_PER_MEETING,
    validate_max=True,
)
