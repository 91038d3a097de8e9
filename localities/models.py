"""The tree of places the networks serve: district › area › ward › neighbourhood."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

# ONS Government Statistical Service codes: a letter for the nation (E, W, S, N), two digits
# for the entity type (E05 ward, E06-E09 local authority districts, ...) and six digits.
# Source: ONS, "Code history database" and "Register of Geographic Codes".
GSS_CODE_REGEX = r"^[EWSN][0-9]{8}$"


class LocalityKind(models.TextChoices):
    """The levels of the tree, from the largest; ``LEVELS`` gives their order."""

    DISTRICT = "district", _("District")
    AREA = "area", _("Area")
    WARD = "ward", _("Ward")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


LEVELS = {kind: depth for depth, kind in enumerate(LocalityKind.values)}


def path_ids(ancestor_path: str) -> list[int]:
    """The ids in a ``Locality.ancestor_path`` (``"/1/4/"`` → ``[1, 4]``), root first: a place's
    ancestors read without a query, for rows fetched with ``values_list(..., "ancestor_path")``."""
    return [int(part) for part in ancestor_path.strip("/").split("/") if part]


class LocalityQuerySet(models.QuerySet["Locality"]):
    """Chainable filters for localities."""

    def current(self, on: datetime.date | None = None) -> LocalityQuerySet:
        """Localities in force on ``on`` (default today, Europe/London): both dates inclusive."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def subtree(self, locality: Locality) -> LocalityQuerySet:
        """``locality`` and everything below it, in one query whatever the depth."""
        return self.filter(Q(pk=locality.pk) | Q(ancestor_path__startswith=locality.descendant_prefix))

    def containing(self, locality: Locality) -> LocalityQuerySet:
        """``locality`` and the places that contain it (``Locality.containing_ids``)."""
        return self.filter(pk__in=locality.containing_ids)

    def overlapping(self, localities: Iterable[Locality]) -> LocalityQuerySet:
        """Places that are one of ``localities``, contain one (``containing_ids``) or lie inside
        one (its subtree): the rule for "this place concerns that ward" — a plan for a ward's
        area concerns the ward, and so does a plan for a neighbourhood inside it. Builds its
        condition from the loaded ``localities`` without a query; an empty list matches nothing."""
        condition = Q(pk__in=[])
        for locality in localities:
            condition |= Q(pk__in=locality.containing_ids) | Q(ancestor_path__startswith=locality.descendant_prefix)
        return self.filter(condition)

    def in_tree_order(self) -> LocalityQuerySet:
        """Parents before children, siblings by name: ``ancestor_path`` then name."""
        return self.order_by("ancestor_path", "name")


