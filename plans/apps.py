from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Locality plans written by lead anchors with local people (models come in a later issue)."""

    name = "plans"
    verbose_name = "Locality plans"
