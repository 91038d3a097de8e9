"""This app's section of an organisation's page (see ``organisations.sections``)."""

from __future__ import annotations

from django.http import HttpRequest

from organisations.models import Organisation
from organisations.sections import Section

from .selectors import support_for_page


def _support_context(organisation: Organisation, request: HttpRequest) -> dict | None:
    given, received = support_for_page(organisation, request.user)
    if not given and not received:
        return None
    return {"given": given, "received": received}


support_section = Section(
    name="support", template_name="engagement/_organisation_support.html", context=_support_context
)
