"""How a page names an organisation it refers to (docs/adr/0006-layers.md, "References to
records that are not public"): a public organisation by its name, linked to its page; one that
is not public never by name."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html

from organisations.models import LONDON, Organisation
from organisations.opening import OpeningTimes
from organisations.opening import opening_times as opening_times_of

register = template.Library()


@register.simple_tag
def organisation_link(organisation: Organisation | None, fallback: str = "") -> str:
    """``organisation``'s name linked to its page when it is public; otherwise ``fallback``
    (plain text, escaped; empty by default), so a draft or archived organisation is never
    named. Use ``{% if organisation.is_public %}`` to leave out a whole row instead.

        {% organisation_link role.lead.organisation "not listed publicly" %}
    """
    if organisation is not None and organisation.is_public:
        return format_html('<a class="govuk-link" href="{}">{}</a>', organisation.get_absolute_url(), organisation.name)
    return format_html("{}", fallback)


@register.simple_tag
def opening_times(organisation: Organisation) -> OpeningTimes:
    """When ``organisation`` is open, as its public page says it (``opening.opening_times``:
    its current weekly openings in plain English, else its free-text opening hours), from its
    prefetched ``schedules``; today is read on the clock in Europe/London.

        {% opening_times organisation as opening %}{{ opening.lines }} {{ opening.text }}
    """
    return opening_times_of(organisation, today=timezone.now().astimezone(LONDON).date())
