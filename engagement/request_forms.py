"""The public "Ask for support" and "Add your group" forms, and the request queue's step form."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotForm
from core.validators import (
    is_postcode,
    normalise_charity_number,
    normalise_phone,
    normalise_postcode,
    validate_charity_number,
    validate_phone,
)
from localities.models import Locality, LocalityKind

from .models import SupportRequestStatus
from .routing import locality_for_postcode_district, postcode_district


def _clean_phone(typed: str) -> str:
    """An optional phone number, normalised; raises ``ValidationError`` when it is not one."""
    phone = normalise_phone(typed)
    if phone:
        validate_phone(phone)
    return phone


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Locality) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class SupportRequestForm(HoneypotForm):
    """What a community group needs, where it is (a postcode, or a place from the list) and how
    to reach the person asking, with their consent. ``clean`` gives ``locality`` (the place)
    and ``postcode_district``; only the district of a postcode is kept."""

    group_name = forms.CharField(
        label=_("Name of your group"),
        max_length=200,
        error_messages={"required": _("Enter the name of your group")},
    )
    need = forms.CharField(
        label=_("What does your group need help with?"),
        help_text=_(
            "For example, finding funding, recruiting volunteers, a room to meet in, or safeguarding training."
        ),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Say what your group needs help with"),
            "max_length": _("What your group needs must be 3,000 characters or fewer"),
        },
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("Where your group meets, for example LS14 6JB. The first half, such as LS14, is enough."),
        max_length=10,
        required=False,
    )
    area = PlaceChoiceField(
        label=_("Or choose your area"),
        help_text=_("If you do not know the postcode, or it is not found."),
        queryset=Locality.objects.none(),
        required=False,
        empty_label=_("Choose an area"),
    )
    contact_name = forms.CharField(
        label=_("Your name"), max_length=120, error_messages={"required": _("Enter your name")}
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We will send your reference here."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.org"),
        },
    )
    contact_phone = forms.CharField(label=_("Your phone number (optional)"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that my name, email address and phone number can be shared with the anchor "
            "organisation for my area, so that it can contact me about this request"
        ),
        error_messages={"required": _("Agree to sharing your contact details, so the anchor can contact you")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            Locality.objects.current().exclude(kind=LocalityKind.NEIGHBOURHOOD).in_tree_order()
        )
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(Field.text("group_name"), Field.textarea("need"), legend=_("Your group"), legend_size=Size.MEDIUM),
            *self.place_and_contact_fieldsets(),
        )

    @staticmethod
    def place_and_contact_fieldsets(*between: Fieldset) -> list[Fieldset]:
        """The "where your group is" and "how to contact you" fieldsets, with ``between``
        (e.g. the group's public details) between them."""
        return [
            Fieldset(
                Field.text("postcode", field_width=10),
                Field.select("area"),
                legend=_("Where your group is"),
                legend_size=Size.MEDIUM,
            ),
            *between,
            Fieldset(
                Field.text("contact_name"),
                Field.text("contact_email"),
                Field.text("contact_phone", field_width=20),
                Field.checkbox("consent"),
                legend=_("How to contact you"),
                legend_size=Size.MEDIUM,
            ),
        ]

    def clean_contact_phone(self) -> str:
        return _clean_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        cleaned = super().clean()
        typed = (cleaned.get("postcode") or "").strip()
        district = postcode_district(typed) if typed else ""
        cleaned["postcode_district"] = district
        if cleaned.get("area"):
            cleaned["locality"] = cleaned["area"]
        elif typed and not district:
            self.add_error("postcode", _("Enter a real postcode, like LS14 6JB, or just its first half, like LS14"))
        elif district:
            cleaned["locality"] = locality_for_postcode_district(district)
            if cleaned["locality"] is None:
                self.add_error(
                    "area", _("We could not find %(district)s in our areas: choose your area") % {"district": district}
                )
        elif "area" not in self.errors:
            self.add_error("postcode", _("Enter your postcode, or choose your area"))
        return cleaned


class AddGroupForm(SupportRequestForm):
    """A new group for the directory: its public details (name, what it does, where, optional
    public email, phone and charity number) and how to reach the person sending it, with their
    consent. Where it is works as in "Ask for support" (``locality``, ``postcode_district``);
    ``group_postcode`` is the full postcode when one was typed, else ``""``.

    ``confirmed`` (a hidden field) is set once the sender has seen the possible duplicates and
    chosen to send anyway: the second step, without JavaScript."""

    need = None
    group_name = forms.CharField(
        label=_("Name of your group"),
        max_length=200,
        error_messages={"required": _("Enter the name of your group")},
    )
    description = forms.CharField(
        label=_("What does your group do?"),
        help_text=_("In plain words, for people who might join or use it. This will be shown in the directory."),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Say what your group does"),
            "max_length": _("What your group does must be 3,000 characters or fewer"),
        },
    )
    group_email = forms.EmailField(
        label=_("Your group’s public email address (optional)"),
        help_text=_("Shown in the directory, so use the group’s address rather than a personal one."),
        required=False,
        error_messages={"invalid": _("Enter the group’s email address like name@example.org")},
    )
    group_phone = forms.CharField(
        label=_("Your group’s public phone number (optional)"),
        help_text=_("Shown in the directory."),
        max_length=30,
        required=False,
    )
    charity_number = forms.CharField(
        label=_("Registered charity number (optional)"),
        help_text=_("Only if your group is a registered charity, for example 1234567."),
        max_length=12,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name, email address and phone number can be shared with the anchor "
            "organisation for my area and council officers, so that they can check the group’s "
            "details with me"
        ),
        error_messages={"required": _("Agree to sharing your contact details, so the anchor can check with you")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = [
        "group_name",
        "description",
        "postcode",
        "area",
        "group_email",
        "group_phone",
        "charity_number",
        "contact_name",
        "contact_email",
        "contact_phone",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].help_text = _("Only the anchor and council officers see this.")
        self.helper.layout = Layout(
            Fieldset(
                Field.text("group_name"), Field.textarea("description"), legend=_("Your group"), legend_size=Size.MEDIUM
            ),
            *self.place_and_contact_fieldsets(
                Fieldset(
                    Field.text("group_email"),
                    Field.text("group_phone", field_width=20),
                    Field.text("charity_number", field_width=10),
                    legend=_("Your group’s public contact details"),
                    legend_size=Size.MEDIUM,
                )
            ),
        )

    def clean_group_phone(self) -> str:
        return _clean_phone(self.cleaned_data["group_phone"])

    def clean_charity_number(self) -> str:
        number = normalise_charity_number(self.cleaned_data["charity_number"])
        if number:
            validate_charity_number(number)
        return number

    def clean(self):
        cleaned = super().clean()
        typed = (cleaned.get("postcode") or "").strip()
        cleaned["group_postcode"] = normalise_postcode(typed) if is_postcode(typed) else ""
        return cleaned


class SupportRequestStepForm(forms.Form):
    """One step on for a request: the status it moves to, and (to close it) the outcome. It
    carries the status the page was loaded with, so a step someone else took meanwhile is
    refused (``support_request_advance``)."""

    # From the button pressed: one form, a button per next step.
    to_status = forms.ChoiceField(choices=SupportRequestStatus.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=SupportRequestStatus.choices, widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("What came of the request. Needed to close it."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
