"""What a browser posts back for a rendered admin change form, for tests that change a field or
two and submit."""

from __future__ import annotations

import datetime

from django.utils import timezone


def form_data(response) -> dict:
    """The POST data of the change form in ``response``: the form, and every inline's
    management form and rows. Split date-and-time inputs are posted as their two parts."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            elif isinstance(value, datetime.datetime):
                local = timezone.localtime(value)
                data[f"{field.html_name}_0"] = local.date().isoformat()
                data[f"{field.html_name}_1"] = local.strftime("%H:%M:%S")
            elif isinstance(value, datetime.date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)
    return data


def add_inline_row(data: dict, prefix: str, **fields) -> None:
    """Append a row to an inline formset in ``data``."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
