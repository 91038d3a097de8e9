from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The Open Referral UK API (HSDS 3.0 UK profile): the directory as open data, read-only.
    At the project level beside ``portal`` (docs/adr/0006-layers.md): it reads organisations
    and localities and nothing stands on it."""

    name = "api"
    verbose_name = "Open Referral UK API"
