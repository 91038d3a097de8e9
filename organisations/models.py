"""Organisations (Open Referral *organization*), the anchor networks and their anchor roles.

Names follow Open Referral UK (HSDS 3.0) where a term exists there: an organisation's services
are taxonomy terms from a taxonomy, and every record a future API will expose has a stable UUID.
Our own domain terms — network, lead anchor, local anchor — come from the Kirklees and Leeds
community anchor networks.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Lower, Replace, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.models import PublicationStatus, Publishable, PublishableQuerySet, TimeStampedModel
from core.permissions import is_officer, is_signed_in
from core.validators import (
    normalise_charity_number,
    normalise_company_number,
    normalise_phone,
    normalise_postcode,
    outward_code,
    validate_charity_number,
    validate_company_number,
    validate_phone,
    validate_postcode,
)
from localities.geography import Origin
from localities.models import Locality, LocalityKind, LocalityQuerySet, Postcode

from .words import words_of

if TYPE_CHECKING:
    from core.permissions import User


class TaxonomyQuerySet(models.QuerySet["Taxonomy"]):
    def services(self) -> TaxonomyQuerySet:
        """Taxonomies whose terms describe what organisations do (``TaxonomyTermQuerySet.services``):
        every one except those an app keeps for its own records (``reserve_taxonomy``)."""
        return self.exclude(name__in=sorted(_RESERVED_TAXONOMIES))


class Taxonomy(TimeStampedModel):
    """A controlled vocabulary of terms (Open Referral *taxonomy*), e.g. AnchorNet's needs."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), blank=True, help_text=_("Where the vocabulary is published, if anywhere."))
    version = models.CharField(_("version"), max_length=40, blank=True)

    objects = TaxonomyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Taxonomies that apps above this one keep for their own records (the engagement app's skills
# and assets): their terms are not services an organisation covers, so the directory, profiles
# and plans never offer them as such. Each app names its own in ``AppConfig.ready``
# (``reserve_taxonomy``), as it registers its section of the organisation page.
_RESERVED_TAXONOMIES: set[str] = set()


def reserve_taxonomy(name: str) -> None:
    """Keep the terms of the taxonomy called ``name`` out of ``TaxonomyTerm.objects.services()``."""
    _RESERVED_TAXONOMIES.add(name)


class TaxonomyTermQuerySet(models.QuerySet["TaxonomyTerm"]):
    def services(self) -> TaxonomyTermQuerySet:
        """Terms that describe what organisations do and the needs they meet: every taxonomy's,
        except those an app keeps for its own records (``reserve_taxonomy``)."""
        return self.exclude(taxonomy__name__in=sorted(_RESERVED_TAXONOMIES))

    def in_taxonomy(self, name: str) -> TaxonomyTermQuerySet:
        return self.filter(taxonomy__name=name)


class TaxonomyTerm(TimeStampedModel):
    """A service or need an organisation covers (Open Referral *taxonomy_term*), such as
    "Food support" or "Older people". Terms may nest under a parent term."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, verbose_name=_("taxonomy"), on_delete=models.PROTECT, related_name="terms")
    code = models.CharField(_("code"), max_length=60, blank=True, help_text=_("The term's code in its taxonomy."))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent term"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = TaxonomyTermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service or need")
        verbose_name_plural = _("services and needs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], condition=~Q(code=""), name="taxonomy_term_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Initiative(TimeStampedModel):
    """A city or district programme that organisations take part in alongside the network,
    e.g. ABCD Pathfinder, a Local Care Partnership, a Neighbourhood Network."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# A synonym group's limits: enough for any real list, small enough that a search stays cheap.
SYNONYM_MAX_PHRASES = 20
SYNONYM_MAX_WORDS = 4


def synonym_phrases(text: str) -> list[str]:
    """The phrases of a synonym group as search reads them: split at commas or new lines, each
    reduced to its lower-cased words (``organisations.words.words_of``), blanks and repeats
    dropped, in the order given. ``"Foodbank, Food-bank,  food pantry"`` → ``["foodbank",
    "food bank", "food pantry"]``."""
    phrases: list[str] = []
    for part in re.split(r"[,\n]", text or ""):
        phrase = " ".join(words_of(part))
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases


class SynonymGroup(TimeStampedModel):
    """Words and phrases that mean the same thing to someone searching the directory, such as
    "foodbank, food bank, food pantry, food parcels": a search for any of them also finds what
    the others find (``organisations.search``). Officers keep the list in the admin; migration
    0011 seeds it with everyday words for the needs the services taxonomy names formally."""

    phrases = models.TextField(
        _("words and phrases"),
        help_text=_(
            "Separate them with commas, e.g. “foodbank, food bank, food pantry, food parcels”. "
            "Case and punctuation do not matter."
        ),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why these belong together, for other officers.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonym groups")
        ordering = ["phrases"]

    def __str__(self) -> str:
        return ", ".join(self.phrase_list)

    @property
    def phrase_list(self) -> list[str]:
        return synonym_phrases(self.phrases)

    def clean(self) -> None:
        """At least two phrases (one alone has nothing to be the same as), at most
        ``SYNONYM_MAX_PHRASES``, each of at most ``SYNONYM_MAX_WORDS`` words. Raises
        ``ValidationError`` on ``phrases``."""
        phrases = self.phrase_list
        if len(phrases) < 2:
            raise ValidationError({"phrases": _("Give at least two different words or phrases, separated by commas.")})
        if len(phrases) > SYNONYM_MAX_PHRASES:
            raise ValidationError(
                {"phrases": _("Give at most %(count)d phrases in one group.") % {"count": SYNONYM_MAX_PHRASES}}
            )
        long = [phrase for phrase in phrases if len(phrase.split()) > SYNONYM_MAX_WORDS]
        if long:
            raise ValidationError(
                {
                    "phrases": _("Keep each phrase to %(count)d words or fewer: %(phrases)s.")
                    % {"count": SYNONYM_MAX_WORDS, "phrases": ", ".join(long)}
                }
            )

    def save(self, *args, **kwargs) -> None:
        """Store the phrases as search reads them (``synonym_phrases``), one comma between each."""
        self.phrases = ", ".join(self.phrase_list)
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    """What sort of body an organisation is (its form, not its role in a network)."""

    CHARITY = "charity", _("Charity")
    INFRASTRUCTURE_CHARITY = "infrastructure_charity", _("Infrastructure charity")
    COMMUNITY_GROUP = "community_group", _("Community group")
    COMMUNITY_ASSOCIATION = "community_association", _("Community association")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    ARTS_ORGANISATION = "arts_organisation", _("Arts organisation")
    FAITH_GROUP = "faith_group", _("Faith group")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    TENANTS_RESIDENTS_ASSOCIATION = "tenants_residents_association", _("Tenants and residents association")
    OTHER = "other", _("Other")


class AnchorRoleKind(models.TextChoices):
    """An organisation's role in a community anchor network.

    Kirklees has two tiers: a *lead anchor* per area and *local anchors* under it. Leeds has
    none: its anchors are peers, so their role is plain *anchor*.
    """

    LEAD_ANCHOR = "lead_anchor", _("Lead anchor")
    LOCAL_ANCHOR = "local_anchor", _("Local anchor")
    ANCHOR = "anchor", _("Anchor")


# The roles that lead a place: a lead anchor where a network has tiers (Kirklees), an anchor
# where it has none (Leeds). Their editors are lead-anchor editors; their organisations write
# the locality plans and organise the network's meetings.
LEADING_ROLES = (AnchorRoleKind.LEAD_ANCHOR, AnchorRoleKind.ANCHOR)


# The directory's clock: opening times are UK wall-clock times, whatever the server's zone.
LONDON = ZoneInfo("Europe/London")


class CostOption(models.TextChoices):
    """What using an organisation costs a resident (Open Referral UK *cost_option*: our value is
    its ``option``, the amount its ``amount`` in GBP, the note its ``amount_description``)."""

    FREE = "free", _("Free")
    DONATION = "donation", _("Donation")
    FEE = "fee", _("Fee")


class StepFreeAccess(models.TextChoices):
    """Whether a wheelchair user can get in without steps (Open Referral UK *accessibility*,
    whose ``description`` our label becomes; the note is its ``details``)."""

    YES = "yes", _("Step-free access")
    PARTLY = "partly", _("Partly step-free")
    NO = "no", _("No step-free access")
    NOT_KNOWN = "unknown", _("Step-free access not known")


class OrganisationQuerySet(PublishableQuerySet):
    """Chainable filters for organisations. ``public()`` (from ``PublishableQuerySet``) is
    what residents may see; ``editable_by(user)`` whose profile a person may change."""

    def with_member(self, user: User | None, *, editors_only: bool = False) -> OrganisationQuerySet:
        """Organisations ``user`` belongs to (any role, or only as an editor); none for someone
        signed out or inactive."""
        if not is_signed_in(user):
            return self.none()
        memberships = Q(memberships__user=user)
        if editors_only:
            memberships &= Q(memberships__role=MembershipRole.EDITOR)
        return self.filter(pk__in=Organisation.objects.filter(memberships).values("pk"))

    def editable_by(self, user: User | None) -> OrganisationQuerySet:
        """Organisations whose profile ``user`` may edit.

        Officers: all. Everyone else: the organisations they are an editor of, and — for a
        lead-anchor editor — the local anchors and community groups in the localities their
        organisation leads (as PlaceCal's area-scoped admins do): local anchors anchoring a
        place there or working under their lead anchor role, and organisations with no anchor
        role that serve a place there. Never another lead anchor or a network coordinator.
        """
        if is_officer(user):
            return self.all()
        if not is_signed_in(user):
            return self.none()
        own = Organisation.objects.with_member(user, editors_only=True).values("pk")
        leading = AnchorRole.objects.leading_for(user)
        led = leading.covered_localities()
        local_anchors = (
            AnchorRole.objects.current()
            .filter(role=AnchorRoleKind.LOCAL_ANCHOR)
            .filter(Q(locality__in=led) | Q(lead__in=leading))
            .values("organisation_id")
        )
        serves_led = Organisation.localities.through.objects.filter(organisation=OuterRef("pk"), locality__in=led)
        groups = Organisation.objects.community_groups().filter(Exists(serves_led)).values("pk")
        return self.filter(Q(pk__in=own) | Q(pk__in=local_anchors) | Q(pk__in=groups))

    def visible_to(self, user: User | None) -> OrganisationQuerySet:
        """Organisations whose record ``user`` may see named in a list. Officers: all. Anyone
        else: the published ones, those they belong to and those they may edit
        (``editable_by``): a draft's name stays with the people who look after it."""
        if is_officer(user):
            return self.all()
        own = Organisation.objects.with_member(user).values("pk")
        editable = Organisation.objects.editable_by(user).values("pk")
        return self.filter(self.public_condition() | Q(pk__in=own) | Q(pk__in=editable))

    def serving(self, locality: Locality) -> OrganisationQuerySet:
        """Organisations that serve ``locality`` or any place inside it, each once."""
        served = Organisation.localities.through.objects.filter(
            organisation=OuterRef("pk"),
            locality__in=Locality.objects.subtree(locality),
        )
        return self.filter(Exists(served))

    def for_place(self, locality: Locality) -> OrganisationQuerySet:
        """What serves ``locality`` as a resident there sees it: organisations that serve it or
        a place inside it, and those that serve a place containing it (its area, its whole
        district: serving Kirklees means serving every Kirklees ward), each once.

        Annotated with ``reach``: 0 for the place itself or inside it, 1 for the place one level
        up, 2 for the next, and so on, so that local organisations can be listed first (order by
        ``reach``). The containing places are ``Locality.containing_ids``.
        """
        served = Organisation.localities.through.objects.filter(organisation=OuterRef("pk"))
        whens = [When(Exists(served.filter(locality__in=Locality.objects.subtree(locality))), then=Value(0))]
        whens += [
            When(Exists(served.filter(locality_id=pk)), then=Value(distance))
            for distance, pk in enumerate(locality.containing_ids[1:], start=1)
        ]
        return self.annotate(reach=Case(*whens, default=None, output_field=models.IntegerField())).filter(
            reach__isnull=False
        )

    def with_anchor_role(self, role: str) -> OrganisationQuerySet:
        """Organisations holding a current anchor role of kind ``role`` in any network."""
        return self.filter(Exists(AnchorRole.objects.current().filter(organisation=OuterRef("pk"), role=role)))

    def coordinators(self) -> OrganisationQuerySet:
        """Organisations that coordinate a network."""
        return self.filter(Exists(Network.objects.filter(coordinator=OuterRef("pk"))))

    def community_groups(self) -> OrganisationQuerySet:
        """Organisations with no current anchor role and no network to coordinate."""
        return self.exclude(Exists(AnchorRole.objects.current().filter(organisation=OuterRef("pk")))).exclude(
            Exists(Network.objects.filter(coordinator=OuterRef("pk")))
        )

    def in_network(self, network: Network) -> OrganisationQuerySet:
        """Organisations with a current anchor role in ``network``, or coordinating it."""
        return self.filter(
            Exists(AnchorRole.objects.current().filter(organisation=OuterRef("pk"), network=network))
            | Q(pk=network.coordinator_id)
        )

    def open_at(self, moment: datetime.datetime) -> OrganisationQuerySet:
        """Organisations open at ``moment`` (an aware datetime, in any zone): with a regular
        weekly opening (``Schedule.objects.regular()``) on that day of the week, in force on that
        date, and ``opens_at <= time < closes_at``. Day, date and time are read on the clock in
        Europe/London, as HSDS schedule times are local wall-clock times without a zone, so
        "Mondays 10am" means 10am GMT in winter and 10am BST in summer. By-appointment times do
        not count: nobody can just walk in."""
        local = moment.astimezone(LONDON)
        sessions = Schedule.objects.regular().filter(
            on_day(local.date()), opens_at__lte=local.time(), closes_at__gt=local.time()
        )
        return self.filter(Exists(sessions.filter(organisation=OuterRef("pk"))))

    def open_on(self, days: list[datetime.date]) -> OrganisationQuerySet:
        """Organisations with a regular weekly opening in force on any of ``days`` (dates, read
        as Europe/London calendar days); by-appointment times do not count."""
        if not days:
            return self.none()
        condition = Q()
        for day in days:
            condition |= on_day(day)
        sessions = Schedule.objects.regular().filter(condition)
        return self.filter(Exists(sessions.filter(organisation=OuterRef("pk"))))

    def open_weekly(
        self, day: str | None = None, start: datetime.time | None = None, end: datetime.time | None = None
    ) -> OrganisationQuerySet:
        """Organisations with a regular weekly opening (not ended by today) on ``day`` (a
        ``Weekday`` code; any day when None) that covers ``start`` to ``end`` (local wall-clock
        times, either may be None): open by ``start`` and until at least ``end``. The Open
        Referral UK API's ``day``, ``start_time`` and ``end_time`` filters."""
        sessions = Schedule.objects.regular().not_ended(timezone.localdate())
        if day:
            sessions = sessions.filter(byday=day)
        if start is not None:
            sessions = sessions.filter(opens_at__lte=start, closes_at__gt=start)
        if end is not None:
            sessions = sessions.filter(opens_at__lt=end, closes_at__gte=end)
        return self.filter(Exists(sessions.filter(organisation=OuterRef("pk"))))

    def free(self) -> OrganisationQuerySet:
        """Organisations that say they cost nothing (not those whose cost is not known)."""
        return self.filter(cost_option=CostOption.FREE)

    def speaking(self, code: str) -> OrganisationQuerySet:
        """Organisations whose people speak the language with ISO 639 ``code`` ("ur")."""
        through = Organisation.languages.through.objects.filter(organisation=OuterRef("pk"), language__code=code)
        return self.filter(Exists(through))

    def with_centroid(self, *, within: tuple[float, float, float, float] | None = None) -> OrganisationQuerySet:
        """Annotated with ``centroid_latitude`` and ``centroid_longitude``: the centroid of the
        organisation's postcode in the imported ONS Postcode Directory (decimal degrees, WGS 84),
        None where the directory lacks it. With ``within`` ((south, north, west, east) in degrees,
        ``Origin.box``), a centroid outside that box counts as none. No extra query: a scalar
        subquery per row on the directory's primary key."""
        centroid = Postcode.objects.filter(key=OuterRef("postcode_key"))
        if within is not None:
            south, north, west, east = within
            centroid = centroid.filter(latitude__range=(south, north), longitude__range=(west, east))
        return self.annotate(postcode_key=Replace(F("postcode"), Value(" "), Value(""))).annotate(
            centroid_latitude=models.Subquery(centroid.values("latitude")[:1], output_field=models.FloatField()),
            centroid_longitude=models.Subquery(centroid.values("longitude")[:1], output_field=models.FloatField()),
        )

    def with_distance_from(self, origin: Origin) -> OrganisationQuerySet:
        """Annotated with ``distance_squared``: the square of the distance from ``origin`` to the
        centroid (``with_centroid``, which must come first) in scaled degrees (equirectangular,
        see ``localities.geography``; ``metres_from_squared_degrees`` turns it into metres),
        None where the centroid is unknown. Order by it, or filter on it, in the same query."""
        east = (F("centroid_longitude") - Value(origin.longitude)) * Value(origin.scale)
        north = F("centroid_latitude") - Value(origin.latitude)
        return self.annotate(
            distance_squared=models.ExpressionWrapper(east * east + north * north, output_field=models.FloatField())
        )

    def with_public_relations(self) -> OrganisationQuerySet:
        """Prefetch what a directory card shows, so a page of results costs a fixed number of
        queries: services, areas served and current anchor roles with their networks."""
        return self.prefetch_related(
            models.Prefetch("services", queryset=TaxonomyTerm.objects.order_by("name")),
            models.Prefetch("localities", queryset=Locality.objects.order_by("name")),
            models.Prefetch(
                "anchor_roles",
                queryset=AnchorRole.objects.current().select_related("network", "locality"),
                to_attr="current_anchor_roles",
            ),
            models.Prefetch("languages", queryset=Language.objects.order_by("name")),
        )


# Apostrophes of every sort are dropped ("Mary’s" and "Marys" read alike); other punctuation
# separates words. "St"/"St." is read as "Saint", which also folds "Street" into it: harmless,
# as both names of a pair fold the same way.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
_NOT_WORD = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """An organisation's name reduced for matching near-identical names (``Organisation.name_key``,
    ``organisations.duplicates``): lower case, accents and apostrophes (straight and curly)
    removed, "&" read as "and", "St"/"St." as "saint", other punctuation and runs of spaces as
    one space, and a leading "the" dropped.

    >>> name_key("The St. Mary’s  Lunch Club & Friends")
    'saint marys lunch club and friends'

    Returns ``""`` for a name with no letters or digits.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    words = ["saint" if word == "st" else word for word in _NOT_WORD.sub(" ", text).split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


# Named, so that an import can write an organisation's history row itself, once its links are
# set (``core.imports.ImportResource.history_records``). m2m_fields keeps the links, so a
# deleted organisation can be restored whole.
ORGANISATION_HISTORY = HistoricalRecords(m2m_fields=["localities", "services", "initiatives", "languages"])


class Organisation(Publishable, TimeStampedModel):
    """Any organisation in the directory, anchor or not (Open Referral *organization*): a
    lead anchor, a local anchor, an infrastructure charity or a small community group.

    Only ``published`` organisations appear on public pages. Contact details here are public;
    never record a person's own details in them.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=220, unique=True, help_text=_("Used in web addresses, e.g. /organisations/ls14-trust/.")
    )
    kind = models.CharField(
        _("kind"), max_length=40, choices=OrganisationKind, default=OrganisationKind.COMMUNITY_GROUP
    )
    description = models.TextField(_("about"), blank=True, help_text=_("What the organisation does, in plain English."))
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=30, blank=True, validators=[validate_phone])
    address = models.TextField(_("address"), blank=True, help_text=_("Street address, without the postcode."))
    postcode = models.CharField(
        _("postcode"), max_length=16, blank=True, validators=[validate_postcode], help_text=_("For example LS1 1UR.")
    )
    postcode_outward = models.CharField(_("postcode district"), max_length=4, blank=True, editable=False, db_index=True)
    # The name as ``name_key`` reduces it, kept by ``save()``: what the duplicate check matches.
    name_key = models.CharField(_("name for matching"), max_length=200, blank=True, editable=False)
    opening_hours = models.TextField(
        _("opening hours"),
        blank=True,
        help_text=_(
            "When people can call or visit, in plain words, e.g. “Monday to Thursday, 9am to 4pm”. "
            "Shown only while no opening times are recorded below."
        ),
    )
    charity_number = models.CharField(
        _("charity number"), max_length=12, blank=True, validators=[validate_charity_number]
    )
    company_number = models.CharField(
        _("company number"), max_length=8, blank=True, validators=[validate_company_number]
    )
    localities = models.ManyToManyField(
        Locality, verbose_name=_("areas served"), related_name="organisations", blank=True
    )
    services = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("services and needs"), related_name="organisations", blank=True
    )
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives"), related_name="organisations", blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus, default=PublicationStatus.DRAFT, db_index=True
    )
    is_demo = models.BooleanField(
        _("demo record"), default=False, help_text=_("Fictional, for demonstration; labelled as such on public pages.")
    )
    # Officer-only contact details: many community groups are run by volunteers from home.
    # These never reach a public page, feed, export or API (PRIVATE_FIELDS; tests prove it).
    contact_name = models.CharField(
        _("contact person (officers only)"), max_length=120, blank=True, help_text=_("Never shown publicly.")
    )
    contact_phone = models.CharField(
        _("contact phone (officers only)"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("A personal number. Never shown publicly."),
    )
    contact_email = models.EmailField(
        _("contact email (officers only)"), blank=True, help_text=_("A personal address. Never shown publicly.")
    )
    # What it costs, the languages spoken and step-free access: Open Referral UK's cost_option,
    # language and accessibility, held on the organisation because the directory presents each
    # one as a single service at a single place (see ``Schedule``).
    cost_option = models.CharField(
        _("cost"), max_length=20, choices=CostOption, blank=True, help_text=_("Leave empty if not known.")
    )
    cost_amount = models.DecimalField(
        _("amount (£)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The fee, or the suggested donation, in pounds."),
    )
    cost_amount_description = models.CharField(
        _("about the cost"),
        max_length=300,
        blank=True,
        help_text=_("For example “per session”, or “free for under-16s”."),
    )
    languages = models.ManyToManyField(
        "Language", verbose_name=_("languages spoken"), related_name="organisations", blank=True
    )
    step_free_access = models.CharField(
        _("step-free access"), max_length=10, choices=StepFreeAccess, default=StepFreeAccess.NOT_KNOWN
    )
    accessibility_details = models.TextField(
        _("about access"),
        blank=True,
        help_text=_("For example “ramp at the side door; accessible toilet; hearing loop in the main hall”."),
    )

    objects = OrganisationQuerySet.as_manager()
    # Officer-only fields stay out of the history's public reach too: the history admin is
    # officer-only.
    history = ORGANISATION_HISTORY

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # The public lists: published organisations in case-insensitive name order.
            models.Index(F("status"), Lower("name"), "id", name="organisation_public_name_idx"),
            models.Index(fields=["kind"], name="organisation_kind_idx"),
            models.Index(fields=["postcode"], name="organisation_postcode_idx"),
            # The duplicate check (organisations.duplicates): name with district, charity number.
            models.Index(fields=["name_key", "postcode_outward"], name="organisation_name_key_idx"),
            models.Index(fields=["charity_number"], name="organisation_charity_idx"),
            # The directory's "Free" filter.
            models.Index(fields=["cost_option"], name="organisation_cost_idx"),
            # Open Referral UK harvesters ask for what changed since their last visit (modified_after).
            models.Index(fields=["status", "updated_at"], name="organisation_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_amount__isnull=True)
                | Q(cost_amount__gte=0, cost_option__in=[CostOption.DONATION, CostOption.FEE]),
                name="organisation_cost_amount_for_fee_or_donation",
                violation_error_message=_("Give an amount only for a fee or a donation, and not below £0."),
            ),
        ]
        # The full-text GIN index lives in migration 0002 (PostgreSQL only): see search.py.

    # Fields only officers may see: never on a public page, feed, export or API.
    PRIVATE_FIELDS = ("contact_name", "contact_phone", "contact_email")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def cost_summary(self) -> str:
        """What it costs in a few words: "Free", "Fee: £3.50 (per session)", "Donation: £2
        (suggested)"; empty when not known."""
        if not self.cost_option:
            return ""
        text = str(self.get_cost_option_display())
        if self.cost_amount is not None:
            amount = self.cost_amount
            text += f": £{amount:.0f}" if amount == amount.to_integral_value() else f": £{amount:.2f}"
        if self.cost_amount_description:
            text += f" ({self.cost_amount_description})"
        return text

    @property
    def step_free_access_known(self) -> bool:
        return self.step_free_access != StepFreeAccess.NOT_KNOWN

    def clean_fields(self, exclude=None) -> None:
        """Normalise identifiers before the field validators run on them."""
        self._normalise()
        super().clean_fields(exclude=exclude)

    def _normalise(self) -> None:
        self.postcode = normalise_postcode(self.postcode)
        self.charity_number = normalise_charity_number(self.charity_number)
        self.company_number = normalise_company_number(self.company_number)
        self.phone = normalise_phone(self.phone)
        self.contact_phone = normalise_phone(self.contact_phone)

    def save(self, *args, **kwargs) -> None:
        """Store identifiers in their canonical form and fill the postcode district and the
        name for matching."""
        self._normalise()
        self.postcode_outward = outward_code(self.postcode)
        self.name_key = name_key(self.name)[:200]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "postcode_outward", "name_key"}
        super().save(*args, **kwargs)


