"""What officers export from the admin and import back (django-import-export): organisations
and anchor roles, as CSV or XLSX, one row each, with the admin's search and filters applied.

Columns use Open Referral UK (HSDS 3.0) names where the standard has one (``id`` is the
record's stable UUID, ``url`` the website; see ../shared/hsds in development), so a later
import or API can read what an export wrote. Officer-only contact fields
(``Organisation.PRIVATE_FIELDS``) are never exported nor imported: a spreadsheet leaves the
audited system, and a volunteer's name and personal phone must not travel with it.

An organisations file imports as it was exported (docs/import.md): rows are matched to the
records they describe, never re-created (``OrganisationResource.get_instance``).
"""

from __future__ import annotations

import difflib
import uuid as uuid_module

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.exports import ExportResource
from core.imports import ChoiceWidget, ImportResource
from core.models import PublicationStatus
from core.validators import normalise_charity_number, normalise_company_number, normalise_postcode, outward_code
from localities.models import Locality, LocalityKind, path_ids

from .models import (
    ORGANISATION_HISTORY,
    AnchorRole,
    AnchorRoleKind,
    Network,
    Organisation,
    OrganisationKind,
    TaxonomyTerm,
    name_key,
)
from .services import unique_slug

# How alike two names must be (difflib's ratio of their ``name_key``s, 0 to 1) for a new row to
# be flagged as a possible duplicate of a record in the same postcode district. 0.85 catches
# "Batley Foodbank" against "Batley Food Bank" and a letter's typo, not "Batley Youth Club"
# against "Batley Bowls Club" (0.79).
NEAR_MATCH_RATIO = 0.85

LIST_SEPARATOR = ";"


def split_list(value) -> list[str]:
    """``"Armley; Bramley"`` → ``["Armley", "Bramley"]``: a cell listing several things."""
    return [part.strip() for part in str(value or "").split(LIST_SEPARATOR) if part.strip()]


ROLE_PARTS_SEPARATOR = "|"
LEAD_PREFIX = "lead:"


def _role_text(role: AnchorRole) -> str:
    parts = [role.network.name, str(role.get_role_display()), role.locality.name]
    if role.lead_id:
        parts.append(f"{LEAD_PREFIX} {role.lead.organisation.name}")
    return f" {ROLE_PARTS_SEPARATOR} ".join(parts)


class LocalityDirectory:
    """Every locality, loaded once for a whole import (one query), found by GSS code or by
    name within a council: the rules of issue 17 — a ward of another council is refused with
    the reason, a name we do not hold is reported, and nothing is guessed."""

    def __init__(self):
        self.places = list(Locality.objects.only("pk", "name", "kind", "gss_code", "ancestor_path", "valid_to"))
        self.by_pk = {place.pk: place for place in self.places}
        self.by_code = {place.gss_code.upper(): place for place in self.places if place.gss_code}
        self.by_name: dict[str, list[Locality]] = {}
        for place in self.places:
            self.by_name.setdefault(name_key(place.name), []).append(place)

    def council_of(self, place: Locality) -> Locality:
        """The district a place lies in (itself, for a district)."""
        ids = path_ids(place.ancestor_path)
        return self.by_pk[ids[0]] if ids else place

    def councils(self, value) -> list[Locality]:
        """The districts named in a ``council`` cell (names or GSS codes).

        Raises:
            ValidationError: a council we do not hold.
        """
        found = []
        for text in split_list(value):
            place = self.by_code.get(text.upper()) or next(
                (p for p in self.by_name.get(name_key(text), []) if p.kind == LocalityKind.DISTRICT), None
            )
            if place is None or place.kind != LocalityKind.DISTRICT:
                raise ValidationError(_("“%(name)s” is not a council we hold.") % {"name": text})
            found.append(place)
        return found

    def by_gss_code(self, text: str) -> Locality:
        """Raises ValidationError for a code we do not hold."""
        place = self.by_code.get(text.strip().upper())
        if place is None:
            raise ValidationError(
                _("No area or ward has the GSS code “%(code)s”: check it (nothing was guessed).") % {"code": text}
            )
        return place

    def by_place_name(self, text: str, councils: list[Locality]) -> Locality:
        """The place called ``text`` (any case, spacing, "St"/"Saint"...), in one of
        ``councils`` if any are given; a current place rather than an ended one of the same name.

        Raises:
            ValidationError: no such place; a place of another council; more than one.
        """
        candidates = self.by_name.get(name_key(text), [])
        if not candidates:
            raise ValidationError(
                _(
                    "“%(name)s” is not an area or ward we hold: check the spelling or give its GSS code "
                    "(nothing was guessed)."
                )
                % {"name": text}
            )
        if councils:
            inside = [p for p in candidates if self.council_of(p) in councils]
            if not inside:
                raise ValidationError(
                    _("“%(name)s” is in %(other)s, not in %(council)s: it cannot be served under this council.")
                    % {
                        "name": text,
                        "other": " and ".join(sorted({self.council_of(p).name for p in candidates})),
                        "council": " or ".join(c.name for c in councils),
                    }
                )
            candidates = inside
        today = timezone.localdate()
        current = [p for p in candidates if p.valid_to is None or p.valid_to >= today]
        candidates = current or candidates
        if len(candidates) > 1:
            raise ValidationError(
                _("“%(name)s” could be %(places)s: give its GSS code or the council.")
                % {
                    "name": text,
                    "places": _(" or ").join(
                        f"{p.name} ({self.council_of(p).name}, {p.get_kind_display()})" for p in candidates
                    ),
                }
            )
        return candidates[0]