class Locality(TimeStampedModel):
    """A place a network serves: a district (Leeds), an area (Batley and Spen), a ward or a
    neighbourhood. Levels may be skipped: Leeds anchors work straight from wards.

    Ward sets change (Kirklees's wards were redrawn in May 2026), so a locality has the dates
    it is valid from and to: an ended ward stays for history, keeps its links, and drops out
    of the public filters.

    The tree is stored as an adjacency list (``parent``) plus a materialised path of ancestor
    ids (``ancestor_path``, e.g. ``"/1/4/"``), so that ancestors and descendants each take one
    query whatever the depth. See docs/adr/0002-locality-tree.md.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, help_text=_("Used in web addresses, e.g. /areas/armley/.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LocalityKind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The larger place this is part of. Districts have none."),
    )
    gss_code = models.CharField(
        _("ONS GSS code"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(GSS_CODE_REGEX, _("Enter a GSS code like E05011385."))],
        help_text=_("The Office for National Statistics code, e.g. E05011385 for Armley ward."),
    )
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Leave blank if it has always existed.")
    )
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("The last day it existed, e.g. the day before new ward boundaries came in."),
    )
    ancestor_path = models.CharField(_("ancestor path"), max_length=255, default="/", editable=False, db_index=True)
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_(
            "Residents, as a published source gives it (e.g. the ONS mid-year estimates for wards). "
            "Leave blank if you have no published figure."
        ),
    )
    population_source = models.CharField(
        _("source of the population figure"),
        max_length=200,
        blank=True,
        help_text=_("Who published the figure, and for which year, e.g. “ONS mid-2022 ward estimates”."),
    )

    objects = LocalityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["ancestor_path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gss_code__isnull=True) | Q(gss_code__regex=GSS_CODE_REGEX),
                name="locality_gss_code_format",
                violation_error_message=_("Enter a GSS code like E05011385."),
            ),
            models.CheckConstraint(
                condition=Q(kind=LocalityKind.DISTRICT, parent__isnull=True)
                | (~Q(kind=LocalityKind.DISTRICT) & Q(parent__isnull=False)),
                name="locality_only_districts_are_roots",
                violation_error_message=_("A district has no parent; every other locality has one."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="locality_valid_to_after_valid_from",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            # A figure nobody can trace cannot be compared or checked, and per-resident rates
            # built on it would mislead: a population needs its source.
            models.CheckConstraint(
                condition=Q(population__isnull=True) | (Q(population__gt=0) & ~Q(population_source="")),
                name="locality_population_positive_with_source",
                violation_error_message=_("Enter a population of at least 1, with the source and year of the figure."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"], name="locality_kind_name_idx"),
            models.Index(fields=["valid_from", "valid_to"], name="locality_validity_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:area_detail", kwargs={"slug": self.slug})

    @property
    def descendant_prefix(self) -> str:
        """The ``ancestor_path`` prefix every descendant's path starts with."""
        return f"{self.ancestor_path}{self.pk}/"

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path without a query."""
        return path_ids(self.ancestor_path)

    @property
    def containing_ids(self) -> list[int]:
        """This place's id, then the ids of the places that contain it, nearest first (ward,
        area, district): the one rule for "the places that contain this one", used wherever
        serving a larger place counts as serving this one. No query."""
        return [self.pk, *reversed(self.ancestor_ids)]

    @property
    def depth(self) -> int:
        """0 for a root (a district), 1 for its children, and so on."""
        return len(self.ancestor_ids)

    def ancestors(self) -> list[Locality]:
        """The localities above this one, root first, in one query."""
        by_id = Locality.objects.in_bulk(self.ancestor_ids)
        return [by_id[pk] for pk in self.ancestor_ids if pk in by_id]

    def is_current(self, on: datetime.date | None = None) -> bool:
        """True when the locality is in force on ``on`` (default today); both dates inclusive."""
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to >= on)

    def _clean_parent(self) -> None:
        super().clean()
        if self.parent_id is None:
            return
        parent = self.parent
        if self.pk and (parent.pk == self.pk or parent.ancestor_path.startswith(self.descendant_prefix)):
            raise ValidationError({"parent": _("A place cannot be part of itself or of a place inside it.")})
        if self.kind in LEVELS and LEVELS[parent.kind] >= LEVELS[self.kind]:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must be part of a larger kind of place, not a %(parent_kind)s.")
                    % {"kind": self.get_kind_display().lower(), "parent_kind": parent.get_kind_display().lower()}
                }
            )

    def clean(self) -> None:
        """Check the parent fits: a larger kind, and not this locality or one below it; and that
        a population figure comes with its source."""
        self._clean_parent()
        if self.population is not None and not self.population_source.strip():
            raise ValidationError({"population_source": _("Enter the source and year of the population figure.")})
        if self.population == 0:
            raise ValidationError({"population": _("Enter a population of at least 1, or leave it blank.")})

    def save(self, *args, **kwargs) -> None:
        """Fill ``ancestor_path`` from the parent; when the parent changed, rewrite the paths of
        every descendant in one UPDATE so the tree stays consistent."""
        new_path = f"{self.parent.ancestor_path}{self.parent_id}/" if self.parent_id else "/"
        old_prefix = None
        if self.pk and new_path != self.ancestor_path:
            old_prefix = self.descendant_prefix
        self.ancestor_path = new_path
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ancestor_path"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_prefix is not None:
                Locality.objects.filter(ancestor_path__startswith=old_prefix).update(
                    ancestor_path=Concat(
                        models.Value(self.descendant_prefix),
                        Substr("ancestor_path", len(old_prefix) + 1),
                        output_field=models.CharField(),
                    )
                )


# The Open Government Licence attribution the ONS asks for wherever its postcode data is used.
POSTCODE_ATTRIBUTION = _(
    "Postcode data: Office for National Statistics, licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right. Contains Royal Mail data © Royal Mail "
    "copyright and database right."
)


class PostcodeQuerySet(models.QuerySet["Postcode"]):
    def live(self) -> PostcodeQuerySet:
        """Postcodes still in use: not retired."""
        return self.filter(terminated__isnull=True)


class Postcode(models.Model):
    """One postcode of the ONS Postcode Directory, as its latest import left it.

    Reference data, not a record anyone edits: ``manage.py import_postcodes`` replaces a
    council's rows all at once, so there is no audit history. A retired postcode is kept,
    flagged by ``terminated``, so a resident hears when it was retired rather than "not found".
    ``ward`` is the portal's locality whose GSS code is ``ward_code``; None when the portal has
    no such ward (the import reports those codes rather than guessing a ward).

    Source: Office for National Statistics, ONS Postcode Directory, Open Government Licence v3.0
    (``POSTCODE_ATTRIBUTION``).
    """

    key = models.CharField(
        _("postcode key"), max_length=8, primary_key=True, help_text=_("Upper case, no spaces: LS146JB.")
    )
    postcode = models.CharField(_("postcode"), max_length=8)
    outward = models.CharField(_("postcode district"), max_length=4, db_index=True)
    council_code = models.CharField(_("council GSS code"), max_length=9, db_index=True)
    ward_code = models.CharField(_("ward GSS code"), max_length=9, blank=True)
    ward = models.ForeignKey(
        Locality, verbose_name=_("ward"), on_delete=models.SET_NULL, null=True, blank=True, related_name="postcodes"
    )
    introduced = models.DateField(_("in use from"), null=True, blank=True)
    terminated = models.DateField(_("retired"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.postcode


class PostcodeImport(models.Model):
    """One run of ``manage.py import_postcodes``: what was read, when, and what it could not
    place, so an officer can tell which release the portal's postcodes come from."""

    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    source = models.CharField(_("file"), max_length=255)
    ward_column = models.CharField(
        _("ward column"), max_length=20, help_text=_("The release's ward column; its name gives the boundaries' year.")
    )
    councils = models.CharField(_("councils (GSS codes)"), max_length=255)
    postcodes = models.PositiveIntegerField(_("postcodes imported"))
    retired = models.PositiveIntegerField(_("of which retired"))
    unknown_ward_codes = models.JSONField(
        _("ward codes not in the portal"),
        default=dict,
        blank=True,
        help_text=_("Each ward code the file gives that no locality has, with how many postcodes carry it."),
    )

    class Meta:
        verbose_name = _("postcode import")
        verbose_name_plural = _("postcode imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.postcodes})"


class WardBoundary(TimeStampedModel):
    """The outline of a ward, as published by the ONS, for drawing maps.

    ``geometry`` is a GeoJSON geometry object (RFC 7946): ``{"type": "Polygon" | "MultiPolygon",
    "coordinates": ...}``, WGS 84 longitude and latitude in degrees. Stored as JSON rather than
    a GeoDjango geometry so SQLite and plain PostgreSQL (no PostGIS) both work; nothing queries
    inside it, the maps only draw it. Written by ``manage.py import_ward_boundaries``
    (``localities.boundaries``), one per ward; ``source`` names the release and ``attribution``
    is the licence statement that must be shown wherever the outline is drawn.
    """

    locality = models.OneToOneField(
        Locality,
        verbose_name=_("ward"),
        on_delete=models.CASCADE,
        related_name="boundary",
        limit_choices_to={"kind": LocalityKind.WARD},
    )
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The boundary release, e.g. “ONS Wards (December 2019) BGC”.")
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        help_text=_("The licence statement shown with every map that draws this boundary."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ward boundary")
        verbose_name_plural = _("ward boundaries")
        ordering = ["locality__name"]

    def __str__(self) -> str:
        return str(_("Boundary of %(ward)s") % {"ward": self.locality.name})


class WardRepresentationQuerySet(models.QuerySet["WardRepresentation"]):
    """Chainable filters for councillors' terms in their wards."""

    def current(self, on: datetime.date | None = None) -> WardRepresentationQuerySet:
        """Terms running on ``on`` (default today, Europe/London): both dates inclusive, an
        open end still running."""
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def for_user(self, user) -> WardRepresentationQuerySet:
        """Terms of ``user`` (none for an anonymous user)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def concerning(self, locality: Locality) -> WardRepresentationQuerySet:
        """Terms in a ward that ``locality`` concerns (``LocalityQuerySet.overlapping``): the
        ward itself, a place containing it, or a place inside it."""
        return self.filter(ward__in=Locality.objects.overlapping([locality]))


class WardRepresentation(TimeStampedModel):
    """A councillor's term representing a ward, from the day they took office to the day it
    ended (an election, a by-election, a resignation). Officers keep these in the admin.

    A ward in England has up to three councillors, each elected for four years; Kirklees and
    Leeds elect by thirds, and ward boundaries change at reviews (Kirklees's new wards from May
    2026), so terms are dated rather than a flag. What a term lets a councillor see is decided
    by the apps that own the records (``plans``: plans shared for their wards), always together
    with the ``Councillor`` group (``core.permissions.is_councillor``); see
    docs/adr/0010-councillors-and-their-wards.md.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("councillor"),
        on_delete=models.CASCADE,
        related_name="ward_representations",
    )
    ward = models.ForeignKey(
        Locality,
        verbose_name=_("ward"),
        on_delete=models.PROTECT,
        related_name="representations",
        limit_choices_to={"kind": LocalityKind.WARD},
    )
    starts_on = models.DateField(
        _("in office from"), help_text=_("The first day of the term, e.g. the day after the election.")
    )
    ends_on = models.DateField(
        _("in office until"),
        null=True,
        blank=True,
        help_text=_("The last day of the term. Leave blank while the councillor is in office."),
    )

    objects = WardRepresentationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ward councillor")
        verbose_name_plural = _("ward councillors")
        ordering = ["ward__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="ward_representation_ends_after_it_starts",
                violation_error_message=_("The last day in office must be on or after the first."),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "starts_on", "ends_on"], name="ward_rep_user_dates_idx"),
            models.Index(fields=["ward", "starts_on", "ends_on"], name="ward_rep_ward_dates_idx"),
        ]

    def __str__(self) -> str:
        return str(_("%(user)s for %(ward)s") % {"user": self.user, "ward": self.ward})

    def is_current(self, on: datetime.date | None = None) -> bool:
        """True when the term runs on ``on`` (default today); both dates inclusive."""
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self) -> None:
        """Only a ward has councillors; a term ends on or after it starts."""
        super().clean()
        errors: dict[str, str] = {}
        if self.ward_id and self.ward.kind != LocalityKind.WARD:
            errors["ward"] = _("Choose a ward: councillors represent wards, not %(kind)s.") % {
                "kind": self.ward.get_kind_display().lower() + "s"
            }
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day in office must be on or after the first.")
        if errors:
            raise ValidationError(errors)
