"""The front-end plan editor: one page with the plan, its items (in their four sections) and its
references, laid out with GOV.UK Design System components (crispy-forms-gds).

Works without JavaScript: each section always offers one blank item to fill in; an item's place
is a number typed in its "Number" box; "Remove this item" is a checkbox. Messages are plain
English and say what to do. On an error, everything typed is shown again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.db.models import F, Q
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.concurrency import VERSION_FIELD, VersionedFormMixin
from core.forms import GovukDateField, IdMultipleChoiceField, ListedRowsFormSetMixin, UnchangedRowMixin
from localities.models import Locality
from organisations.models import Network, Organisation, TaxonomyTerm

from .models import (
    COMMENT_MAX_LENGTH,
    FIRST_YEAR,
    LAST_YEAR,
    METHOD_FIELDS,
    SECTION_LABELS,
    EvidenceMethod,
    LocalityPlan,
    PlanItem,
    PlanItemKind,
    PlanItemProposal,
    PlanReference,
    PlanReferenceKind,
    owner_roles_covering,
)

# More than this in one plan is a forged form, not a plan.
MAX_ITEMS_PER_PLAN = 400
MAX_REFERENCES_PER_PLAN = 200

# Items moving place are parked above this number first, so that no two items of a section
# ever share a number, even for a moment (the database checks each row as it is written).
PARKING_OFFSET = 1_000_000


def _helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the page wraps the plan, its items and references in one form
    helper.disable_csrf = True
    helper.layout = layout
    return helper


# What an item's section and title say when missing or wrong: the editor's and a proposal's.
_SECTION_MESSAGE = _("Choose the section: priority, concern, opportunity or connection")
ITEM_ERROR_MESSAGES = {
    "kind": {"required": _SECTION_MESSAGE, "invalid_choice": _SECTION_MESSAGE},
    "title": {"required": _("Enter a title for the item")},
}


class YearField(forms.IntegerField):
    """A four-digit year between FIRST_YEAR and LAST_YEAR, with messages that say what to type."""

    def __init__(self, *, label, example: int, **kwargs):
        super().__init__(
            label=label,
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR,
            error_messages={
                "required": _("Enter the %(label)s, for example %(example)s")
                % {"label": str(label).lower(), "example": example},
                "invalid": _("Enter the %(label)s as 4 digits, for example %(example)s")
                % {"label": str(label).lower(), "example": example},
                "min_value": _("Enter a year from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                "max_value": _("Enter a year from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            },
            widget=forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-input--width-4",
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
            **kwargs,
        )


class EvidenceDateField(GovukDateField):
    """An optional GOV.UK date input for when something was heard."""


class PlanForm(VersionedFormMixin, forms.ModelForm):
    """A plan's own details. The area and owner are chosen while the plan is a draft or shared;
    once published they are its history and are not offered.

    For a saved plan the form carries, hidden, the status the page showed (``expected_status``)
    and the plan's version (``loaded_version``, ``core.concurrency``): ``plans.services.plan_update``
    refuses the save if either has changed since. Neither is a model field, and ``values()``
    leaves them out."""

    period_start = YearField(label=_("First year"), example=2025)
    period_end = YearField(
        label=_("Last year"),
        example=2028,
        help_text=_("The same as the first year for a one-year plan."),
    )

    class Meta:
        model = LocalityPlan
        fields = ["title", "locality", "owner", "period_start", "period_end", "summary"]
        labels: ClassVar = {
            "title": _("Title"),
            "locality": _("Area the plan covers"),
            "owner": _("Anchor organisation writing the plan"),
            "summary": _("Summary"),
        }
        help_texts: ClassVar = {
            "title": _("For example: Batley and Spen locality plan"),
            "summary": _("A few sentences for residents: what the plan is about and who you spoke to."),
            "locality": "",
            "owner": "",
        }
        error_messages: ClassVar = {
            "title": {"required": _("Enter a title for the plan")},
            "locality": {
                "required": _("Choose the area the plan covers"),
                "invalid_choice": _("Choose an area from the list"),
            },
            "owner": {
                "required": _("Choose the anchor organisation writing the plan"),
                "invalid_choice": _("Choose an organisation from the list"),
            },
        }

    def __init__(self, *args, localities=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        fixed_place = plan.pk is not None and not plan.may_be_published
        if fixed_place:
            del self.fields["locality"]
            del self.fields["owner"]
        else:
            self.fields["locality"].queryset = (
                localities if localities is not None else Locality.objects.none()
            ).in_tree_order()
            self.fields["locality"].label_from_instance = lambda place: (
                f"{place.name} ({place.get_kind_display().lower()})"
            )
            self.fields["locality"].empty_label = _("Choose an area")
            self.fields["owner"].queryset = (owners if owners is not None else Organisation.objects.none()).order_by(
                "name"
            )
            self.fields["owner"].empty_label = _("Choose an organisation")
            owner_choices = list(self.fields["owner"].queryset[:2])
            if len(owner_choices) == 1 and not self.initial.get("owner"):
                self.initial["owner"] = owner_choices[0].pk
        if plan.pk is not None:
            self.fields["expected_status"] = forms.CharField(widget=forms.HiddenInput, initial=plan.status)
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        layout = [Field.text("title", label_size=Size.SMALL)]
        if not fixed_place:
            layout += [Field.select("locality"), Field.select("owner")]
        layout += [
            Fieldset(
                Field.text("period_start", field_width=Fixed.FOUR),
                Field.text("period_end", field_width=Fixed.FOUR),
                legend=_("Years the plan covers"),
                legend_size=Size.SMALL,
            ),
            Field.textarea("summary", rows=5),
        ]
        self.helper = _helper(Layout(*layout))

    def values(self) -> dict:
        """The plan's own fields as cleaned, for ``plan_create`` and ``plan_update``."""
        return {
            name: value for name, value in self.cleaned_data.items() if name not in ("expected_status", VERSION_FIELD)
        }


