"""Sections that apps above this one add to an organisation's public page.

The organisation page lives in this app, which may not ask a higher layer for anything
(docs/adr/0006-layers.md). An app above registers a ``Section`` in its ``AppConfig.ready``,
and the page renders each one that has something to show, in the order registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Organisation


@dataclass(frozen=True)
class Section:
    """One part of the page: ``context(organisation, request)`` gives the template's context,
    or None when the section has nothing to show; it should cost a fixed number of queries."""

    name: str
    template_name: str
    context: Callable[[Organisation, HttpRequest], dict | None]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add ``section`` to every organisation page (again under the same name: replaced)."""
    _SECTIONS[section.name] = section


def sections_for(organisation: Organisation, request: HttpRequest) -> list[tuple[str, dict]]:
    """``(template_name, context)`` of each section with something to show."""
    shown = []
    for section in _SECTIONS.values():
        context = section.context(organisation, request)
        if context is not None:
            shown.append((section.template_name, context))
    return shown
