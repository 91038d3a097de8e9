"""Locality plans for search engines: the sitemap of the plans residents may read."""

from __future__ import annotations

from core.seo import RecordSitemap

from .models import LocalityPlan


class PlanSitemap(RecordSitemap):
    changefreq = "monthly"

    def records(self):
        return LocalityPlan.objects.public()
