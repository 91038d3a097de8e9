from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    """Residents' voices: what people say matters where they live, heard online or in person,
    routed to the anchor for the place, tagged with the plan items' themes and cited as
    evidence on a plan item (issue 16; docs/adr/0012-residents-voices.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "voices"
    verbose_name = _("Residents' voices")
