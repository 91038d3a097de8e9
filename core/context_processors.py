"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The portal's name (header, titles, footer) and its accessibility contact (statement)."""
    return {"SITE_NAME": settings.SITE_NAME, "ACCESSIBILITY_CONTACT_EMAIL": settings.ACCESSIBILITY_CONTACT_EMAIL}