class NameDirectory:
    """Every organisation's name, postcode and id, loaded once for a whole import (one query),
    to flag a new row that may be a record we hold (``near``). A per-row query of the
    postcode district, compared name by name, cost a query and up to 200 ``SequenceMatcher``
    ratios a row, and missed matches in a district of more than 200 organisations."""

    def __init__(self):
        self.by_pk: dict[int, Organisation] = {}
        self.by_key: dict[str, list[Organisation]] = {}
        self.by_district: dict[str, dict[str, list[Organisation]]] = {}
        # What ``OrganisationResource.get_instance`` matches a row by, each to the ids that have
        # it: a row that matches nothing (most of a large file) then costs no query.
        self.matches: dict[tuple[str, str], set[int]] = {}
        self._match_keys: dict[int, list[tuple[str, str]]] = {}
        fields = ("pk", "uuid", "name", "name_key", "postcode", "postcode_outward", "charity_number", "company_number")
        for organisation in Organisation.objects.only(*fields):
            self.add(organisation)
            self.index(organisation)

    def index(self, organisation: Organisation) -> None:
        """Hold (or, saved again, hold afresh) what ``organisation`` is matched by: its charity
        number, company number, and ``name_key`` with postcode."""
        pk = organisation.pk
        for key in self._match_keys.pop(pk, []):
            self.matches[key].discard(pk)
        keys = [
            ("charity", organisation.charity_number),
            ("company", organisation.company_number),
            ("name", f"{organisation.name_key}|{organisation.postcode}"),
        ]
        keys = [key for key in keys if key[1] and not key[1].startswith("|") and not key[1].endswith("|")]
        for key in keys:
            self.matches.setdefault(key, set()).add(pk)
        self._match_keys[pk] = keys

    def first_match(self, kind: str, value: str) -> int | None:
        """The lowest id (the oldest record) matched by ``kind`` (``charity``, ``company`` or
        ``name``: ``"name_key|postcode"``) ``value``; ``None`` for none."""
        found = self.matches.get((kind, value))
        return min(found) if found else None

    def add(self, organisation: Organisation) -> None:
        """Hold ``organisation`` (saved) too; one already held is left as it was loaded."""
        if organisation.pk is None or organisation.pk in self.by_pk or not organisation.name_key:
            return
        self.by_pk[organisation.pk] = organisation
        self.by_key.setdefault(organisation.name_key, []).append(organisation)
        if organisation.postcode_outward:
            district = self.by_district.setdefault(organisation.postcode_outward, {})
            district.setdefault(organisation.name_key, []).append(organisation)

    def near(self, key: str, district: str) -> list[Organisation]:
        """The organisations whose ``name_key`` is ``key`` (anywhere) or, in postcode
        ``district`` (``LS12``; ``""`` for none), at least ``NEAR_MATCH_RATIO`` alike
        (``difflib.get_close_matches``, which sets most names aside by its quick upper bounds
        before computing a ratio), in name order."""
        if not key:
            return []
        found = {o.pk: o for o in self.by_key.get(key, [])}
        names = self.by_district.get(district, {}) if district else {}
        for close in difflib.get_close_matches(key, names, n=max(len(names), 1), cutoff=NEAR_MATCH_RATIO):
            found.update((o.pk, o) for o in names[close])
        return sorted(found.values(), key=lambda o: (o.name, o.pk))


