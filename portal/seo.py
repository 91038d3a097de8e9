"""``/sitemap.xml`` and ``/robots.txt``: every public page, for search engines.

Each app lists its own public records (``<app>/seo.py``, through its ``public()`` rules); this
module gathers them with the fixed pages. Signed-in pages (editors, dashboard, admin) are not
listed, and robots.txt asks crawlers to keep out of them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.seo import PagesSitemap, absolute_url
from localities.seo import LocalitySitemap
from meetings.seo import MeetingSitemap
from organisations.seo import NetworkSitemap, OrganisationSitemap
from plans.seo import PlanSitemap


class PublicPagesSitemap(PagesSitemap):
    changefreq = "daily"
    pages = (
        "portal:home",
        "organisations:directory",
        "portal:area_list",
        "organisations:network_list",
        "plans:list",
        "meetings:list",
        "meetings:past",
        "portal:accessibility",
        "portal:privacy",
        "portal:cookies",
        "engagement:ask",
        "engagement:add_group",
    )


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "organisations": OrganisationSitemap,
    "networks": NetworkSitemap,
    "areas": LocalitySitemap,
    "plans": PlanSitemap,
    "meetings": MeetingSitemap,
}

# Pages for people signed in: nothing for an index. (The admin is left out on purpose: its
# address may be changed to be less guessable, ADMIN_URL, and robots.txt is public.)
ROBOTS_DISALLOW = (
    "/account/",
    "/accounts/",
    "/dashboard/",
    "/network/",
    "/new-groups/",
    "/support/requests/",
    "/plans/mine/",
    "/meetings/mine/",
)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt (RFC 9309): where the sitemap is, and what not to crawl."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {absolute_url(reverse('portal:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
