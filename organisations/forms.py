"""Forms for editors of organisation profiles (the front end, not the admin)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from core.forms import IdMultipleChoiceField
from localities.models import Locality

from .models import Organisation, ProfileRevision, TaxonomyTerm


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
