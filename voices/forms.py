"""The public "Tell us what matters here" form, the anchor's form to record a voice for a
resident, and the small forms of a voice's page (themes, status, merge, citations)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from core.forms import HoneypotForm, IdMultipleChoiceField, is_storable_id
from core.validators import normalise_phone, validate_phone
from localities.models import Locality
from organisations.models import TaxonomyTerm

from .models import HeardVia, Voice, VoiceStatus

WHAT_MATTERS_ERRORS = {
    "required": _("Say what matters to you here"),
    "max_length": _("What matters must be 3,000 characters or fewer"),
}


class IdChoiceField(forms.ModelChoiceField):
    """A model choice answering "choose from the list" for an id no database can hold
    (``core.forms.is_storable_id``), instead of a server error."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, models.Model) and not is_storable_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def theme_terms():
    """The plan items' theme list (``plans.forms``'s choices): the service terms, by name."""
    return TaxonomyTerm.objects.services().order_by("name")


class ContactFieldsMixin(forms.Form):
    """Optional contact details with the resident's explicit consent. ``clean`` refuses contact
    details given without a reason to keep them, and "contact me back" without a way to."""

    contact_name = forms.CharField(label=_("Name (optional)"), max_length=120, required=False)
    contact_email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.org")},
    )
    contact_phone = forms.CharField(label=_("Phone number (optional)"), max_length=30, required=False)
    may_contact = forms.BooleanField(
        label=_("You may contact me about this, and tell me what happens to it"), required=False
    )
    may_quote = forms.BooleanField(
        label=_("You may quote what I said, without my name, in reports to the council and councillors"),
        required=False,
    )

    def clean_contact_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["contact_phone"])
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        has_contact = any(cleaned.get(name) for name in ("contact_name", "contact_email", "contact_phone"))
        if cleaned.get("may_contact") and not (cleaned.get("contact_email") or cleaned.get("contact_phone")):
            self.add_error("contact_email", _("Enter an email address or phone number so we can contact you"))
        elif has_contact and not cleaned.get("may_contact"):
            # Data minimisation: contact details nobody may use are not kept.
            self.add_error("may_contact", _("Tick that we may contact you, or leave your name, email and phone empty"))
        return cleaned

    def contact_fieldset(self, legend) -> Fieldset:
        return Fieldset(
            Field.text("contact_name"),
            Field.text("contact_email"),
            Field.text("contact_phone", field_width=20),
            Field.checkbox("may_contact"),
            Field.checkbox("may_quote"),
            legend=legend,
            legend_size=Size.MEDIUM,
        )


class TellUsForm(HoneypotForm, ContactFieldsMixin):
    """What matters to a resident in a place, an optional theme, and optional contact details
    with consent. The place comes from the page's address."""

    what_matters = forms.CharField(
        label=_("What matters to you here?"),
        help_text=_("For example, something you would like to see, something that worries you, or an idea."),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=WHAT_MATTERS_ERRORS,
    )
    theme = IdChoiceField(
        label=_("What is it about? (optional)"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        empty_label=_("Choose a theme"),
        error_messages={"invalid_choice": _("Choose a theme from the list")},
    )

    field_order = [
        "what_matters",
        "theme",
        "contact_name",
        "contact_email",
        "contact_phone",
        "may_contact",
        "may_quote",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = theme_terms()
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("what_matters"),
            Field.select("theme"),
            self.contact_fieldset(_("If you would like to hear back (optional)")),
        )


class RecordVoiceForm(ContactFieldsMixin):
    """A voice an anchor heard from a resident: where, what, how it was heard, its themes, and the
    resident's contact details and consent as they gave them."""

    locality = IdChoiceField(
        label=_("Which place is it about?"),
        queryset=Locality.objects.none(),
        empty_label=_("Choose a place"),
        error_messages={
            "required": _("Choose the place it is about"),
            "invalid_choice": _("Choose a place from the list"),
        },
    )
    what_matters = forms.CharField(
        label=_("What matters to them?"),
        help_text=_("In their words, as far as you can."),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Say what matters to the resident"),
            "max_length": _("What matters must be 3,000 characters or fewer"),
        },
    )
    heard_via = forms.ChoiceField(
        label=_("How did you hear it?"),
        choices=[(value, label) for value, label in HeardVia.choices if value != HeardVia.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you heard it")},
    )
    themes = IdMultipleChoiceField(
        label=_("Themes (optional)"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose themes from the list")},
    )

    field_order = ["locality", "what_matters", "heard_via", "themes"]

    def __init__(self, *args, localities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities if localities is not None else Locality.objects.none()
        self.fields["themes"].queryset = theme_terms()
        self.fields["contact_name"].label = _("Their name (optional)")
        self.fields["contact_email"].label = _("Their email address (optional)")
        self.fields["contact_phone"].label = _("Their phone number (optional)")
        self.fields["may_contact"].label = _("They agreed that we may contact them back about it")
        self.fields["may_quote"].label = _("They agreed that we may quote what they said, without their name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("locality"),
            Field.textarea("what_matters"),
            Field.radios("heard_via", legend_size=Size.SMALL, small=True),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            self.contact_fieldset(_("Their contact details and consent")),
        )


class VersionedVoiceForm(VersionedFormMixin, forms.Form):
    """A form on a voice's page: carries the voice's version (``core.concurrency``), rendered
    inside the page's own ``<form>`` (which adds the ``action``) by ``layout_fields``."""

    layout_fields: tuple = ()

    def __init__(self, *args, voice: Voice, **kwargs):
        self.instance = voice
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(*self.layout_fields)


class TagForm(VersionedVoiceForm):
    layout_fields = (Field.checkboxes("themes", legend_size=Size.SMALL, small=True),)
    themes = IdMultipleChoiceField(
        label=_("Themes"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose themes from the list")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = theme_terms()


class MoveForm(VersionedVoiceForm):
    layout_fields = (Field.radios("to_status", legend_size=Size.SMALL, small=True), Field.textarea("reason"))
    to_status = forms.ChoiceField(
        label=_("Move it to"),
        choices=VoiceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose where it moves to"),
            "invalid_choice": _("Choose one of the steps shown"),
        },
    )
    reason = forms.CharField(
        label=_("Why it is not taken forward"),
        help_text=_("Needed only when it is not taken forward. The resident may be told this."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s.value, s.label) for s in self.instance.next_statuses()]


class MergeForm(VersionedVoiceForm):
    layout_fields = (Field.select("into"),)
    into = IdChoiceField(
        label=_("Merge it into"),
        queryset=Voice.objects.none(),
        empty_label=_("Choose the voice it repeats"),
        error_messages={
            "required": _("Choose the voice it repeats"),
            "invalid_choice": _("Choose a voice from the list"),
        },
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates if candidates is not None else Voice.objects.none()
        self.fields["into"].label_from_instance = lambda voice: f"{voice.created_at:%-d %b %Y}: {voice}"


class CiteForm(VersionedVoiceForm):
    layout_fields = (Field.checkboxes("items", legend_size=Size.SMALL, small=True),)
    items = IdMultipleChoiceField(
        label=_("Plan items it is evidence for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose plan items from the list")},
    )

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: f"{item.plan.title}: {item.title}"