class NetworkStructure(models.TextChoices):
    """Whether a network's anchors are in tiers (lead and local, as in Kirklees) or peers (Leeds)."""

    TIERED = "tiered", _("Lead and local anchors")
    PEER = "peer", _("Anchors as peers")


class NetworkQuerySet(models.QuerySet["Network"]):
    """Chainable filters for networks (every network is public)."""

    def with_member(self, user: User | None) -> NetworkQuerySet:
        """Networks ``user`` is a member of: through an organisation with a current anchor role
        in it, or that coordinates it. Officers are members of every network."""
        if is_officer(user):
            return self.all()
        organisations = Organisation.objects.with_member(user)
        return self.filter(
            Q(pk__in=AnchorRole.objects.current().filter(organisation__in=organisations).values("network_id"))
            | Q(coordinator__in=organisations)
        )

    def with_lead_anchor_member(self, user: User | None) -> NetworkQuerySet:
        """Networks in which ``user`` belongs to a lead anchor (or a peer anchor, where the
        network has no tiers). Officers count for every network."""
        if is_officer(user):
            return self.all()
        roles = AnchorRole.objects.leading().filter(organisation__in=Organisation.objects.with_member(user))
        return self.filter(pk__in=roles.values("network_id"))


class Network(TimeStampedModel):
    """A community anchor network funded by a council, such as the Leeds Community Anchor
    Network (coordinated by Voluntary Action Leeds) or the Kirklees Community Anchor Network
    (coordinated by Third Sector Leaders Kirklees).

    Its contact details (email, phone, address, opening hours) are public: the network's front
    door, kept by officers. Like an organisation's, they are never a person's own."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    district = models.ForeignKey(
        Locality,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="networks",
        limit_choices_to={"kind": LocalityKind.DISTRICT},
    )
    coordinator = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_networks",
    )
    structure = models.CharField(_("structure"), max_length=20, choices=NetworkStructure, default=NetworkStructure.PEER)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The network's public front door: the coordinator's team, not a person (shown publicly).
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=30, blank=True, validators=[validate_phone])
    address = models.TextField(_("address"), blank=True, help_text=_("Postal address, with the postcode."))
    opening_hours = models.TextField(
        _("opening hours"),
        blank=True,
        help_text=_("When people can call or visit, in plain words, e.g. “Monday to Friday, 9am to 5pm”."),
    )

    objects = NetworkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:network_detail", kwargs={"slug": self.slug})

    @property
    def has_contact_details(self) -> bool:
        return bool(self.email or self.phone or self.address or self.opening_hours)

    def clean_fields(self, exclude=None) -> None:
        """Normalise the phone number before its validator runs on it."""
        self.phone = normalise_phone(self.phone)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs) -> None:
        self.phone = normalise_phone(self.phone)
        super().save(*args, **kwargs)

    @property
    def is_tiered(self) -> bool:
        return self.structure == NetworkStructure.TIERED

    def clean(self) -> None:
        """Refuse a change of structure while current anchor roles would no longer fit it (the
        database refuses it too: trigger rule 4)."""
        super().clean()
        misfits = self.anchor_roles.current().exclude(role__in=self.allowed_roles()).count() if self.pk else 0
        if misfits:
            raise ValidationError(
                {
                    "structure": ngettext(
                        "%(count)d current anchor role does not fit this structure. End or change "
                        "it first, then change the structure.",
                        "%(count)d current anchor roles do not fit this structure. End or change "
                        "them first, then change the structure.",
                        misfits,
                    )
                    % {"count": misfits}
                }
            )

    def allowed_roles(self) -> list[str]:
        """The anchor roles this network's structure allows."""
        if self.is_tiered:
            return [AnchorRoleKind.LEAD_ANCHOR, AnchorRoleKind.LOCAL_ANCHOR]
        return [AnchorRoleKind.ANCHOR]


