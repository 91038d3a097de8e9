"""Locality plans for search engines: the sitemap of the plans residents may read."""

from __future__ import annotations

from core.seo import SiteSitemap

from .models import LocalityPlan


class PlanSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return LocalityPlan.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, plan: LocalityPlan):
        return plan.updated_at