class PlanItemForm(UnchangedRowMixin, forms.ModelForm):
    """One priority, concern, opportunity or connection, with the evidence behind it."""

    order = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=PARKING_OFFSET - 1,
        help_text=_("Its place in the section: 1 comes first. Leave empty to put it last."),
        error_messages={
            "invalid": _("Enter the item's number in its section, such as 1, 2 or 3"),
            "min_value": _("Number items from 1"),
            "max_value": _("Enter a smaller number"),
        },
    )
    methods = forms.MultipleChoiceField(
        label=_("How did you hear it?"),
        choices=EvidenceMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose how you heard it from the list")},
    )
    heard_from = EvidenceDateField(label=_("Heard from"))
    heard_to = EvidenceDateField(label=_("Heard until"))

    class Meta:
        model = PlanItem
        fields = [
            "kind",
            "title",
            "detail",
            "themes",
            "organisations",
            "people_heard",
            "heard_other",
            "heard_from",
            "heard_to",
        ]
        labels: ClassVar = {
            "kind": _("Section"),
            "title": _("Title"),
            "detail": _("Detail"),
            "themes": _("Themes"),
            "organisations": _("Organisations named"),
            "people_heard": _("How many people said this?"),
            "heard_other": _("Another way you heard it (optional)"),
        }
        help_texts: ClassVar = {
            "people_heard": _("Roughly. Leave empty if you do not know."),
            "themes": "",
            "organisations": _(
                "Published organisations in the district or the anchor network. A connection usually names one."
            ),
        }
        error_messages: ClassVar = {
            **ITEM_ERROR_MESSAGES,
            "people_heard": {
                "invalid": _("Enter how many people as a whole number, such as 25"),
                "min_value": _("Enter how many people as a whole number, such as 25"),
            },
            "themes": {"invalid_choice": _("Choose themes from the list")},
            "organisations": {"invalid_choice": _("Choose organisations from the list")},
        }
        field_classes: ClassVar = {"themes": IdMultipleChoiceField, "organisations": IdMultipleChoiceField}
        widgets: ClassVar = {
            "themes": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "detail": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, theme_choices=None, organisation_choices=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlanItemKind.choices
        self.fields["people_heard"].widget = forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        )
        self.fields["order"].widget = forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-3",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        )
        self.fields["heard_other"].widget.attrs["class"] = "govuk-!-width-two-thirds"
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        # Choices are read once for the whole formset (see PlanItemFormSet): no query per item.
        if theme_choices is not None:
            self.fields["themes"].choices = theme_choices
        if organisations is not None:
            self.fields["organisations"].queryset = organisations
        if organisation_choices is not None:
            self.fields["organisations"].choices = organisation_choices
        if self.instance.pk:
            self.initial.setdefault("order", self.instance.order)
            self.initial.setdefault("methods", self.instance.methods)
        self.helper = _helper(
            Layout(
                Field.select("kind"),
                Field.text("order", field_width=Fixed.THREE),
                Field.text("title"),
                Field.textarea("detail", rows=4),
                Field.checkboxes("themes", small=True),
                Field.checkboxes("organisations", small=True),
                Fieldset(
                    Field.text("people_heard", field_width=Fixed.FIVE),
                    Field.checkboxes("methods", small=True),
                    Field.text("heard_other", field_width=Fluid.TWO_THIRDS),
                    Field("heard_from"),
                    Field("heard_to"),
                    legend=_("What we heard"),
                    legend_size=Size.SMALL,
                ),
            )
        )

    # What a new row offers before anyone types: its section is chosen for it (the section it
    # appears in, or the one "Add another" was pressed in), so the section alone is no item.
    NOT_CONTENT = frozenset({"kind"})

    def has_changed(self) -> bool:
        """Whether this row holds anything to save. A new row whose only value is the section
        it was offered in is untouched: it is skipped, never saved as a blank item; a new row
        with anything else typed in it is validated in full (a number but no title is an error
        on that row)."""
        if self.instance.pk is not None:
            return super().has_changed()
        return any(name not in self.NOT_CONTENT for name in self.changed_data)

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("heard_from"), cleaned_data.get("heard_to")
        if start and end and end < start:
            self.add_error("heard_to", _("The end date must be the same as or after the start date"))
        return cleaned_data

    def _post_clean(self):
        methods = set(self.cleaned_data.get("methods") or [])
        for method, field_name in METHOD_FIELDS.items():
            setattr(self.instance, field_name, method in methods)
        super()._post_clean()


