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


def from_spreadsheet(value):
    """The inverse of ``spreadsheet_safe`` for an import: ``'=SUM(A1)`` → ``=SUM(A1)``, so an
    exported file imports as it was exported. Everything else is returned as it is; the text
    is stored as text either way (nothing is ever evaluated)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class ExportResource(resources.ModelResource):
    """The base of AnchorNet's export resources: every cell passes ``spreadsheet_safe``."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
