"""Locality plans: what an anchor has heard from local people, and what it means to do about it.

Source: the Kirklees Council scrutiny panel's review of the Kirklees Community Anchor Network.
Each anchor develops a locality plan "in conversation with local communities" setting out the
**priorities, concerns, opportunities and connections** of its area. The plans are widely
shared, link in with ward plans and council priorities (for example the council's aspirations
for youth services), and are shared with councillors again a year later.

A plan moves draft → shared with councillors → published → superseded. The database keeps one
published plan per locality at a time; publishing a new one supersedes the old in the same
transaction (``plans.services.plan_publish``), and every plan links to the one it replaced, so a
locality has a readable history year on year. Who may see or change a plan is decided in
``LocalityPlanQuerySet`` (``public``, ``visible_to``, ``editable_by``) and ``plans.permissions``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import is_officer, is_signed_in
from localities.models import Locality
from localities.selectors import wards_represented_by
from organisations.models import LEADING_ROLES, AnchorRole, AnchorRoleKind, Organisation, TaxonomyTerm
from organisations.permissions import led_localities

if TYPE_CHECKING:
    from core.permissions import User

# Plans run over years; anything outside this range is a typing mistake.
FIRST_YEAR = 2000
LAST_YEAR = 2100

# The roles that may own a plan: the lead anchor where a network has tiers (Kirklees), the
# anchor where it has none (Leeds).
PLAN_OWNER_ROLES = LEADING_ROLES


class PlanStatus(models.TextChoices):
    """Where a plan is in its life. Only published and superseded plans are public; councillors
    also read shared ones; drafts stay with the owning anchor (and officers)."""

    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with councillors")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


PUBLIC_STATUSES = (PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED)
# Statuses in which a plan is still being written: the owner rules are checked then.
WORKING_STATUSES = (PlanStatus.DRAFT, PlanStatus.SHARED)


class LocalityPlanQuerySet(models.QuerySet["LocalityPlan"]):
    """Chainable filters for plans, and the one statement of who may see and change which:

    - **Public**: published and superseded plans.
    - **Councillor**: also plans shared with councillors for a ward they represent today
      (``shared_with``; docs/adr/0010-councillors-and-their-wards.md).
    - **Members of the owning organisation**: also that organisation's drafts.
    - **Lead-anchor editor**: manages plans for the localities their organisation leads or
      anchors (and the places inside them), owned by that organisation.
    - **Officer**: everything.

    A superseded plan is history: nobody edits it.
    """

    def published(self) -> LocalityPlanQuerySet:
        """The current plans: one per locality at most."""
        return self.filter(status=PlanStatus.PUBLISHED)

    def public(self) -> LocalityPlanQuerySet:
        """What residents may read: published plans and the ones they replaced."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user: User | None) -> LocalityPlanQuerySet:
        """Plans ``user`` may read: public ones; shared ones for the wards a councillor
        represents today (``shared_with``); their own organisation's (any status) for its
        members and editors; everything for an officer."""
        if is_officer(user):
            return self.all()
        visible = Q(status__in=PUBLIC_STATUSES)
        if is_signed_in(user):
            # Members (editors or viewers) of the owning organisation read all of its plans;
            # this includes every plan an editor manages (``managed_by``).
            visible |= Q(owner__in=Organisation.objects.with_member(user))
            # The local anchors of the lead anchor's area help write its draft.
            visible |= Q(status=PlanStatus.DRAFT) & _local_anchor_of_owner(user, editors_only=False)
            wards = list(wards_represented_by(user))
            if wards:
                visible |= Q(status=PlanStatus.SHARED, locality__in=Locality.objects.overlapping(wards))
        return self.filter(visible)

    def shared_with(self, user: User | None, *, on: datetime.date | None = None) -> LocalityPlanQuerySet:
        """Plans shared with councillors (whatever has become of them since: a shared plan
        later published stays on the list) for a ward ``user`` represents on ``on`` (default
        today): the plan's area is the ward, contains it or lies inside it
        (``LocalityQuerySet.overlapping``). Empty for anyone who is not a councillor in office
        (``localities.selectors.wards_represented_by``). Two queries to find the wards."""
        wards = list(wards_represented_by(user, on=on))
        if not wards:
            return self.none()
        return self.filter(shared_on__isnull=False, locality__in=Locality.objects.overlapping(wards))

    def shared_readable_by(self, user: User | None) -> LocalityPlanQuerySet:
        """Shared plans whose version "as shared" ``user`` may read: every one for an officer;
        the owning organisation's for its members; those shared for their wards for a
        councillor in office (``shared_with``). Never the public's: what councillors were sent
        is between them and the plan's writers."""
        shared = self.filter(shared_on__isnull=False)
        if is_officer(user):
            return shared
        if not is_signed_in(user):
            return self.none()
        return shared.filter(
            Q(owner__in=Organisation.objects.with_member(user)) | Q(pk__in=self.shared_with(user).values("pk"))
        )

    def discussable_by(self, user: User | None) -> LocalityPlanQuerySet:
        """Shared plans whose questions and comments (``PlanComment``) ``user`` may read: every
        one for an officer; those they manage for the plan's editors (``managed_by``: the lead
        anchor's editors, not its viewers); those shared for their wards for a councillor in
        office (``shared_with``). Never the public's, whatever the plan's status: the thread is
        between the ward's councillors and the plan's writers (issue 16)."""
        shared = self.filter(shared_on__isnull=False)
        if is_officer(user):
            return shared
        if not is_signed_in(user):
            return self.none()
        return shared.filter(
            Q(pk__in=self.managed_by(user).values("pk")) | Q(pk__in=self.shared_with(user).values("pk"))
        )

    def contributed_to_by(self, user: User | None) -> LocalityPlanQuerySet:
        """Plans in force (any status but superseded) of a lead anchor that an organisation
        ``user`` edits works under as a current local anchor, for the lead anchor's area or a
        place inside it (``_local_anchor_of_owner``): where they keep track of what they
        proposed, and are told when a plan stopped taking proposals."""
        if not is_signed_in(user):
            return self.none()
        return self.in_force().filter(_local_anchor_of_owner(user, editors_only=True))

    def contributable_by(self, user: User | None) -> LocalityPlanQuerySet:
        """Drafts ``user`` may propose items for (``contributed_to_by``, drafts only). Officers
        and the plan's own editors change the plan directly instead, so are not contributors
        unless they also edit a local anchor."""
        return self.contributed_to_by(user).filter(status=PlanStatus.DRAFT)

    def managed_by(self, user: User | None) -> LocalityPlanQuerySet:
        """Every plan, of any status (superseded too), ``user`` answers for: all of them for an
        officer; for a lead-anchor editor, plans owned by an organisation they edit, for a
        locality their organisations lead or anchor (or a place inside one)."""
        if is_officer(user):
            return self.all()
        return self.written_by(user)

    def written_by(self, user: User | None) -> LocalityPlanQuerySet:
        """``managed_by`` without the officers' pass: plans owned by an organisation ``user``
        edits, for a locality their organisations lead or anchor (or a place inside one). The
        plan's writers, as its questions and comments name them (``permissions.comment_role``)."""
        if not is_signed_in(user):
            return self.none()
        return self.filter(
            owner__in=Organisation.objects.with_member(user, editors_only=True),
            locality__in=led_localities(user),
        )

    def editable_by(self, user: User | None) -> LocalityPlanQuerySet:
        """Plans ``user`` may change: those they manage that are not superseded."""
        return self.managed_by(user).exclude(status=PlanStatus.SUPERSEDED)

    def in_force(self) -> LocalityPlanQuerySet:
        """Plans that are not superseded: the current published ones and those being written."""
        return self.exclude(status=PlanStatus.SUPERSEDED)

    def in_area(self, locality: Locality) -> LocalityPlanQuerySet:
        """Plans for ``locality`` or any place inside it."""
        return self.filter(locality__in=Locality.objects.subtree(locality))


