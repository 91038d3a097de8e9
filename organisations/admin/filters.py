"""The organisations admin's list filters."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from localities.admin import DistrictFilter, current_q, localities_as_tree, pk_param
from localities.models import Locality, LocalityKind

from ..models import AnchorRole, AnchorRoleKind, Network


class NetworkFilter(admin.SimpleListFilter):
    """Organisations with a current anchor role in a network."""

    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Network.objects.order_by("name").values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        roles = AnchorRole.objects.current().filter(network_id=pk_param(self.value()))
        return queryset.filter(pk__in=roles.values("organisation_id"))


class AnchorRoleFilter(admin.SimpleListFilter):
    """An organisation's current place in the networks: lead, local or peer anchor,
    coordinator, or a community group (none of those)."""

    title = _("anchor role")
    parameter_name = "role"
    COORDINATOR = "coordinator"
    COMMUNITY_GROUP = "community_group"

    def lookups(self, request, model_admin):
        return [
            *AnchorRoleKind.choices,
            (self.COORDINATOR, _("Network coordinator")),
            (self.COMMUNITY_GROUP, _("Community group (no anchor role)")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in AnchorRoleKind.values:
            return queryset.with_anchor_role(value)
        if value == self.COORDINATOR:
            return queryset.coordinators()
        if value == self.COMMUNITY_GROUP:
            return queryset.community_groups()
        return queryset


class ServingLocalityFilter(admin.SimpleListFilter):
    """Organisations serving a place or anywhere inside it. Offers districts, areas and current
    wards, as a tree; any locality id works in the address."""

    title = _("area served")
    parameter_name = "locality"

    def lookups(self, request, model_admin):
        places = Locality.objects.filter(
            Q(kind__in=[LocalityKind.DISTRICT, LocalityKind.AREA]) | (Q(kind=LocalityKind.WARD) & current_q())
        ).only("pk", "name", "parent_id", "ancestor_path")
        # Kept for queryset(): facet counts call it once per choice, so no query per choice.
        self._places = {str(place.pk): place for place in places}
        return [
            (str(place.pk), f"{'— ' * depth}{place.name}")
            for place, depth in localities_as_tree(list(self._places.values()))
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        locality = self._places.get(self.value())
        if locality is None:
            # Any place may be asked for by address, e.g. an ended ward from a locality's page.
            locality = Locality.objects.filter(pk=pk_param(self.value())).first()
        if locality is None:
            return queryset.none()
        return queryset.serving(locality)


class CurrentRoleFilter(admin.SimpleListFilter):
    """Roles held now, or roles the organisation has left."""

    title = _("current or left")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("left", _("Left"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "left":
            return queryset.filter(left_on__isnull=False)
        return queryset


class RoleDistrictFilter(DistrictFilter):
    """Anchor roles whose locality is in a district."""

    locality_field = "locality"
