from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """What the network does: who supports whom, and its log of contacts with organisations."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "engagement"
    verbose_name = _("Network activity")

    def ready(self) -> None:
        # The organisation page belongs to a lower layer, which cannot ask this app for its
        # part: this app adds its section to the page instead (organisations.sections).
        from organisations.models import reserve_taxonomy
        from organisations.sections import register

        from .models import SKILLS_TAXONOMY
        from .sections import support_section

        register(support_section)
        # The skills and assets this app's exchange trades are not services organisations cover.
        reserve_taxonomy(SKILLS_TAXONOMY)
