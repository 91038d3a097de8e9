from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    """Organisations, the anchor networks and their roles, and the taxonomy of services."""

    name = "organisations"
    verbose_name = "Organisations and networks"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Taxonomy
        from .search import LEXICON_SOURCES, forget_lexicon

        # The search's cached lexicon is built from these: a change to any of them forgets it.
        for model in (*LEXICON_SOURCES, Taxonomy):
            for signal in (post_save, post_delete):
                signal.connect(forget_lexicon, sender=model, dispatch_uid=f"forget_lexicon_{model.__name__}")
