"""``published_count``: a count of people as a public page may show it (``core.disclosure``)."""

from django import template

from core.disclosure import publish_count

register = template.Library()


@register.filter
def published_count(count: int) -> str:
    """``14`` → ``"14"``, ``2`` → ``"fewer than 5"``: counts from 1 to 4 are never shown. As
    every count shown is 0 or 5 and more, the noun after it is always plural."""
    return str(publish_count(count))
