from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project level: the pages that gather every app (home, an area, the account page),
    the site-wide pages (accessibility statement, sign-in) and the demo loader. It stands on
    every other app and nothing stands on it (docs/adr/0006-layers.md)."""

    name = "portal"
    verbose_name = "Portal"
