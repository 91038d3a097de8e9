from django.apps import AppConfig


class LocalitiesConfig(AppConfig):
    """Districts, areas, wards and neighbourhoods: the places the networks serve."""

    name = "localities"
    verbose_name = "Localities"
