"""What every export shares: django-import-export resources whose cells cannot run as
spreadsheet formulas.

A community group's name typed as ``=HYPERLINK("http://...")`` would otherwise become a live
formula in the officer's spreadsheet (CSV injection). Following OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection), a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with a single quote, which spreadsheets
show as text.
"""

from __future__ import annotations

from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value``, with a leading ``'`` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ExportResource(resources.ModelResource):
    """The base of AnchorNet's export resources: every cell passes ``spreadsheet_safe``."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
