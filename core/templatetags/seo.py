"""``{% json_ld data %}``: schema.org structured data in a page (``core.seo.json_ld``)."""

from django import template

from core import seo

register = template.Library()


@register.simple_tag
def json_ld(data: dict | None) -> str:
    """The data block for ``data``, or nothing when there is none."""
    return seo.json_ld(data) if data else ""
