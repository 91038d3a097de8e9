"""Forms of the skills and assets exchange: an offer or need, and accepting a match. GOV.UK
Design System components (crispy-forms-gds), no JavaScript needed; plain-English messages that
say what to do. The services check everything again.
"""

from __future__ import annotations

from typing import ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from organisations.models import Organisation, TaxonomyTerm

from .models import SKILLS_TAXONOMY, ExchangeDirection, ExchangeEntry
from .services import EXCHANGE_EDITABLE_FIELDS, NOTE_MAX_LENGTH

YES, NO = "yes", "no"


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template's <form> carries the CSRF token and the buttons
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


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