class PlanItemFormSet(ListedRowsFormSetMixin, BaseInlineFormSet):
    """A plan's items. Numbers within a section must not repeat; gaps are closed on saving
    (1, 2, 5 becomes 1, 2, 3) and an item without a number goes last."""

    def __init__(self, *args, **kwargs):
        # Each saved item's ticked themes and organisations, read once for all the items.
        kwargs.setdefault("queryset", PlanItem.objects.prefetch_related("themes", "organisations"))
        super().__init__(*args, **kwargs)
        plan = self.instance
        self._theme_choices = [(term.pk, term.name) for term in TaxonomyTerm.objects.services().order_by("name")]
        self._organisations = self._organisation_queryset(plan)
        self._organisation_choices = [(org.pk, org.name) for org in self._organisations]

    @staticmethod
    def _organisation_queryset(plan: LocalityPlan):
        """What an item may name (issue 16: a connection reaches beyond the plan's own area):
        published organisations serving any place in the plan's district (its root locality,
        ``Locality.containing_ids``; ``OrganisationQuerySet.serving``), or in the network where
        the plan's owner anchors the plan's area (``OrganisationQuerySet.in_network``: its
        anchors and coordinator), and any the plan's items already name. Two queries to find
        the district and the networks, whatever their size; the result is a queryset."""
        if not plan.locality_id:
            return Organisation.objects.none()
        locality = plan.locality
        district_id = locality.containing_ids[-1]
        district = locality if district_id == locality.pk else Locality.objects.get(pk=district_id)
        public = Organisation.objects.public()
        wanted = Q(pk__in=public.serving(district).values("pk"))
        networks = Network.objects.filter(
            anchor_roles__in=owner_roles_covering(locality).filter(organisation_id=plan.owner_id)
        ).distinct()
        for network in networks:
            wanted |= Q(pk__in=public.in_network(network).values("pk"))
        if plan.pk:
            wanted |= Q(pk__in=Organisation.objects.filter(plan_items__plan=plan).values("pk"))
        return Organisation.objects.filter(wanted).order_by("name")

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs.update(
            theme_choices=self._theme_choices,
            organisation_choices=self._organisation_choices,
            organisations=self._organisations,
        )
        return kwargs

    def kept_forms(self) -> list[PlanItemForm]:
        """Saved items not being removed, and new items that were filled in, in page order."""
        return [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk is not None or form.has_changed())
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        by_place: dict[tuple[str, int], list[PlanItemForm]] = defaultdict(list)
        for form in self.kept_forms():
            order = form.cleaned_data.get("order")
            if order is not None:
                by_place[(form.cleaned_data["kind"], order)].append(form)
        for (kind, order), forms_at in by_place.items():
            if len(forms_at) < 2:
                continue
            titles = _(" and ").join(f"“{form.cleaned_data.get('title', '')}”" for form in forms_at)
            for form in forms_at:
                form.add_error(
                    "order",
                    _("%(titles)s are both %(kind)s number %(order)s. Give each a different number")
                    % {"titles": titles, "kind": PlanItemKind(kind).label.lower(), "order": order},
                )

    def save(self, commit: bool = True) -> list[PlanItem]:
        """Remove the items marked for removal, then save the rest numbered 1, 2, 3... in each
        section. Call inside a transaction."""
        plan = self.instance
        for form in self.initial_forms:
            if self.can_delete and self._should_delete_form(form) and form.instance.pk:
                # A reference linked to a removed item stays, for the whole plan.
                PlanReference.objects.filter(item=form.instance).update(item=None)
                form.instance.delete()
        self.deleted_objects = [form.instance for form in self.deleted_forms]
        kept = self.kept_forms()
        final: dict[PlanItemForm, int] = {}
        sections: dict[str, list[tuple[int, int, PlanItemForm]]] = defaultdict(list)
        for index, form in enumerate(kept):
            requested = form.cleaned_data.get("order")
            sections[form.cleaned_data["kind"]].append((requested or PARKING_OFFSET, index, form))
        for entries in sections.values():
            for number, (_requested, _index, form) in enumerate(sorted(entries, key=lambda e: e[:2]), start=1):
                final[form] = number
        moving = [
            form.instance.pk
            for form in kept
            if form.instance.pk
            and (form.initial.get("order") != final[form] or form.instance.kind != form.initial.get("kind"))
        ]
        if moving:
            PlanItem.objects.filter(pk__in=moving).update(order=F("order") + PARKING_OFFSET)
        saved = []
        for form in kept:
            if form.instance.pk and form.instance.pk not in moving and not form.has_changed():
                continue
            item = form.save(commit=False)
            item.plan = plan
            item.order = final[form]
            item.save()
            form.save_m2m()
            saved.append(item)
        self.new_objects = [form.instance for form in kept if form not in self.initial_forms]
        self.changed_objects = [(form.instance, form.changed_data) for form in kept if form in self.initial_forms]
        return saved


