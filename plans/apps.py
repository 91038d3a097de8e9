from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Locality plans written by lead anchors with local people, shared with councillors and
    published for residents."""

    name = "plans"
    verbose_name = "Locality plans"