class OrganisationResource(ImportResource):
    """One row per organisation (Open Referral *organization*), for export and import.

    On import each row is matched to the organisation it describes (``get_instance``), and
    ``areas_served``/``area_gss_codes``/``council`` and ``taxonomy_terms`` are read against
    the localities and terms we hold (unknown ones refused, never created).
    """

    id = fields.Field(attribute="uuid", column_name="id", readonly=True)
    name = fields.Field(attribute="name", column_name="name")
    slug = fields.Field(attribute="slug", column_name="slug")
    # An empty kind, status or is_demo leaves the record's own (a new one's default).
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(OrganisationKind.choices), saves_null_values=False
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(PublicationStatus.choices, render_labels=False),
        saves_null_values=False,
    )
    description = fields.Field(attribute="description", column_name="description")
    url = fields.Field(attribute="website", column_name="url")
    email = fields.Field(attribute="email", column_name="email")
    phone = fields.Field(attribute="phone", column_name="phone")
    address = fields.Field(attribute="address", column_name="address")
    postcode = fields.Field(attribute="postcode", column_name="postcode")
    charity_number = fields.Field(attribute="charity_number", column_name="charity_number")
    company_number = fields.Field(attribute="company_number", column_name="company_number")
    council = fields.Field(column_name="council", readonly=True)
    areas_served = fields.Field(
        attribute="localities",
        column_name="areas_served",
        widget=widgets.ManyToManyWidget(Locality, field="name", separator="; "),
        readonly=True,
    )
    area_codes = fields.Field(column_name="area_gss_codes", readonly=True)
    services = fields.Field(
        attribute="services",
        column_name="taxonomy_terms",
        widget=widgets.ManyToManyWidget(TaxonomyTerm, field="name", separator="; "),
        readonly=True,
    )
    anchor_roles = fields.Field(column_name="anchor_roles", readonly=True)
    is_demo = fields.Field(
        attribute="is_demo", column_name="is_demo", widget=widgets.BooleanWidget(), saves_null_values=False
    )
    last_modified = fields.Field(column_name="last_modified", readonly=True)

    required_columns = ("name",)
    history_records = ORGANISATION_HISTORY

    class Meta(ImportResource.Meta):
        model = Organisation
        # Only the fields declared above, in this order: a field added to the model later is
        # not exported until someone decides it may be (the officer-only ones never may).
        fields = (
            "id",
            "name",
            "slug",
            "kind",
            "status",
            "description",
            "url",
            "email",
            "phone",
            "address",
            "postcode",
            "charity_number",
            "company_number",
            "council",
            "areas_served",
            "area_codes",
            "services",
            "anchor_roles",
            "is_demo",
            "last_modified",
        )
        export_order = fields

    # -- Export ------------------------------------------------------------------
    def dehydrate_area_codes(self, organisation: Organisation) -> str:
        """ONS GSS codes of the areas served that have one, ``; ``-separated."""
        return "; ".join(place.gss_code for place in organisation.localities.all() if place.gss_code)

    def dehydrate_council(self, organisation: Organisation) -> str:
        """The councils (districts) the areas served lie in, by name, ``; ``-separated: what an
        import reads the area names within."""
        ids = {(path_ids(place.ancestor_path) or [place.pk])[0] for place in organisation.localities.all()}
        return "; ".join(sorted(self._district_names().get(pk, "") for pk in ids))

    def _district_names(self) -> dict[int, str]:
        if not hasattr(self, "_districts"):
            self._districts = dict(Locality.objects.filter(kind=LocalityKind.DISTRICT).values_list("pk", "name"))
        return self._districts

    def dehydrate_anchor_roles(self, organisation: Organisation) -> str:
        """The current anchor roles, ``; ``-separated, each ``network | role | place`` and, for a
        local anchor, ``| lead: organisation`` (``read_anchor_role`` reads them back)."""
        if organisation.pk is None:
            return ""
        roles = getattr(organisation, "current_anchor_roles", None)
        if roles is None:
            roles = organisation.anchor_roles.current().select_related("network", "locality", "lead__organisation")
        return "; ".join(_role_text(role) for role in sorted(roles, key=_role_text))

    def dehydrate_last_modified(self, organisation: Organisation) -> str:
        """ISO 8601 in UTC, as Open Referral's ``last_modified`` (``2026-12-01T21:35:08+00:00``)."""
        return organisation.updated_at.isoformat(timespec="seconds")

    # -- Import: which record a row describes --------------------------------------
    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.places = LocalityDirectory()
        self.names = NameDirectory()
        self.headers = set(dataset.headers or [])

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        # A later row of the same file may repeat one added above it: flag it as the database
        # would have.
        self.names.add(instance)
        self.names.index(instance)

    def get_instance(self, instance_loader, row):
        """The organisation a row describes, tried in order: its ``id`` (UUID); its charity
        number; its company number; its ``name_key`` with the same full postcode. ``None``
        (a new organisation) otherwise, with any near match noted for the officer
        (``note_near_matches``): never merged by a guess."""
        raw_id = str(row.get("id") or "").strip()
        if raw_id:
            try:
                wanted = uuid_module.UUID(raw_id)
            except ValueError as exc:
                raise ValidationError(
                    {"id": _("“%(value)s” is not an id from an export (a UUID).") % {"value": raw_id}}
                ) from exc
            found = Organisation.objects.filter(uuid=wanted).first()
            if found:
                self.note(_("Matched by id."))
                return found
        # Matched in the file's directory of organisations (``NameDirectory.first_match``), then
        # read: a row that matches nothing costs no query.
        charity = normalise_charity_number(str(row.get("charity_number") or ""))
        if charity and (pk := self.names.first_match("charity", charity)):
            self.note(_("Matched by charity number %(number)s.") % {"number": charity})
            return Organisation.objects.get(pk=pk)
        company = normalise_company_number(str(row.get("company_number") or ""))
        if company and (pk := self.names.first_match("company", company)):
            self.note(_("Matched by company number %(number)s.") % {"number": company})
            return Organisation.objects.get(pk=pk)
        key = name_key(str(row.get("name") or ""))
        postcode = normalise_postcode(str(row.get("postcode") or ""))
        if key and postcode:
            pk = self.names.first_match("name", f"{key}|{postcode}")
            found = Organisation.objects.get(pk=pk) if pk else None
            if found:
                self.note(
                    _("Matched by name and postcode (as “%(name)s”, %(postcode)s).")
                    % {"name": found.name, "postcode": postcode}
                )
                return found
        self.note_near_matches(key, postcode)
        return None

    def note_near_matches(self, key: str, postcode: str) -> None:
        """Note organisations that may be the one a new row describes: the same ``name_key``
        anywhere, or a name at least ``NEAR_MATCH_RATIO`` alike in the same postcode district
        (``NameDirectory.near``: no query)."""
        for other in self.names.near(key, outward_code(postcode)):
            self.note(
                _(
                    "Possible duplicate of “%(name)s” (%(postcode)s): it will be added as a new "
                    "organisation. If it is the same, put %(id)s in the id column and import again."
                )
                % {"name": other.name, "postcode": other.postcode or _("no postcode"), "id": other.uuid}
            )

    def init_instance(self, row=None):
        instance = Organisation()
        raw_id = str((row or {}).get("id") or "").strip()
        if raw_id:
            instance.uuid = uuid_module.UUID(raw_id)  # get_instance has checked it
            self.note(_("No organisation has this id: it will be added with it."))
        return instance

    # -- Import: values ----------------------------------------------------------------
    def import_related(self, instance, row, errors):
        """A slug for a new organisation, and the row's areas and services."""
        if not instance.slug:
            instance.slug = unique_slug(instance.name)
        instance._imported_places = self._read_places(row, errors)
        instance._imported_services = self._read_services(row, errors)
        instance._imported_roles = self._read_roles(row, errors)

    def _read_places(self, row, errors) -> list[Locality] | None:
        """The localities a row names (``None`` when the file has no such columns: left as
        they are). GSS codes first; names (``areas_served``) not already given by a code are
        read within the row's ``council``."""
        if not self.headers & {"areas_served", "area_gss_codes"}:
            return None
        found: dict[int, Locality] = {}
        problems: list[str] = []
        try:
            councils = self.places.councils(row.get("council"))
        except ValidationError as exc:
            errors.setdefault("council", []).extend(exc.messages)
            return None
        for code in split_list(row.get("area_gss_codes")):
            try:
                place = self.places.by_gss_code(code)
                found[place.pk] = place
            except ValidationError as exc:
                problems.extend(exc.messages)
        given = {name_key(place.name) for place in found.values()}
        for text in split_list(row.get("areas_served")):
            if name_key(text) in given:
                continue
            try:
                place = self.places.by_place_name(text, councils)
                found[place.pk] = place
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            errors.setdefault("areas_served", []).extend(problems)
        return list(found.values())

    def _read_services(self, row, errors) -> list[TaxonomyTerm] | None:
        """The service terms a row names, by name (any case): ``None`` when the file has no
        ``taxonomy_terms`` column. A term we do not hold is refused, not created."""
        if "taxonomy_terms" not in self.headers:
            return None
        if not hasattr(self, "_terms"):
            self._terms: dict[str, list[TaxonomyTerm]] = {}
            for term in TaxonomyTerm.objects.services().select_related("taxonomy"):
                self._terms.setdefault(term.name.casefold(), []).append(term)
        found = []
        for text in split_list(row.get("taxonomy_terms")):
            terms = self._terms.get(text.casefold(), [])
            if len(terms) == 1:
                found.append(terms[0])
            elif not terms:
                errors.setdefault("taxonomy_terms", []).append(
                    _("“%(name)s” is not a service term we hold.") % {"name": text}
                )
            else:
                errors.setdefault("taxonomy_terms", []).append(
                    _("“%(name)s” is a term of several taxonomies: %(taxonomies)s.")
                    % {"name": text, "taxonomies": ", ".join(t.taxonomy.name for t in terms)}
                )
        return found

    def _read_roles(self, row, errors) -> list[AnchorRole] | None:
        """The anchor roles a row names (unsaved, without the organisation): ``None`` when the
        file has no ``anchor_roles`` column. Roles the file leaves out are not ended: an import
        adds roles, an officer ends them."""
        if "anchor_roles" not in self.headers:
            return None
        roles = []
        for text in split_list(row.get("anchor_roles")):
            try:
                roles.append(self.read_anchor_role(text))
            except ValidationError as exc:
                errors.setdefault("anchor_roles", []).extend(exc.messages)
        return roles

    def read_anchor_role(self, text: str) -> AnchorRole:
        """``"Kirklees Anchor Network | Local anchor | Batley East | lead: Batley Hub"`` as an
        unsaved AnchorRole: the network by name, the role by label, the place by name or GSS
        code within the network's council, the lead by its organisation's name (a current lead
        anchor of that network).

        Raises:
            ValidationError: a part missing or not held, with which.
        """
        parts = [part.strip() for part in text.split(ROLE_PARTS_SEPARATOR)]
        if len(parts) not in (3, 4):
            raise ValidationError(
                _("“%(text)s” is not a role: write it as network | role | place (| lead: organisation).")
                % {"text": text}
            )
        network = self._networks().get(parts[0].casefold())
        if network is None:
            raise ValidationError(_("“%(name)s” is not a network we hold.") % {"name": parts[0]})
        try:
            kind = ChoiceWidget(AnchorRoleKind.choices).clean(parts[1])
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        place_text = parts[2]
        place = (
            self.places.by_gss_code(place_text)
            if place_text.upper() in self.places.by_code
            else self.places.by_place_name(place_text, [self.places.by_pk[network.district_id]])
        )
        role = AnchorRole(network=network, role=kind, locality_id=place.pk)
        if len(parts) == 4:
            lead_name = parts[3].removeprefix(LEAD_PREFIX).strip()
            leads = list(
                AnchorRole.objects.current()
                .filter(network=network, role=AnchorRoleKind.LEAD_ANCHOR, organisation__name_key=name_key(lead_name))
                .filter(locality_id__in=[place.pk, *path_ids(place.ancestor_path)])
            )
            if len(leads) != 1:
                raise ValidationError(
                    _("“%(name)s” is not a current lead anchor of %(network)s for %(place)s.")
                    % {"name": lead_name, "network": network.name, "place": place.name}
                )
            role.lead = leads[0]
        return role

    def _networks(self) -> dict[str, Network]:
        """Every network by its name in any case, read once for the file (an import names the
        same few networks on row after row, and never adds one)."""
        if not hasattr(self, "_networks_by_name"):
            self._networks_by_name: dict[str, Network] = {}
            for network in Network.objects.order_by("pk"):
                self._networks_by_name.setdefault(network.name.casefold(), network)
        return self._networks_by_name

    def _missing_roles(self, instance: Organisation) -> list[AnchorRole]:
        wanted = getattr(instance, "_imported_roles", None)
        if not wanted:
            return []
        held = set()
        if instance.pk:
            held = set(instance.anchor_roles.current().values_list("network_id", "locality_id", "role"))
        return [role for role in wanted if (role.network_id, role.locality_id, role.role) not in held]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        if self._missing_roles(instance):
            return False
        # The areas and services are read apart from the fields: unchanged only if they are too.
        for attribute, relation in (("_imported_places", "localities"), ("_imported_services", "services")):
            wanted = getattr(instance, attribute, None)
            if wanted is not None and {obj.pk for obj in wanted} != set(
                getattr(instance, relation).values_list("pk", flat=True)
            ):
                return False
        return True

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if getattr(instance, "_imported_places", None) is not None:
            self.set_links(instance, "localities", instance._imported_places)
        if getattr(instance, "_imported_services", None) is not None:
            self.set_links(instance, "services", instance._imported_services)
        for role in self._missing_roles(instance):
            role.organisation = instance
            # The model's own rules (network structure, place within the district, a local
            # anchor's lead): a refusal makes the row invalid and the whole file roll back.
            role.full_clean()
            role._history_user = getattr(instance, "_history_user", None)
            role._change_reason = getattr(instance, "_change_reason", None)
            role.save()