class AnchorRoleQuerySet(models.QuerySet["AnchorRole"]):
    """Chainable filters for anchor roles."""

    def current(self) -> AnchorRoleQuerySet:
        """Roles of organisations that have not left (no date left recorded)."""
        return self.filter(left_on__isnull=True)

    def leads(self) -> AnchorRoleQuerySet:
        """Lead-anchor roles (current or not)."""
        return self.filter(role=AnchorRoleKind.LEAD_ANCHOR)

    def public(self) -> AnchorRoleQuerySet:
        """Roles of organisations residents may see."""
        return self.filter(OrganisationQuerySet.public_condition("organisation__"))

    def leading(self) -> AnchorRoleQuerySet:
        """Current roles that lead a place: lead-anchor roles, and plain anchor roles in
        networks without tiers (Leeds), where every anchor leads its own patch."""
        return self.current().filter(role__in=LEADING_ROLES)

    def leading_for(self, user: User | None) -> AnchorRoleQuerySet:
        """The leading roles (see ``leading``) of organisations ``user`` edits: what makes them
        a lead-anchor editor."""
        if not is_signed_in(user):
            return self.none()
        return self.leading().filter(organisation__in=Organisation.objects.with_member(user, editors_only=True))

    def covered_localities(self) -> LocalityQuerySet:
        """The localities these roles anchor, and every place inside them. One query to find
        the roles' places; the result is a queryset."""
        roots = list(Locality.objects.filter(anchor_roles__in=self).distinct())
        if not roots:
            return Locality.objects.none()
        inside = Q()
        for root in roots:
            inside |= Q(pk=root.pk) | Q(ancestor_path__startswith=root.descendant_prefix)
        return Locality.objects.filter(inside)


