"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest

from core.seo import absolute_url


def site(request: HttpRequest) -> dict[str, str]:
    """The portal's name (header, titles, footer), its accessibility contact (statement) and
    the page's canonical URL: its path on ``SITE_URL``, without the query string, so that the
    directory's many filtered and paged addresses count as one page (core.seo)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ACCESSIBILITY_CONTACT_EMAIL": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "canonical_url": absolute_url(request.path),
    }
