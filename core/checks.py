"""System checks of our own, run by ``manage.py check`` (``--deploy`` for the production ones)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def accessibility_contact_is_set(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The accessibility statement must say how to report a problem: the Public Sector Bodies
    (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018, regulation 8,
    and the GOV.UK sample statement's "Feedback and contact information". Without an address
    the statement falls back to "contact the network for your area", which is not enough for a
    live service."""
    if (settings.ACCESSIBILITY_CONTACT_EMAIL or "").strip():
        return []
    return [
        checks.Warning(
            "ACCESSIBILITY_CONTACT_EMAIL is empty: the accessibility statement gives residents no "
            "address to report an accessibility problem to.",
            hint="Set ACCESSIBILITY_CONTACT_EMAIL to the council team's address, e.g. accessibility@example.gov.uk.",
            id="anchornet.W001",
        )
    ]