class AnchorRole(TimeStampedModel):
    """An organisation's place in a network: a lead anchor for an area, a local anchor under a
    lead anchor, or (in a network without tiers) an anchor for a ward.

    A role is *current* until its date left is recorded. The database holds the rules:
    one current lead anchor per locality per network, a local anchor always has a lead
    anchor (and nobody else does), and — by trigger, see migration 0003 — a current local
    anchor's lead is a current lead anchor of the same network, and the role fits the
    network's structure.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="anchor_roles"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="anchor_roles"
    )
    role = models.CharField(_("anchor role"), max_length=20, choices=AnchorRoleKind)
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("anchors locality"),
        on_delete=models.PROTECT,
        related_name="anchor_roles",
        help_text=_("The area or ward this organisation anchors."),
    )
    lead = models.ForeignKey(
        "self",
        verbose_name=_("lead anchor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_anchors",
        limit_choices_to={"role": AnchorRoleKind.LEAD_ANCHOR},
        help_text=_("For a local anchor only: the lead anchor it works under."),
    )
    joined_on = models.DateField(_("date joined"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("operating agreement signed"), null=True, blank=True)
    left_on = models.DateField(
        _("date left"), null=True, blank=True, help_text=_("Fill in when the organisation leaves this role.")
    )

    objects = AnchorRoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anchor role")
        verbose_name_plural = _("anchor roles")
        ordering = ["network__name", "locality__name", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "locality"],
                condition=Q(role=AnchorRoleKind.LEAD_ANCHOR, left_on__isnull=True),
                name="one_current_lead_anchor_per_locality",
                violation_error_message=_("This area already has a current lead anchor in this network."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "network", "locality"],
                condition=Q(left_on__isnull=True),
                name="one_current_role_per_organisation_locality",
                violation_error_message=_(
                    "This organisation already has a current role for this area in this network."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role=AnchorRoleKind.LOCAL_ANCHOR, lead__isnull=False)
                | (~Q(role=AnchorRoleKind.LOCAL_ANCHOR) & Q(lead__isnull=True)),
                name="only_local_anchors_have_a_lead",
                violation_error_message=_("A local anchor needs a lead anchor; other roles have none."),
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="anchor_role_left_after_joined",
                violation_error_message=_("The date left must be on or after the date joined."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "left_on"], name="anchor_role_org_current_idx"),
            models.Index(fields=["network", "role", "left_on"], name="anchor_role_network_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}, {self.locality} ({self.network})"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def is_lead_anchor(self) -> bool:
        return self.role == AnchorRoleKind.LEAD_ANCHOR

    def _stops_leading(self) -> bool:
        """True when this saved, current lead anchor is being ended, changed to another role or
        moved to another network (the change trigger rule 3 refuses while local anchors remain)."""
        before = AnchorRole.objects.filter(pk=self.pk).values("role", "left_on", "network_id").first()
        if not before or before["role"] != AnchorRoleKind.LEAD_ANCHOR or before["left_on"] is not None:
            return False
        return (
            self.role != AnchorRoleKind.LEAD_ANCHOR
            or self.left_on is not None
            or self.network_id != before["network_id"]
        )

    def clean(self) -> None:
        """Explain, in the form, the rules the database also enforces."""
        super().clean()
        errors: dict[str, str] = {}
        network = self.network if self.network_id else None
        if network and self.role and self.role not in network.allowed_roles():
            errors["role"] = _("%(network)s has %(structure)s: choose %(roles)s.") % {
                "network": network,
                "structure": network.get_structure_display().lower(),
                "roles": _(" or ").join(str(AnchorRoleKind(r).label).lower() for r in network.allowed_roles()),
            }
        if self.role == AnchorRoleKind.LOCAL_ANCHOR:
            if not self.lead_id:
                errors["lead"] = _("Choose the lead anchor this local anchor works under.")
            elif self.left_on is None:
                lead = self.lead
                if lead.role != AnchorRoleKind.LEAD_ANCHOR or not lead.is_current or lead.network_id != self.network_id:
                    errors["lead"] = _("Choose a current lead anchor of the same network.")
        elif self.lead_id:
            errors["lead"] = _("Only a local anchor has a lead anchor: leave this empty.")
        if self.pk and self._stops_leading():
            names = sorted(
                self.local_anchors.current().exclude(pk=self.pk).values_list("organisation__name", flat=True)
            )
            if names:
                shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
                errors["left_on" if self.left_on else "role"] = ngettext(
                    "%(names)s is still a current local anchor under this lead anchor. Move it to "
                    "another lead anchor (or record that it left) first.",
                    "%(names)s are still current local anchors under this lead anchor. Move them to "
                    "another lead anchor (or record that they left) first.",
                    len(names),
                ) % {"names": shown}
        if (
            self.locality_id
            and network
            and not (
                self.locality_id == network.district_id
                or self.locality.ancestor_path.startswith(f"/{network.district_id}/")
            )
        ):
            errors["locality"] = _("Choose a place within %(district)s.") % {"district": network.district}
        if errors:
            raise ValidationError(errors)


class MembershipRole(models.TextChoices):
    """What a person may do for an organisation: an editor changes its profile (and, for a lead
    anchor, its plans and meetings); a viewer reads its drafts and network meetings."""

    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(TimeStampedModel):
    """A person's membership of an organisation, e.g. a lead anchor's worker as its editor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole, default=MembershipRole.VIEWER)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.organisation}"


class ProfileRevisionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ProfileRevisionQuerySet(models.QuerySet["ProfileRevision"]):
    def pending(self) -> ProfileRevisionQuerySet:
        """Edits still waiting for an officer's review (one per organisation at most)."""
        return self.filter(status=ProfileRevisionStatus.PENDING)


class ProfileRevision(TimeStampedModel):
    """An edit to a published organisation's profile by a lead- or local-anchor editor, held for
    an officer's review before it goes live (as Outpost holds community edits). The public page
    keeps showing the approved version meanwhile.

    ``proposed`` and ``published`` hold the editable fields (``EDITABLE_FIELDS``) as JSON, many-
    to-many fields as sorted lists of ids: what the editor asked for, and what was live when
    they asked, so the officer sees exactly what changed.
    """

    EDITABLE_FIELDS = (
        "name",
        "kind",
        "description",
        "website",
        "email",
        "phone",
        "address",
        "postcode",
        "charity_number",
        "company_number",
        "localities",
        "services",
        "contact_name",
        "contact_phone",
        "contact_email",
    )

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="revisions"
    )
    proposed = models.JSONField(_("proposed profile"))
    published = models.JSONField(_("profile when the edit was made"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProfileRevisionStatus, default=ProfileRevisionStatus.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="submitted_profile_revisions",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_profile_revisions",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("note to the editor"), blank=True)

    objects = ProfileRevisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile edit for review")
        verbose_name_plural = _("profile edits for review")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status=ProfileRevisionStatus.PENDING),
                name="one_pending_profile_revision_per_organisation",
                violation_error_message=_("This organisation already has an edit waiting for review."),
            ),
        ]

    def __str__(self) -> str:
        return f"Edit to {self.organisation} ({self.get_status_display().lower()})"

    @property
    def is_pending(self) -> bool:
        return self.status == ProfileRevisionStatus.PENDING