def section_initial() -> list[dict]:
    """One blank item per section, in section order."""
    return [{"kind": kind} for kind in SECTION_LABELS]


PlanItemInlineFormSet = inlineformset_factory(
    LocalityPlan,
    PlanItem,
    form=PlanItemForm,
    formset=PlanItemFormSet,
    extra=len(SECTION_LABELS),
    can_delete=True,
    # A forged TOTAL_FORMS of a million would otherwise build and render 2,000 forms.
    max_num=MAX_ITEMS_PER_PLAN,
    absolute_max=MAX_ITEMS_PER_PLAN,
    validate_max=True,
)


class PlanReferenceForm(UnchangedRowMixin, forms.ModelForm):
    """A link to another plan the locality plan lines up with."""

    class Meta:
        model = PlanReference
        fields = ["kind", "title", "owner", "url", "item"]
        labels: ClassVar = {
            "kind": _("Kind of plan"),
            "title": _("Title"),
            "owner": _("Whose plan is it? (optional)"),
            "url": _("Web address (optional)"),
            "item": _("What it links to in your plan"),
        }
        help_texts: ClassVar = {
            "url": _("For example https://www.kirklees.gov.uk/..."),
            "item": _("The whole plan, or one item. New items can be chosen once saved."),
        }
        error_messages: ClassVar = {
            "title": {"required": _("Enter the title of the plan you are linking to")},
            "kind": {"invalid_choice": _("Choose the kind of plan from the list")},
            "url": {"invalid": _("Enter a web address starting with https://, or leave it empty")},
            "item": {"invalid_choice": _("Choose the whole plan or one of its saved items")},
        }

    def __init__(self, *args, item_choices=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlanReferenceKind.choices
        self.fields["url"].assume_scheme = "https"
        self.fields["url"].widget.attrs.update({"class": "govuk-input", "spellcheck": "false"})
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        if items is not None:
            self.fields["item"].queryset = items
        if item_choices is not None:
            self.fields["item"].choices = item_choices
        self.helper = _helper(
            Layout(
                Field.select("kind"),
                Field.text("title"),
                Field.text("owner", field_width=Fluid.TWO_THIRDS),
                Field.text("url"),
                Field.select("item"),
            )
        )


class PlanReferenceFormSet(ListedRowsFormSetMixin, BaseInlineFormSet):
    """A plan's references; each offers the plan's saved items, read once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        self._items = PlanItem.objects.filter(plan=plan) if plan.pk else PlanItem.objects.none()
        saved = sorted(self._items, key=lambda item: (list(SECTION_LABELS).index(item.kind), item.order))
        self._item_choices = [("", _("The whole plan"))] + [
            (item.pk, f"{item.get_kind_display()} {item.order}: {item.title}") for item in saved
        ]

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs.update(items=self._items, item_choices=self._item_choices)
        return kwargs

    def save(self, commit: bool = True, removed_item_pks: set[int] | frozenset = frozenset()):
        """Save the references; one linked to an item removed in the same change is kept for
        the whole plan."""
        for form in self.forms:
            if form.instance.item_id in removed_item_pks and not self._should_delete_form(form):
                form.instance.item = None
        return super().save(commit=commit)


PlanReferenceInlineFormSet = inlineformset_factory(
    LocalityPlan,
    PlanReference,
    form=PlanReferenceForm,
    formset=PlanReferenceFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_REFERENCES_PER_PLAN,
    absolute_max=MAX_REFERENCES_PER_PLAN,
    validate_max=True,
)


def _item_choice_label(item: PlanItem) -> str:
    """ "Priority 2: Warm spaces": how the comment form lists an item."""
    return f"{item.get_kind_display()} {item.order}: {item.title}"


class PlanCommentForm(forms.Form):
    """A question or comment on a shared plan: what to say, optionally which item it is about
    (``items``: the plan's, in section order) and, offered only to a councillor of its wards
    (``may_ask``), whether it is a question for the plan's writers. A reply is this form without
    the item and the question (``reply=True``). Text only: the page shows it escaped, with its
    line breaks."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("Plain text, up to 2,000 characters. Do not include residents' personal details."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Enter your comment"),
            "max_length": _("Keep your comment to %(limit)s characters or fewer")
            % {"limit": f"{COMMENT_MAX_LENGTH:,}"},
        },
    )
    item = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=PlanItem.objects.none(),
        required=False,
        empty_label=_("The whole plan"),
        error_messages={"invalid_choice": _("Choose an item of this plan, or the whole plan")},
    )
    is_question = forms.BooleanField(
        label=_("This is a question for the plan's writers"),
        required=False,
        help_text=_("They are emailed, and the question stays on their list until one of them replies."),
    )

    def __init__(self, *args, items=None, may_ask: bool = False, reply: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.textarea("body", rows=5, max_characters=COMMENT_MAX_LENGTH, label_size=Size.SMALL)]
        if reply:
            self.fields["body"].label = _("Your reply")
            self.fields["body"].error_messages["required"] = _("Enter your reply")
            self.fields["body"].error_messages["max_length"] = _("Keep your reply to %(limit)s characters or fewer") % {
                "limit": f"{COMMENT_MAX_LENGTH:,}"
            }
            del self.fields["item"], self.fields["is_question"]
        else:
            # Each item shows as ``PlanItem.__str__`` names it: "Priority 2: Warm spaces".
            self.fields["item"].queryset = items if items is not None else PlanItem.objects.none()
            fields.insert(0, Field.select("item"))
            if may_ask:
                fields.append(Field.checkbox("is_question"))
            else:
                del self.fields["is_question"]
        self.helper = _helper(Layout(*fields))