class AnchorRoleResource(ExportResource):
    """One row per anchor role: who anchors where, in which network, since when."""

    organisation_id = fields.Field(attribute="organisation__uuid", column_name="organization_id", readonly=True)
    organisation = fields.Field(attribute="organisation__name", column_name="organization_name", readonly=True)
    network = fields.Field(attribute="network__name", column_name="network", readonly=True)
    role = fields.Field(attribute="get_role_display", column_name="role", readonly=True)
    locality = fields.Field(attribute="locality__name", column_name="area", readonly=True)
    locality_code = fields.Field(attribute="locality__gss_code", column_name="area_gss_code", readonly=True)
    lead = fields.Field(attribute="lead__organisation__name", column_name="lead_anchor", readonly=True)
    joined_on = fields.Field(attribute="joined_on", column_name="joined_on", widget=widgets.DateWidget("%Y-%m-%d"))
    agreement_signed_on = fields.Field(
        attribute="agreement_signed_on", column_name="agreement_signed_on", widget=widgets.DateWidget("%Y-%m-%d")
    )
    left_on = fields.Field(attribute="left_on", column_name="left_on", widget=widgets.DateWidget("%Y-%m-%d"))

    class Meta:
        model = AnchorRole
        fields = (
            "organisation_id",
            "organisation",
            "network",
            "role",
            "locality",
            "locality_code",
            "lead",
            "joined_on",
            "agreement_signed_on",
            "left_on",
        )
        export_order = fields
