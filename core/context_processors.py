"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The portal's name, for the header, titles and footer."""
    return {"SITE_NAME": settings.SITE_NAME}
