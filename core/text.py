"""Rich text: the one way user-written HTML may reach a page."""

import nh3
from django.utils.safestring import SafeString, mark_safe

# Paragraphs, line breaks, emphasis, lists and links: enough for a description, and nothing that
# can run script, load a resource, change the page's layout or pass for part of the site.
ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"


def sanitise_html(value: str) -> SafeString:
    """Return ``value`` reduced to the allowed tags and attributes, safe to show unescaped.

    Anything else is dropped: other tags keep their text, but ``<script>`` and ``<style>`` lose
    their content too; every attribute but a link's ``href`` goes, and so does an ``href`` in a
    scheme other than http, https or mailto (``javascript:`` included). Every link gets
    ``rel="noopener noreferrer"``. The result is marked safe because it has been sanitised: this
    is the only place user input may be marked safe, so templates never need ``|safe``.
    """
    cleaned = nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
    )
    return mark_safe(cleaned)  # nh3 has just removed everything not allowed
