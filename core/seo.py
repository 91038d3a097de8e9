"""Being found and shared: canonical URLs, sitemaps and schema.org JSON-LD.

Every absolute URL the portal gives out for search engines and link previews is built on
``SITE_URL`` (the address residents use), never on the ``Host`` header of the request that
happened to ask, so a crawler reaching the app through another name still gets the canonical
address. Sitemaps follow the Sitemaps protocol 0.9 (https://www.sitemaps.org/protocol.html);
structured data follows schema.org (https://schema.org/), as search engines read it.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# What may not appear raw inside a <script> element: "</script>" would end it early, and
# "<!--" would change how the HTML parser reads the rest (the escapes json_script uses too).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """``path`` (``"/organisations/x/"``) on the public address: ``SITE_URL`` + path."""
    return f"{settings.SITE_URL}{path}"


def schema_thing(schema_type: str, name: str, path: str, *, context: bool = False) -> dict:
    """A schema.org thing of ``schema_type`` (``"Place"``, ``"Organization"``...) named ``name``
    whose page is ``path`` on the public address; with ``context``, the top of a JSON-LD
    document. The descriptions start from it and refer to each other by it."""
    thing = {"@type": schema_type, "name": name, "url": absolute_url(path)}
    return {"@context": "https://schema.org", **thing} if context else thing


def json_ld(data: dict) -> str:
    """``data`` as a ``<script type="application/ld+json">`` element, safe to put in a page
    whatever the strings in it (a description may contain ``</script>``). A data block, not a
    script: browsers never run it, so the Content-Security-Policy does not apply to it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe once <, > and & are escapes: nothing left can end the element or start markup, and
    # HTML-escaping the quotes as well would make it invalid JSON.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


class SiteSitemap(Sitemap):
    """A sitemap whose URLs are on ``SITE_URL``'s scheme and host (see the module docstring)."""

    # The protocol allows 50,000 URLs a file; smaller pages keep each response quick.
    limit = 5000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class RecordSitemap(SiteSitemap):
    """The pages of a model's records: ``records()`` says which (its app's ``public()`` rule),
    ``fields`` what ``get_absolute_url`` reads; ``updated_at`` is the last modified date."""

    fields: tuple[str, ...] = ("slug",)

    def records(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        return self.records().only(*self.fields, "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class PagesSitemap(SiteSitemap):
    """Fixed pages, by URL name: ``items`` lists them."""

    pages: tuple[str, ...] = ()

    def items(self) -> list[str]:
        return list(self.pages)

    def location(self, item: str) -> str:
        return reverse(item)
