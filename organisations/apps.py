from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    """Organisations, the anchor networks and their roles, and the taxonomy of services."""

    name = "organisations"
    verbose_name = "Organisations and networks"
