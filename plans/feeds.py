"""An Atom feed of newly published locality plans (Django's syndication framework), for
councillors, officers and residents who follow the network in a feed reader."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.feeds import PlainTextAtom1Feed
from organisations.models import TaxonomyTerm

from .models import LocalityPlan, PlanItem

FEED_LENGTH = 20


class PublishedPlansFeed(Feed):
    """``/plans/feed/``: the 20 most recently published plans (those since replaced stay, marked
    as superseded, as a feed is a record of what was published). Three queries in all."""

    feed_type = PlainTextAtom1Feed
    link = reverse_lazy("plans:list")
    subtitle = _("Locality plans as lead anchors publish them: priorities, concerns, opportunities and connections.")

    def title(self) -> str:
        return str(_("%(site)s: newly published locality plans") % {"site": settings.SITE_NAME})

    def items(self):
        themed_items = PlanItem.objects.prefetch_related(
            Prefetch("themes", queryset=TaxonomyTerm.objects.order_by("name"))
        )
        return (
            LocalityPlan.objects.public()
            .select_related("locality", "owner")
            .prefetch_related(Prefetch("items", queryset=themed_items))
            .order_by("-published_on", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: LocalityPlan) -> str:
        title = f"{item.title} ({item.locality.name}, {item.period_label})"
        if item.is_superseded:
            title += " – " + str(_("since replaced"))
        return title

    def item_description(self, item: LocalityPlan) -> str:
        return item.summary

    def item_link(self, item: LocalityPlan) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: LocalityPlan) -> str:
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: LocalityPlan) -> datetime.datetime:
        """Midnight, UK time, on the day the plan was published."""
        return datetime.datetime.combine(item.published_on, datetime.time.min, tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, item: LocalityPlan) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: LocalityPlan) -> str | None:
        """The anchor that wrote the plan, unless it is not public (then no author is given:
        docs/adr/0006-layers.md)."""
        return item.owner.name if item.owner.is_public else None

    def item_categories(self, item: LocalityPlan) -> list[str]:
        names = {theme.name for plan_item in item.items.all() for theme in plan_item.themes.all()}
        return sorted(names)