class ProposalForm(forms.ModelForm):
    """A local anchor's proposed item for its lead anchor's plan: section, title, detail and a
    note saying why."""

    class Meta:
        model = PlanItemProposal
        fields = ["kind", "title", "detail", "note"]
        labels: ClassVar = {
            "kind": _("Section"),
            "title": _("Title"),
            "detail": _("Detail (optional)"),
            "note": _("Note to the lead anchor (optional)"),
        }
        help_texts: ClassVar = {
            "note": _("For example, who told you this and why it matters. The public never sees it."),
        }
        error_messages: ClassVar = {
            **ITEM_ERROR_MESSAGES,
        }
        widgets: ClassVar = {
            "kind": forms.RadioSelect,
            "detail": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlanItemKind.choices
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper(
            Layout(
                Field.radios("kind", legend_size=Size.SMALL),
                Field.text("title"),
                Field.textarea("detail", rows=4),
                Field.textarea("note", rows=3),
            )
        )


class ProposalDecisionForm(VersionedFormMixin, forms.Form):
    """The lead anchor's answer to a proposed item: accept or decline, with a note for the
    proposer (required to decline: ``plans.services.proposal_decide`` checks it too). Carries
    the proposal's version (``core.concurrency``), so a decision made meanwhile by a colleague
    is not overwritten."""

    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        label=_("Add this item to the plan?"),
        choices=[(ACCEPT, _("Yes, accept it")), (DECLINE, _("No, decline it"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to accept or decline the item"),
            "invalid_choice": _("Choose whether to accept or decline the item"),
        },
    )
    note = forms.CharField(
        label=_("Note to the local anchor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you decline: say why. They are emailed your decision and this note."),
        error_messages={"max_length": _("Keep the note to 2,000 characters or fewer")},
    )

    def __init__(self, *args, instance: PlanItemProposal, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.helper = _helper(Layout(Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("note", rows=3)))

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == self.DECLINE and not (cleaned_data.get("note") or "").strip():
            self.add_error("note", _("Say why you are declining it: the local anchor reads this note"))
        return cleaned_data

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT
