"""Forms of the network's activity: an entry of the engagement log; the skills and assets
exchange's offer or need, and accepting a match. GOV.UK Design System components
(crispy-forms-gds), no JavaScript needed; plain-English messages that say what to do. The
services check everything again.
"""

from __future__ import annotations

from typing import ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from core.forms import GovukDateField, IdMultipleChoiceField, exception_messages
from organisations.models import Organisation, TaxonomyTerm

from .models import (
    SKILLS_TAXONOMY,
    Engagement,
    EngagementKind,
    ExchangeDirection,
    ExchangeEntry,
    QuietNote,
    QuietReason,
    SupportKind,
    SupportRelationship,
)
from .services import (
    ENGAGEMENT_EDITABLE_FIELDS,
    EXCHANGE_EDITABLE_FIELDS,
    NOTE_MAX_LENGTH,
    RECORDED_KINDS,
    RELATIONSHIP_EDITABLE_FIELDS,
)

YES, NO = "yes", "no"


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template's <form> carries the CSRF token and the buttons
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def show_refusal(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal of what ``form`` sent, shown on it: each field's message at its
    field (when the form has it), the rest at the top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exception_messages(exc, default=_("You cannot record this here.")))


def _anchor_field(form: forms.ModelForm, anchors) -> None:
    """A new record's ``anchor`` field: one of ``anchors`` (an organisation queryset, None for
    none), by name, the only one chosen already; a saved record keeps its anchor (no field)."""
    if form.instance.pk:
        del form.fields["anchor"]
        return
    field = form.fields["anchor"]
    field.queryset = (anchors if anchors is not None else Organisation.objects.none()).order_by("name")
    field.empty_label = _("Choose an organisation")
    if not form.is_bound:
        only = list(field.queryset[:2])
        if len(only) == 1:
            form.initial["anchor"] = only[0].pk


def _short_error(name: str, limit: int) -> dict[str, str]:
    return {"max_length": _("Keep the %(name)s to %(limit)s characters or fewer") % {"name": name, "limit": limit}}


class ExchangeEntryForm(VersionedFormMixin, forms.ModelForm):
    """An offer or need. A new one names its organisation (among ``organisations``, those the
    person speaks for); a saved one keeps it, carries its version (``core.concurrency``) and
    says whether it is still current."""

    still_current = forms.TypedChoiceField(
        label=_("Is this still current?"),
        choices=[(YES, _("Yes")), (NO, _("No, it is no longer needed or offered, or the need has been met"))],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether this is still current"),
            "invalid_choice": _("Choose whether this is still current"),
        },
    )

    class Meta:
        model = ExchangeEntry
        fields = ["organisation", *EXCHANGE_EDITABLE_FIELDS]
        labels: ClassVar = {
            "organisation": _("Organisation"),
            "direction": _("Do you offer this or need it?"),
            "term": _("Skill or asset"),
            "description": _("Short description"),
        }
        help_texts: ClassVar = {"organisation": "", "term": ""}
        widgets: ClassVar = {
            "direction": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages: ClassVar = {
            "organisation": {
                "required": _("Choose the organisation"),
                "invalid_choice": _("Choose an organisation from the list"),
            },
            "direction": {
                "required": _("Choose whether you offer it or need it"),
                "invalid_choice": _("Choose whether you offer it or need it"),
            },
            "term": {
                "required": _("Choose a skill or asset"),
                "invalid_choice": _("Choose a skill or asset from the list"),
            },
            "description": {
                "required": _("Describe what you offer or need"),
                **_short_error(_("description"), 300),
            },
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.instance
        self.fields["direction"].choices = ExchangeDirection.choices
        term_field = self.fields["term"]
        term_field.queryset = TaxonomyTerm.objects.in_taxonomy(SKILLS_TAXONOMY).order_by("name")
        term_field.empty_label = _("Choose a skill or asset")
        self.fields["description"].widget.attrs["maxlength"] = 300
        details = [
            Field.radios("direction", legend_size=Size.SMALL, inline=True),
            Field.select("term"),
            Field.textarea("description"),
        ]
        if entry.pk:
            del self.fields["organisation"]
            if not self.is_bound:
                self.initial["still_current"] = YES if entry.is_current else NO
            self.helper = _helper(*details, Field.radios("still_current", legend_size=Size.SMALL))
        else:
            del self.fields["still_current"]
            organisation_field = self.fields["organisation"]
            organisation_field.queryset = (
                organisations if organisations is not None else Organisation.objects.none()
            ).order_by("name")
            organisation_field.empty_label = _("Choose an organisation")
            self.helper = _helper(Field.select("organisation"), *details)

    def values(self) -> dict:
        """What the services take: the editable fields."""
        return {name: self.cleaned_data[name] for name in EXCHANGE_EDITABLE_FIELDS}


class ExchangeAcceptForm(forms.Form):
    """Accepting a match: which of the person's organisations meets the need (``offerers``,
    those with a current offer of it), and an optional note for the engagement log."""

    offerer = forms.ChoiceField(
        label=_("Which of your organisations will meet it?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation that will meet the need"),
            "invalid_choice": _("Choose one of your organisations from the list"),
        },
    )
    note = forms.CharField(
        label=_("Note for the engagement log (optional)"),
        help_text=_("For example, when you will be in touch. The organisation in need does not see it here."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        error_messages=_short_error(_("note"), NOTE_MAX_LENGTH),
    )

    def __init__(self, *args, offerers: list[Organisation], **kwargs):
        """``offerers``: the organisations, already fetched, the person may choose from."""
        super().__init__(*args, **kwargs)
        self.offerers = {str(organisation.pk): organisation for organisation in offerers}
        self.fields["offerer"].choices = [(pk, organisation.name) for pk, organisation in self.offerers.items()]
        if not self.is_bound and len(offerers) == 1:
            self.initial["offerer"] = str(offerers[0].pk)
        self.helper = _helper(Field.radios("offerer", legend_size=Size.SMALL), Field.textarea("note"))

    def clean_offerer(self) -> Organisation:
        return self.offerers[self.cleaned_data["offerer"]]


# ------------------------------------------------------------------------------------------
# The engagement log
# ------------------------------------------------------------------------------------------
def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class EngagementForm(VersionedFormMixin, forms.ModelForm):
    """An entry of an anchor's engagement log. A new one names its anchor (among ``anchors``,
    preselected when there is one); a saved one keeps it and carries its version
    (``core.concurrency``). ``organisations`` are the groups the person may record against
    (``outreach_groups``), and a saved entry's own stay on offer; ``staff`` the people who may
    be named. The officers' notes are a field for officers only (``officer``)."""

    occurred_on = GovukDateField(
        label=_("Date of the contact"),
        required=True,
        required_message=_("Enter the date of the contact"),
    )
    follow_up_on = GovukDateField(
        label=_("Follow up by (optional)"),
        help_text=_("The entry goes on your follow-up list for that day. For example, 27 3 2027"),
    )

    class Meta:
        model = Engagement
        fields = ["anchor", "occurred_on", "kind", "organisations", "staff", "outcome", "follow_up_on", "officer_notes"]
        labels: ClassVar = {
            "anchor": _("Whose log is this for?"),
            "kind": _("Kind of contact"),
            "organisations": _("Organisations involved"),
            "staff": _("Who from the anchor (optional)"),
            "outcome": _("Outcome (optional)"),
            "officer_notes": _("Notes for officers (optional)"),
        }
        help_texts: ClassVar = {
            "anchor": "",
            "organisations": _(
                "Choose every group that took part: a workshop twelve groups attended counts once for each."
            ),
            "staff": "",
            "outcome": _("A short sentence, for example “Bid drafted; they will send it by Friday”."),
            "officer_notes": _("Only officers see these notes: never the anchor, nor the groups."),
        }
        field_classes: ClassVar = {"organisations": IdMultipleChoiceField}
        widgets: ClassVar = {
            "organisations": forms.CheckboxSelectMultiple,
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "officer_notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages: ClassVar = {
            "anchor": {
                "required": _("Choose whose log this is for"),
                "invalid_choice": _("Choose an organisation from the list"),
            },
            "kind": {
                "required": _("Choose the kind of contact"),
                "invalid_choice": _("Choose the kind of contact from the list"),
            },
            "organisations": {
                "required": _("Choose at least one organisation"),
                "invalid_choice": _("Choose organisations from the list"),
                "invalid_pk_value": _("Choose organisations from the list"),
            },
            "staff": {"invalid_choice": _("Choose someone from the list")},
            "outcome": _short_error(_("outcome"), 300),
        }

    def __init__(self, *args, anchors=None, organisations=None, staff=None, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.instance
        kinds = list(RECORDED_KINDS)
        if entry.pk and entry.kind not in kinds:
            kinds.append(EngagementKind(entry.kind))
        self.fields["kind"].choices = [("", _("Choose the kind of contact")), *((k.value, k.label) for k in kinds)]

        groups = organisations if organisations is not None else Organisation.objects.none()
        if entry.pk:
            groups = Organisation.objects.filter(
                Q(pk__in=groups.values("pk")) | Q(pk__in=entry.organisations.values("pk"))
            )
        self.fields["organisations"].queryset = groups.order_by("name")

        people = staff if staff is not None else get_user_model().objects.none()
        if entry.pk and entry.staff_id:
            people = get_user_model().objects.filter(Q(pk__in=people.values("pk")) | Q(pk=entry.staff_id))
        staff_field = self.fields["staff"]
        staff_field.queryset = people.order_by("first_name", "last_name", "username")
        staff_field.label_from_instance = person_name
        staff_field.empty_label = _("Nobody in particular")

        if not officer:
            del self.fields["officer_notes"]
        _anchor_field(self, anchors)
        self.helper = _helper(*self._layout())

    def _layout(self) -> list:
        parts = [] if "anchor" not in self.fields else [Field.select("anchor")]
        parts += [
            Field("occurred_on"),
            Field.select("kind"),
            Field.checkboxes("organisations", legend_size=Size.SMALL, small=True),
            Field.select("staff"),
            Field.textarea("outcome", rows=3),
            Field("follow_up_on"),
        ]
        if "officer_notes" in self.fields:
            parts.append(Field.textarea("officer_notes", rows=4))
        return parts

    def values(self) -> dict:
        """What the services take: the editable fields."""
        return {name: self.cleaned_data[name] for name in ENGAGEMENT_EDITABLE_FIELDS}


class SupportRelationshipForm(VersionedFormMixin, forms.ModelForm):
    """A support relationship: which group an anchor supports, how, and between which dates.
    A new one names its anchor (among ``anchors``, preselected when there is one); a saved one
    keeps it and carries its version (``core.concurrency``). ``groups`` are those the person
    works with (``outreach_groups``); a saved relationship's own group stays on offer."""

    started_on = GovukDateField(
        label=_("Support started on"), required=True, required_message=_("Enter the date the support started")
    )
    ended_on = GovukDateField(
        label=_("Support ended on (optional)"),
        help_text=_("The last day of support. Leave it empty while the support goes on. For example, 31 3 2027"),
    )

    class Meta:
        model = SupportRelationship
        fields = ["anchor", *RELATIONSHIP_EDITABLE_FIELDS]
        labels: ClassVar = {
            "anchor": _("Which anchor gives the support?"),
            "group": _("Group supported"),
            "kind": _("Kind of support"),
            "end_reason": _("Why it ended"),
        }
        help_texts: ClassVar = {
            "anchor": "",
            "group": "",
            "end_reason": _("Needed once there is an end date: the council’s monitoring asks."),
        }
        error_messages: ClassVar = {
            "anchor": {
                "required": _("Choose the anchor giving the support"),
                "invalid_choice": _("Choose an organisation from the list"),
            },
            "group": {
                "required": _("Choose the group supported"),
                "invalid_choice": _("Choose a group from the list"),
            },
            "kind": {
                "required": _("Choose the kind of support"),
                "invalid_choice": _("Choose the kind of support from the list"),
            },
            "end_reason": _short_error(_("reason"), 300),
        }

    def __init__(self, *args, anchors=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        relationship = self.instance
        offered = groups if groups is not None else Organisation.objects.none()
        if relationship.pk:
            offered = Organisation.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk=relationship.group_id))
        group_field = self.fields["group"]
        group_field.queryset = offered.order_by("name")
        group_field.empty_label = _("Choose a group")
        self.fields["kind"].choices = [("", _("Choose the kind of support")), *SupportKind.choices]
        parts = [
            Field.select("group"),
            Field.select("kind"),
            Field("started_on"),
            Field("ended_on"),
            Field.text("end_reason"),
        ]
        _anchor_field(self, anchors)
        if "anchor" in self.fields:
            parts.insert(0, Field.select("anchor"))
        self.helper = _helper(*parts)

    def values(self) -> dict:
        """What the services take: the editable fields."""
        return {name: self.cleaned_data[name] for name in RELATIONSHIP_EDITABLE_FIELDS}


class QuietNoteForm(forms.ModelForm):
    """Why a group is quiet: a reason from the coded list and an optional short note."""

    class Meta:
        model = QuietNote
        fields = ["reason", "note"]
        labels: ClassVar = {"reason": _("Why is the group quiet?"), "note": _("Note (optional)")}
        help_texts: ClassVar = {"note": _("For example, “Committee stepped down in March; hall lets have stopped”.")}
        widgets: ClassVar = {"reason": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}
        error_messages: ClassVar = {
            "reason": {
                "required": _("Choose why the group is quiet"),
                "invalid_choice": _("Choose why the group is quiet"),
            },
            "note": _short_error(_("note"), 300),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = QuietReason.choices
        self.helper = _helper(Field.radios("reason", legend_size=Size.SMALL), Field.textarea("note", rows=3))