class LocalityPlan(TimeStampedModel):
    """An anchor's plan for its locality, written with local people: a summary, then items in
    four sections (priorities, concerns, opportunities, connections) with the evidence behind
    them, and references to the ward plans and council strategies it links in with.

    The owner is the anchor that leads the locality: a current lead anchor (networks with tiers)
    or anchor (networks of peers) whose area is the plan's locality or contains it.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(
        _("web address"),
        max_length=200,
        unique=True,
        editable=False,
        help_text=_("Made from the place and the years when the plan is first saved."),
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("area the plan covers"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("anchor organisation"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("The lead anchor (or, in a network without tiers, the anchor) for the area."),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.PositiveSmallIntegerField(
        _("first year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("For example 2025."),
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("For example 2028. The same as the first year for a one-year plan."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("A few sentences: what the plan is about and who it was written with."),
    )
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT, db_index=True)
    shared_on = models.DateField(_("shared with councillors on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("The plan for the same area that this one replaced when it was published."),
    )

    objects = LocalityPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("locality plan")
        verbose_name_plural = _("locality plans")
        ordering = ["locality__name", "-period_start", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["locality"],
                condition=Q(status=PlanStatus.PUBLISHED),
                name="one_published_plan_per_locality",
                violation_error_message=_("This area already has a published plan. Publishing this one replaces it."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="plan_period_ends_after_it_starts",
                violation_error_message=_("The last year must be the same as or after the first year."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=WORKING_STATUSES, published_on__isnull=True)
                | Q(status__in=PUBLIC_STATUSES, published_on__isnull=False),
                name="plan_published_on_iff_published",
                violation_error_message=_("A published plan has a publication date; a draft has none."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.SHARED) | Q(shared_on__isnull=False),
                name="plan_shared_has_shared_on",
                violation_error_message=_("A plan shared with councillors has the date it was shared."),
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | Q(status__in=PUBLIC_STATUSES),
                name="plan_only_published_plans_supersede",
                violation_error_message=_("Only a published plan replaces another."),
            ),
        ]
        indexes = [
            models.Index(fields=["locality", "status"], name="plan_locality_status_idx"),
            models.Index(fields=["status", "-published_on"], name="plan_status_published_idx"),
            models.Index(fields=["locality", "shared_on"], name="plan_locality_shared_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_label})"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", kwargs={"key": self.slug})

    def get_edit_url(self) -> str:
        return reverse("plans:update", kwargs={"key": self.slug})

    @property
    def period_label(self) -> str:
        """``2025–2028``, or ``2025`` for a one-year plan."""
        if self.period_start is None:
            return ""
        if self.period_end in (None, self.period_start):
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_shared(self) -> bool:
        """Shared with councillors, not yet published."""
        return self.status == PlanStatus.SHARED

    @property
    def is_published(self) -> bool:
        """The locality's current plan."""
        return self.status == PlanStatus.PUBLISHED

    @property
    def is_superseded(self) -> bool:
        return self.status == PlanStatus.SUPERSEDED

    @property
    def may_be_shared(self) -> bool:
        """A draft may be shared with councillors."""
        return self.status == PlanStatus.DRAFT

    @property
    def may_be_published(self) -> bool:
        """A draft or shared plan may be published."""
        return self.status in WORKING_STATUSES

    def clean(self) -> None:
        """Explain the rules in plain English. While a plan is being written the owner must be a
        current lead anchor (or peer anchor) for the plan's area or a place containing it;
        published plans keep the owner they were published by, as history."""
        super().clean()
        errors: dict[str, str] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The last year must be the same as or after the first year.")
        being_written = self.status in WORKING_STATUSES and self.owner_id and self.locality_id
        if being_written and not self._owner_anchors_locality():
            errors["owner"] = _(
                "%(owner)s is not the lead anchor (or anchor) for %(place)s or a place it is "
                "part of. Choose the organisation that anchors this area."
            ) % {"owner": self.owner, "place": self.locality}
        if errors:
            raise ValidationError(errors)

    def _owner_anchors_locality(self) -> bool:
        roles = owner_roles_covering(self.locality)
        return roles.filter(organisation_id=self.owner_id).exists()

    def save(self, *args, **kwargs) -> None:
        """Give a new plan its web address, from the place and the years."""
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(f"{self.locality.slug} {self.period_start} {self.period_end}")[:180] or "plan"
        taken = set(LocalityPlan.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug


def _local_anchor_of_owner(user: User, *, editors_only: bool) -> Exists:
    """The condition "an organisation ``user`` belongs to (or edits) is a current local anchor
    working under the plan owner's current lead-anchor role, and the plan is for that lead
    anchor's area or a place inside it" (``AnchorRole.lead``; the area rule is ``Locality.
    ancestor_path``'s: a place inside area 4 has ``/4/`` in its path). Subqueries, no query."""
    roles = AnchorRole.objects.current().filter(
        role=AnchorRoleKind.LOCAL_ANCHOR,
        organisation__in=Organisation.objects.with_member(user, editors_only=editors_only),
        lead__left_on__isnull=True,
        lead__organisation=OuterRef("owner"),
    )
    inside = roles.annotate(
        area_marker=Concat(Value("/"), Cast("lead__locality_id", models.CharField()), Value("/"))
    ).filter(Contains(OuterRef("locality__ancestor_path"), F("area_marker")))
    return Exists(roles.filter(lead__locality=OuterRef("locality"))) | Exists(inside)


def owner_roles_covering(locality: Locality) -> models.QuerySet[AnchorRole]:
    """Current lead-anchor and (peer) anchor roles for ``locality`` or a place it is part of:
    the roles whose organisations may own a plan for it."""
    return AnchorRole.objects.current().filter(
        role__in=PLAN_OWNER_ROLES, locality_id__in=[locality.pk, *locality.ancestor_ids]
    )


class PlanItemKind(models.TextChoices):
    """The four sections of a locality plan, in the order the plan shows them."""

    PRIORITY = "priority", _("Priority")
    CONCERN = "concern", _("Concern")
    OPPORTUNITY = "opportunity", _("Opportunity")
    CONNECTION = "connection", _("Connection")


# Section headings, in order: how the plan page and the editor group items.
SECTION_LABELS = {
    PlanItemKind.PRIORITY: _("Priorities"),
    PlanItemKind.CONCERN: _("Concerns"),
    PlanItemKind.OPPORTUNITY: _("Opportunities"),
    PlanItemKind.CONNECTION: _("Connections"),
}


class EvidenceMethod(models.TextChoices):
    """How an anchor heard from people; stored as one yes/no field each (see ``PlanItem``)."""

    CONVERSATION = "conversation", _("Conversations")
    SURVEY = "survey", _("A survey")
    EVENT = "event", _("Events")


# EvidenceMethod value → the PlanItem field recording it.
METHOD_FIELDS = {
    EvidenceMethod.CONVERSATION: "heard_in_conversations",
    EvidenceMethod.SURVEY: "heard_through_survey",
    EvidenceMethod.EVENT: "heard_at_events",
}


class PlanItem(TimeStampedModel):
    """One priority, concern, opportunity or connection in a plan, with the themes it touches,
    the organisations it names (a connection usually names one) and "what we heard": how many
    people, how (conversations, a survey, events, or another way) and when.

    Items keep their order within their section: the database refuses two items of one kind at
    the same position.
    """

    plan = models.ForeignKey(LocalityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("section"), max_length=20, choices=PlanItemKind)
    order = models.PositiveIntegerField(_("order"), help_text=_("Its place in its section: 1 comes first."))
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    themes = models.ManyToManyField(TaxonomyTerm, verbose_name=_("themes"), related_name="plan_items", blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations named"), related_name="plan_items", blank=True
    )
    people_heard = models.PositiveIntegerField(
        _("how many people"),
        null=True,
        blank=True,
        help_text=_("Roughly how many people told you this."),
    )
    heard_in_conversations = models.BooleanField(_("heard in conversations"), default=False)
    heard_through_survey = models.BooleanField(_("heard through a survey"), default=False)
    heard_at_events = models.BooleanField(_("heard at events"), default=False)
    heard_other = models.CharField(
        _("another way"),
        max_length=200,
        blank=True,
        help_text=_("For example: door knocking, a youth forum."),
    )
    heard_from = models.DateField(_("heard from"), null=True, blank=True)
    heard_to = models.DateField(_("heard until"), null=True, blank=True)
    residents_raised = models.PositiveIntegerField(
        _("raised by residents"),
        default=0,
        editable=False,
        help_text=_("How many residents' voices the anchor cites as evidence for this item, each counted once."),
    )

    # m2m_fields: the themes and organisations an item names are part of the plan its readers see.
    history = HistoricalRecords(m2m_fields=["themes", "organisations"])

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "order"],
                name="plan_item_unique_order_in_section",
                violation_error_message=_("Two items in the same section cannot share a number."),
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="plan_item_order_from_one",
                violation_error_message=_("Number items from 1."),
            ),
            models.CheckConstraint(
                condition=Q(heard_from__isnull=True) | Q(heard_to__isnull=True) | Q(heard_to__gte=F("heard_from")),
                name="plan_item_heard_to_after_from",
                violation_error_message=_("The end date must be the same as or after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order}: {self.title}"

    @property
    def methods(self) -> list[str]:
        """The ``EvidenceMethod`` values ticked for this item."""
        return [method for method, field in METHOD_FIELDS.items() if getattr(self, field)]

    @property
    def method_labels(self) -> list[str]:
        """How people were heard, in words: ``["conversations", "a survey", "door knocking"]``."""
        labels = [str(EvidenceMethod(method).label).lower() for method in self.methods]
        if self.heard_other:
            labels.append(self.heard_other)
        return labels

    @property
    def has_evidence(self) -> bool:
        return bool(self.people_heard or self.method_labels or self.heard_from or self.heard_to)

    @property
    def evidence_summary(self) -> str:
        """ "What we heard" in a sentence: "45 people, through conversations and a survey, from
        6 January 2025 to 28 March 2025". Empty when nothing is recorded."""
        parts: list[str] = []
        if self.people_heard:
            parts.append(
                ngettext("%(count)s person", "%(count)s people", self.people_heard) % {"count": self.people_heard}
            )
        methods = self.method_labels
        if methods:
            joined = (
                methods[0]
                if len(methods) == 1
                else _("%(first)s and %(last)s")
                % {
                    "first": ", ".join(methods[:-1]),
                    "last": methods[-1],
                }
            )
            parts.append(_("through %(methods)s") % {"methods": joined})
        start = date_format(self.heard_from, "j F Y") if self.heard_from else ""
        end = date_format(self.heard_to, "j F Y") if self.heard_to else ""
        if start and end:
            parts.append(_("from %(start)s to %(end)s") % {"start": start, "end": end})
        elif start:
            parts.append(_("from %(start)s") % {"start": start})
        elif end:
            parts.append(_("until %(end)s") % {"end": end})
        return ", ".join(str(part) for part in parts)

    def clean(self) -> None:
        super().clean()
        if self.heard_from and self.heard_to and self.heard_to < self.heard_from:
            raise ValidationError({"heard_to": _("The end date must be the same as or after the start date.")})


class PlanReferenceKind(models.TextChoices):
    """Other plans a locality plan links in with, so officers can see where plans line up."""

    WARD_PLAN = "ward_plan", _("Ward plan")
    COUNCIL_STRATEGY = "council_strategy", _("Council strategy")
    LCP_PLAN = "lcp_plan", _("Local Care Partnership plan")
    OTHER = "other", _("Other plan")


class PlanReference(TimeStampedModel):
    """A link from a plan, or from one of its items, to another plan it lines up with: a ward
    plan, a council strategy (such as the council's aspirations for youth services) or a Local
    Care Partnership plan."""

    plan = models.ForeignKey(LocalityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="references")
    item = models.ForeignKey(
        PlanItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="references",
        help_text=_("Leave empty when the reference is for the whole plan."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PlanReferenceKind, default=PlanReferenceKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    owner = models.CharField(_("whose plan"), max_length=200, blank=True, help_text=_("For example: Kirklees Council."))
    url = models.URLField(_("web address"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference to another plan")
        verbose_name_plural = _("references to other plans")
        ordering = ["plan", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.item_id and self.plan_id and self.item.plan_id != self.plan_id:
            raise ValidationError({"item": _("Choose an item of this plan.")})


class PlanShare(TimeStampedModel):
    """What was shared with councillors when a plan was shared: the plan's title, summary and
    items exactly as they stood (``snapshot``), so what councillors received stays readable
    however the plan changes afterwards. Written once by ``plans.services.plan_share``; never
    edited (the admin shows it read-only).

    ``snapshot`` is ``plans.selectors.plan_snapshot``'s shape: ``{"title": str, "summary":
    str, "items": [{"id": int, "kind": PlanItemKind value, "order": int, "title": str,
    "detail": str, "themes": [str], "organisations": [str], "evidence": str}]}``, items in
    section order; ``organisations`` names only the published ones, as the plan page did.
    """

    plan = models.OneToOneField(LocalityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="share")
    shared_on = models.DateField(_("shared with councillors on"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_shares",
    )
    snapshot = models.JSONField(_("the plan as shared"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan as shared with councillors")
        verbose_name_plural = _("plans as shared with councillors")
        ordering = ["-shared_on", "-pk"]
        indexes = [models.Index(fields=["-shared_on"], name="plan_share_shared_on_idx")]

    def __str__(self) -> str:
        return str(
            _("%(plan)s, as shared on %(date)s") % {"plan": self.plan, "date": date_format(self.shared_on, "j F Y")}
        )

    def get_absolute_url(self) -> str:
        return reverse("plans:as_shared", kwargs={"key": self.plan.slug})


class PlanOpening(TimeStampedModel):
    """When a councillor of the plan's wards first opened a plan shared with them: the plan's
    editors and officers see who has read it. One per plan and councillor, written by
    ``plans.services.plan_opening_record``; later visits change nothing."""

    plan = models.ForeignKey(LocalityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="openings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("councillor"),
        on_delete=models.CASCADE,
        related_name="plan_openings",
    )
    first_opened_at = models.DateTimeField(_("first opened"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan opened by a councillor")
        verbose_name_plural = _("plans opened by councillors")
        ordering = ["plan", "first_opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="plan_opening_once_per_councillor"),
        ]
        indexes = [models.Index(fields=["user", "plan"], name="plan_opening_user_idx")]

    def __str__(self) -> str:
        return str(_("%(user)s opened %(plan)s") % {"user": self.user, "plan": self.plan})


# A comment is a few paragraphs, not a document: longer text belongs in an email or a meeting.
COMMENT_MAX_LENGTH = 2000


class CommentRole(models.TextChoices):
    """In which capacity someone wrote a comment, decided when they wrote it
    (``plans.permissions.comment_role``): it says how the thread names them and whether a
    reply answers a question (an editor's does)."""

    COUNCILLOR = "councillor", _("Councillor")
    EDITOR = "editor", _("Plan writer")
    OFFICER = "officer", _("Council officer")


class PlanCommentQuerySet(models.QuerySet["PlanComment"]):
    """Chainable filters for questions and comments on shared plans. Who reads which is
    ``visible_to`` (the plans of ``LocalityPlanQuerySet.discussable_by``); none is ever public."""

    def visible_to(self, user: User | None) -> PlanCommentQuerySet:
        """Comments on the plans ``user`` may discuss (``LocalityPlanQuerySet.discussable_by``)."""
        return self.filter(plan__in=LocalityPlan.objects.discussable_by(user))

    def threads(self) -> PlanCommentQuerySet:
        """The comments that start a thread (not replies)."""
        return self.filter(parent__isnull=True)

    def questions(self) -> PlanCommentQuerySet:
        """Threads a councillor marked as a question."""
        return self.threads().filter(is_question=True)

    def with_answered(self) -> PlanCommentQuerySet:
        """Annotate ``answered``: True once one of the plan's writers has replied in the thread
        (a reply written as ``CommentRole.EDITOR``): issue 16, "the anchor replies in the
        thread". A councillor's or an officer's reply does not answer it. Same query."""
        answers = PlanComment.objects.filter(parent=OuterRef("pk"), author_role=CommentRole.EDITOR)
        return self.annotate(answered=Exists(answers))

    def unanswered(self) -> PlanCommentQuerySet:
        """Questions no writer of the plan has replied to yet."""
        return self.questions().with_answered().filter(answered=False)


class PlanComment(TimeStampedModel):
    """A question or comment on a shared plan, or on one of its items, or a reply in its thread:
    between the councillors of the plan's wards, the plan's writers (the lead anchor's editors)
    and officers, never public (issue 16). A councillor may mark a comment that starts a thread
    as a question; it is answered once one of the plan's writers replies
    (``PlanCommentQuerySet.with_answered``). Written by ``plans.services.plan_comment_add``.

    Threads are one level deep: a reply's ``parent`` starts the thread, and a reply is never a
    question nor about an item of its own (the database refuses both).
    """

    plan = models.ForeignKey(LocalityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        PlanItem,
        verbose_name=_("item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text=_("Empty when the comment is about the whole plan."),
    )
    # What the item was called when the comment was written: the thread still reads sensibly
    # once the item is reworded or removed from the plan.
    item_title = models.CharField(_("item, as it was called then"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    # SET_NULL: erasing an account keeps the thread readable; the role still says who wrote it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_comments",
    )
    author_role = models.CharField(_("written as"), max_length=20, choices=CommentRole)
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    is_question = models.BooleanField(
        _("a question"), default=False, help_text=_("A councillor's question that the plan's writers should answer.")
    )

    objects = PlanCommentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question or comment on a plan")
        verbose_name_plural = _("questions and comments on plans")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(is_question=False, item__isnull=True),
                name="plan_comment_reply_is_plain",
                violation_error_message=_("A reply is neither a question nor about an item of its own."),
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "parent", "-created_at"], name="plan_comment_thread_idx"),
            models.Index(fields=["parent", "author_role"], name="plan_comment_answer_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(parent__isnull=True, is_question=True),
                name="plan_comment_question_idx",
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.body).chars(60)

    def get_absolute_url(self) -> str:
        """The thread's page, at this comment."""
        thread_id = self.parent_id or self.pk
        url = reverse("plans:comment_thread", kwargs={"key": self.plan.slug, "pk": thread_id})
        return url if self.parent_id is None else f"{url}#comment-{self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def author_label(self) -> str:
        """How the thread names the writer: "Councillor Ann Smith", the anchor's name for the
        plan's writers (they answer as the organisation), "A council officer". Needs
        ``author`` and ``plan.owner`` loaded."""
        if self.author_role == CommentRole.EDITOR:
            return self.plan.owner.name
        if self.author_role == CommentRole.OFFICER:
            return str(_("A council officer"))
        name = (self.author.get_full_name() or self.author.get_username()) if self.author else ""
        return str(_("Councillor %(name)s") % {"name": name}) if name else str(_("A councillor"))

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.item_id and self.plan_id and self.item.plan_id != self.plan_id:
            errors["item"] = _("Choose an item of this plan.")
        if self.parent_id and self.plan_id and self.parent.plan_id != self.plan_id:
            errors["parent"] = _("A reply belongs to the same plan as its thread.")
        if self.parent_id and self.parent.parent_id:
            errors["parent"] = _("Reply to the comment that starts the thread.")
        if not (self.body or "").strip():
            errors["body"] = _("Enter your comment")
        if errors:
            raise ValidationError(errors)


class ProposalStatus(models.TextChoices):
    """Where a local anchor's proposed item stands: waiting for the lead anchor, or decided."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class PlanItemProposalQuerySet(models.QuerySet["PlanItemProposal"]):
    """Which proposals are waiting, and whose to decide: those of plans ``user`` may change
    (``LocalityPlanQuerySet.editable_by``). A contributor's own are listed by their
    organisation (``plans.proposal_views.ProposeItemsView``)."""

    def waiting(self) -> PlanItemProposalQuerySet:
        return self.filter(status=ProposalStatus.PROPOSED)

    def decidable_by(self, user: User | None) -> PlanItemProposalQuerySet:
        """Proposals to plans ``user`` may change (``editable_by``): theirs to accept or decline."""
        return self.filter(plan__in=LocalityPlan.objects.editable_by(user))


class PlanItemProposal(TimeStampedModel):
    """An item a local anchor proposes for its lead anchor's plan (Kirklees' tiered network: the
    local anchors of an area help write the area's plan), with a note saying why. The lead
    anchor accepts it — it becomes a ``PlanItem`` at the end of its section, linked here — or
    declines it, with a note the proposer reads either way. Written only through
    ``plans.services.proposal_create`` and ``proposal_decide``."""

    plan = models.ForeignKey(LocalityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("proposed by (organisation)"),
        on_delete=models.PROTECT,
        related_name="plan_item_proposals",
        help_text=_("The local anchor the item was proposed for."),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_item_proposals",
    )
    kind = models.CharField(_("section"), max_length=20, choices=PlanItemKind)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    note = models.TextField(_("note to the lead anchor"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.PROPOSED)
    decision_note = models.TextField(_("lead anchor's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_item_decisions",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    item = models.OneToOneField(
        PlanItem,
        verbose_name=_("item in the plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        help_text=_("The plan item an accepted proposal became."),
    )

    objects = PlanItemProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed plan item")
        verbose_name_plural = _("proposed plan items")
        ordering = ["plan", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PROPOSED, decided_at__isnull=True)
                | (~Q(status=ProposalStatus.PROPOSED) & Q(decided_at__isnull=False)),
                name="plan_proposal_decided_at_iff_decided",
                violation_error_message=_("A decided proposal has the time it was decided; a waiting one has none."),
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status"], name="plan_proposal_plan_status_idx"),
            models.Index(fields=["organisation", "-created_at"], name="plan_proposal_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("plans:proposal_decide", kwargs={"key": self.plan.slug, "pk": self.pk})

    @property
    def is_waiting(self) -> bool:
        return self.status == ProposalStatus.PROPOSED

    @property
    def is_accepted(self) -> bool:
        return self.status == ProposalStatus.ACCEPTED