class GroupSubmissionStatus(models.TextChoices):
    """Where a new group sent through "Add your group" is in its review: open until the
    reviewing anchor (or an officer) decides, once, to publish it, merge it into the
    organisation it duplicates, or decline it."""

    OPEN = "open", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    MERGED = "merged", _("Already listed")
    DECLINED = "declined", _("Declined")


class GroupSubmissionQuerySet(models.QuerySet["GroupSubmission"]):
    def visible_to(self, user: User | None) -> GroupSubmissionQuerySet:
        """Officers: all. The editors of the anchor a group was sent to (its ``reviewer``), and
        of the coordinator of a network in which that anchor holds a current role (ADR 0005:
        the coordinator manages its network's members). Nobody else: none. Submissions are
        never public: they carry the sender's contact details. Whoever sees one may decide it
        (``permissions.can_decide_group_submission``)."""
        if is_officer(user):
            return self.all()
        editing = Organisation.objects.with_member(user, editors_only=True).values("pk")
        coordinated = AnchorRole.objects.current().filter(
            organisation=OuterRef("reviewer"), network__coordinator__in=editing
        )
        return self.filter(Q(reviewer__in=editing) | Exists(coordinated))

    def open(self) -> GroupSubmissionQuerySet:
        """Not decided yet: the review queue."""
        return self.filter(status=GroupSubmissionStatus.OPEN)

    def decided(self) -> GroupSubmissionQuerySet:
        """Published, merged or declined."""
        return self.exclude(status=GroupSubmissionStatus.OPEN)

    def past_retention(self, now: datetime.datetime | None = None) -> GroupSubmissionQuerySet:
        """Decided more than ``GROUP_SUBMISSION_RETENTION_DAYS`` days before ``now`` (the current
        time unless given): their sender's contact details are due for erasure
        (``organisations.privacy``). Open submissions are never due, however old."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.GROUP_SUBMISSION_RETENTION_DAYS)
        return self.decided().filter(decided_at__lt=cutoff)


class GroupSubmission(TimeStampedModel):
    """A new group sent through the public "Add your group" form: its profile, held as a draft
    ``Organisation`` (never public until someone publishes it after review), the anchor whose
    review queue it is in (the anchor for its area, ``engagement.routing``; empty when nobody
    covers the area, so only officers see it) and the person who sent it.

    The sender's details are personal data for the reviewer's questions only
    (``PRIVATE_FIELDS``): never on a public page, and not copied into the draft's officer-only
    contact fields, which are the group's own.
    """

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("group (draft)"), on_delete=models.PROTECT, related_name="submission"
    )
    reviewer = models.ForeignKey(
        Organisation,
        verbose_name=_("anchor reviewing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_submissions_to_review",
        help_text=_("The anchor for the group's area. Empty: nobody covers it, officers review it."),
    )
    locality = models.ForeignKey(
        Locality, verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitter_name = models.CharField(_("sent by"), max_length=120)
    submitter_email = models.EmailField(_("sender's email"))
    submitter_phone = models.CharField(_("sender's phone"), max_length=30, blank=True, validators=[validate_phone])
    # Names of public organisations the sender was warned about and chose to send anyway.
    warned_about = models.TextField(_("duplicates the sender was shown"), blank=True)
    status = models.CharField(
        _("decision"), max_length=20, choices=GroupSubmissionStatus, default=GroupSubmissionStatus.OPEN
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_group_submissions",
    )
    duplicate_of = models.ForeignKey(
        Organisation,
        verbose_name=_("already listed as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_group_submissions",
        help_text=_("For a group already in the directory: the organisation it duplicates."),
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=500, blank=True)

    objects = GroupSubmissionQuerySet.as_manager()
    history = HistoricalRecords()

    PRIVATE_FIELDS = ("submitter_name", "submitter_email", "submitter_phone")

    class Meta:
        verbose_name = _("new group for review")
        verbose_name_plural = _("new groups for review")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["reviewer", "created_at"], name="group_submission_reviewer_idx"),
            # The queue's filter (open or decided, newest first) and the daily retention job.
            models.Index(fields=["status", "created_at"], name="group_submission_status_idx"),
            models.Index(fields=["decided_at"], name="group_submission_decided_idx"),
            # The officers' "Find a person's data" (a case-insensitive email match).
            models.Index(Upper("submitter_email"), name="group_submission_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=GroupSubmissionStatus.OPEN, decided_at__isnull=True)
                | (~Q(status=GroupSubmissionStatus.OPEN) & Q(decided_at__isnull=False)),
                name="group_submission_decided_when_decided",
                violation_error_message=_("A decided group needs the time it was decided, and only then."),
            ),
            models.CheckConstraint(
                condition=Q(status=GroupSubmissionStatus.MERGED, duplicate_of__isnull=False)
                | (~Q(status=GroupSubmissionStatus.MERGED) & Q(duplicate_of__isnull=True)),
                name="group_submission_merged_names_organisation",
                violation_error_message=_("A group already listed needs the organisation it duplicates."),
            ),
            models.CheckConstraint(
                condition=~Q(status=GroupSubmissionStatus.DECLINED) | ~Q(decline_reason=""),
                name="group_submission_declined_with_reason",
                violation_error_message=_("A declined group needs the reason."),
            ),
        ]

    def __str__(self) -> str:
        return _("New group: %(name)s") % {"name": self.organisation.name}

    def get_absolute_url(self) -> str:
        return reverse("organisations:new_group_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == GroupSubmissionStatus.OPEN

    @property
    def was_published(self) -> bool:
        return self.status == GroupSubmissionStatus.PUBLISHED

    @property
    def was_merged(self) -> bool:
        return self.status == GroupSubmissionStatus.MERGED

    @property
    def was_declined(self) -> bool:
        return self.status == GroupSubmissionStatus.DECLINED

    @property
    def contacts_erased(self) -> bool:
        """Whether the sender's contact details have been erased (retention or a UK GDPR
        request): the form requires a name and an email, so both blank means erased."""
        return not self.submitter_name and not self.submitter_email


# ------------------------------------------------------------------------------
# When an organisation is open, and the languages spoken there (Open Referral UK)
# ------------------------------------------------------------------------------
class Weekday(models.TextChoices):
    """A day of the week as its iCalendar (RFC 5545) BYDAY code, which HSDS ``schedule.byday``
    uses. ``WEEKDAYS[date.weekday()]`` is a date's code (Monday is 0 in Python)."""

    MONDAY = "MO", _("Monday")
    TUESDAY = "TU", _("Tuesday")
    WEDNESDAY = "WE", _("Wednesday")
    THURSDAY = "TH", _("Thursday")
    FRIDAY = "FR", _("Friday")
    SATURDAY = "SA", _("Saturday")
    SUNDAY = "SU", _("Sunday")


