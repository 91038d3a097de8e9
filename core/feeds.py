"""Feed formats shared by the apps' feeds (Django's syndication framework)."""

from __future__ import annotations

from django.utils.feedgenerator import Atom1Feed


class PlainTextAtom1Feed(Atom1Feed):
    """Atom 1.0 whose entry summaries are plain text (RFC 4287 3.1.1: ``type="text"``).

    Django's ``Atom1Feed`` marks every summary ``type="html"``, so a feed reader renders any
    markup in it: a summary an editor typed would reach readers as live HTML. The text is
    escaped as text here, so ``<b>`` shows as ``<b>``."""

    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})
