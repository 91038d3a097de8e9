from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared base models, validators, template tags and site-wide pages."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system checks)