WEEKDAYS: list[str] = [day.value for day in Weekday]


def on_day(day: datetime.date, prefix: str = "") -> Q:
    """The condition on ``Schedule`` rows (through ``prefix``, e.g. ``"schedules__"``) for an
    opening on the calendar date ``day``: its weekday, and in force on that date."""
    return (
        Q(**{f"{prefix}byday": WEEKDAYS[day.weekday()]})
        & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day}))
    )


# ISO 639-1 codes where there is one, ISO 639-3 otherwise (British Sign Language is "bfi").
_LANGUAGE_CODE = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    _("Enter an ISO 639 code in lower case, such as “ur” for Urdu or “bfi” for British Sign Language."),
)


class Language(TimeStampedModel):
    """A language an organisation's people can speak with residents, British Sign Language
    included (HSDS 3.0 *language*: ``code`` is ISO 639, ``name`` its English name; the UK
    profile's language table links it to a service, ours to the organisation). Officers keep
    the list; migration 0011 seeds the languages most spoken in Leeds and Kirklees."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("ISO 639 code"), max_length=20, unique=True, validators=[_LANGUAGE_CODE])
    name = models.CharField(_("name"), max_length=80, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduleQuerySet(models.QuerySet["Schedule"]):
    def regular(self) -> ScheduleQuerySet:
        """Weekly openings people can walk in to: a day and times, not by appointment."""
        return self.filter(by_appointment=False, opens_at__isnull=False).exclude(byday="")

    def not_ended(self, today: datetime.date) -> ScheduleQuerySet:
        """Openings still in force on ``today`` or later (a past season is left out)."""
        return self.exclude(valid_to__lt=today)

    def in_week_order(self) -> ScheduleQuerySet:
        """Monday first, then by opening time (``Schedule.weekday_index`` in SQL): ``byday`` holds
        iCalendar codes, which sort alphabetically from Friday. Rows with no day come last."""
        day = Case(
            *(When(byday=code, then=Value(index)) for index, code in enumerate(WEEKDAYS)),
            default=Value(len(WEEKDAYS)),
            output_field=models.IntegerField(),
        )
        return self.order_by(day, "opens_at", "pk")


class Schedule(TimeStampedModel):
    """One weekly opening of an organisation (HSDS 3.0 *schedule* with ``freq`` WEEKLY): a day
    (``byday``, one iCalendar code), the times it opens and closes (local wall-clock times in
    Europe/London), optionally only between two dates (a season: ``valid_from``/``valid_to``,
    both included), and notes. "Monday to Friday" is five rows, so that "open now" is one
    indexed lookup.

    ``by_appointment`` marks times when people must book first (HSDS ``attending_type``); such
    a row may leave out the day and times ("by appointment at other times"). HSDS hangs a
    schedule off a service or a location; the directory presents each organisation as one
    service at one place, so it hangs off the organisation. Openings past midnight are not
    modelled: closing is after opening on the same day.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="schedules"
    )
    byday = models.CharField(_("day"), max_length=2, choices=Weekday, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True, help_text=_("For example 10:00."))
    closes_at = models.TimeField(_("closes at"), null=True, blank=True, help_text=_("For example 14:00."))
    valid_from = models.DateField(_("from"), null=True, blank=True, help_text=_("For a season only: the first day."))
    valid_to = models.DateField(_("until"), null=True, blank=True, help_text=_("For a season only: the last day."))
    by_appointment = models.BooleanField(_("by appointment"), default=False)
    notes = models.CharField(
        _("notes"), max_length=200, blank=True, help_text=_("For example “term time only” or “drop in”.")
    )

    objects = ScheduleQuerySet.as_manager()
    history = HistoricalRecords()

    # What an organisation's editors change in the profile editor (``forms.ScheduleForm``).
    EDITABLE_FIELDS = ("byday", "opens_at", "closes_at", "by_appointment", "valid_from", "valid_to", "notes")

    class Meta:
        verbose_name = _("opening time")
        verbose_name_plural = _("opening times")
        # By the organisation's id, not its name: ordering through the organisation would join its
        # table on every lookup, and every reader puts the rows in weekday order itself
        # (``opening.opening_lines``, the API). The admin's list orders by name (ScheduleAdmin).
        ordering = ["organisation_id", "byday", "opens_at"]
        indexes = [
            # "Open now" and "open this weekend": the day, then the times, for each organisation.
            models.Index(fields=["byday", "opens_at", "closes_at"], name="schedule_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False, closes_at__gt=F("opens_at")),
                name="schedule_closes_after_it_opens",
                violation_error_message=_("Give both times, and a closing time after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(by_appointment=True) | (~Q(byday="") & Q(opens_at__isnull=False)),
                name="schedule_regular_has_day_and_times",
                violation_error_message=_("Choose the day and give the times, or tick “by appointment”."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="schedule_valid_to_after_from",
                violation_error_message=_("The last day must be on or after the first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_byday_display() or _('by appointment')}"

    def ended_by(self, today: datetime.date) -> bool:
        """Whether its season ended before ``today`` (``ScheduleQuerySet.not_ended`` in Python,
        for prefetched rows)."""
        return self.valid_to is not None and self.valid_to < today

    @property
    def weekday_index(self) -> int:
        """0 for Monday to 6 for Sunday; 7 for a row with no day (listed last)."""
        return WEEKDAYS.index(self.byday) if self.byday else len(WEEKDAYS)
