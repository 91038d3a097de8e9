"""Shared foundations for the officers' admin.

Every ModelAdmin in AnchorNet inherits :class:`AnchorNetModelAdmin` and every inline
:class:`AnchorNetTabularInline` (or :class:`AnchorNetStackedInline`), so that behaviour the whole
admin needs is written once, here:

- shared defaults: save buttons at the top, 50 rows a page, "—" for empty values;
- :meth:`AnchorNetModelAdmin.update_queryset` for bulk actions, which records each change in the
  admin log (a bulk ``UPDATE`` bypasses ``save()`` and signals);
- a safety net: a save that the database (a trigger or a constraint the form did not
  foresee) or a service (``ValidationError`` from ``save_model``) refuses re-displays the form
  with an explanation and everything typed, instead of a server error;
- audit history with revert (django-simple-history's ``SimpleHistoryAdmin``), and bulk
  updates that write history rows too;
- autocomplete labels: an admin may define :meth:`AnchorNetModelAdmin.autocomplete_label` to
  label its objects in every autocomplete that points at it (e.g. "Batley East (ward, ended
  5 May 2026)"), where Django would show ``str(obj)``;
- officers only: every permission answers ``core.permissions.is_officer``.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import BadRequest, FieldError, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_update_with_history

from core import permissions
from core.concurrency import (
    VERSION_FIELD,
    EditConflict,
    VersionedFormMixin,
    check_versions,
    refresh_after_conflict,
)
from core.forms import IdMultipleChoiceField, has_integer_key, is_storable_id
from core.import_jobs import ImportJobRefused, import_job_confirm, import_job_submit
from core.imports import CSVImport, ImportFileError, XLSXImport, import_failed, row_messages
from core.models import ImportJob, SentEmail

logger = logging.getLogger(__name__)

# Set on the request while the change form is shown again after a save was refused: the reason,
# and (after an edit conflict) the version to accept.
_REFUSAL_ATTR = "_anchornet_save_refused"
_CONFLICT_ATTR = "_anchornet_edit_conflict"


# ------------------------------------------------------------------------------
# Autocomplete with labels chosen by the target model's admin
# ------------------------------------------------------------------------------
class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete endpoint, labelling each result with the target admin's
    ``autocomplete_label`` instead of ``str(obj)``. Search, permissions and ``limit_choices_to``
    are Django's own."""

    def serialize_result(self, obj: models.Model, to_field_name: str) -> dict[str, Any]:
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def autocomplete_url_name(model: type[models.Model]) -> str:
    """The URL name (without the admin namespace) of ``model``'s labelled autocomplete."""
    return f"{model._meta.app_label}_{model._meta.model_name}_autocomplete"


class _KnownObjectsMixin:
    """``known_objects`` (``{str(pk): obj}``) lets an autocomplete widget label its chosen
    value without a query of its own: an inline row sets it from the row's object, fetched with
    the page (see ``AnchorNetInlineFormSet``)."""

    known_objects: dict[str, models.Model] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.known_objects or {}
        if not selected or not selected <= known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(known[key])
            options.append(self.create_option(name, key, label, selected, len(options)))
        return [(None, options, 0)]


class _StorableSelectionMixin:
    """Re-showing a refused form, an autocomplete looks up the chosen ids to label them: drop
    the ones no database can hold first (``core.forms.is_storable_id``), or that lookup is the
    server error the form's validation just avoided."""

    def optgroups(self, name, value, attr=None):
        if has_integer_key(self.choices.queryset.model, self.choices.field.to_field_name):
            value = [item for item in value if str(item) in self.choices.field.empty_values or is_storable_id(item)]
        return super().optgroups(name, value, attr)


class _LabelledUrlMixin:
    """Point the widget at the target model admin's labelled autocomplete URL."""

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:{autocomplete_url_name(self.field.remote_field.model)}")


# The text of an autocomplete's "nothing chosen" option, as Django's plain selects show it.
EMPTY_CHOICE_LABEL = "---------"


class _AccessibleAutocompleteMixin:
    """An autocomplete whose markup is valid HTML and whose select2 controls have names.

    - The "nothing chosen" option has text (Django's is empty, which HTML forbids), and a
      required single choice starts with one too: HTML wants a ``required`` select's first
      option to be a placeholder. select2 shows neither (``data-placeholder`` is ""), and a
      form that submits it is refused as for any required field.
    - ``admin/js/anchornet-autocomplete.js`` names select2's combobox and search box after
      the field's label (select2 leaves them nameless).
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        if value == "" and not label:
            label = EMPTY_CHOICE_LABEL
        return super().create_option(name, value, label, selected, index, subindex, attrs)

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required and not self.allow_multiple_selected:
            options = groups[0][1] if groups else []
            if not options or options[0]["value"] != "":
                placeholder = self.create_option(name, "", "", False, 0)
                if groups:
                    options.insert(0, placeholder)
                else:
                    groups = [(None, [placeholder], 0)]
        return groups

    @property
    def media(self):
        # One list, so the script comes after Django's autocomplete.js (adding a Media of its
        # own would leave the two unordered).
        media = super().media
        return forms.Media(js=[*media._js, "admin/js/anchornet-autocomplete.js"], css=media._css)


class KnownObjectsAutocompleteSelect(
    _AccessibleAutocompleteMixin, _StorableSelectionMixin, _KnownObjectsMixin, AutocompleteSelect
):
    """Django's autocomplete (for models whose admin is not ours, e.g. users)."""


class LabelledAutocompleteSelect(
    _AccessibleAutocompleteMixin, _StorableSelectionMixin, _KnownObjectsMixin, _LabelledUrlMixin, AutocompleteSelect
):
    """Autocomplete labelled by the target admin's ``autocomplete_label``."""


class LabelledAutocompleteSelectMultiple(
    _AccessibleAutocompleteMixin, _StorableSelectionMixin, _LabelledUrlMixin, AutocompleteSelectMultiple
):
    """Multiple-choice autocomplete labelled by the target admin's ``autocomplete_label``."""


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date-and-time widget, with its "Date:" and "Time:" as ``<label>`` elements of
    their inputs (Django prints them as bare text, leaving both inputs without a name). The
    field's own label names the pair as a group (``templates/admin/includes/fieldset.html``)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        for key, subwidget in zip(("date_label", "time_label"), subwidgets, strict=True):
            input_id = subwidget["attrs"].get("id")
            if input_id:
                context[key] = format_html('<label for="{}">{}</label>', input_id, context[key])
        return context


class AutocompleteLabelMixin:
    """For ModelAdmins and inlines: when an autocomplete field points at a model whose admin is an
    ``AnchorNetModelAdmin``, use that admin's labels both in the search results and for the
    value already chosen. Single-choice autocompletes can also take their chosen object from
    the row (``known_objects``)."""

    def _target_admin(self, db_field: models.Field, request: HttpRequest):
        """The admin of the model an autocomplete field points at, or None if not autocomplete."""
        if db_field.name not in self.get_autocomplete_fields(request):
            return None
        return self.admin_site._registry.get(db_field.remote_field.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        target = self._target_admin(db_field, request)
        labelled = isinstance(target, AnchorNetModelAdmin)
        if target is not None and "widget" not in kwargs:
            widget_class = LabelledAutocompleteSelect if labelled else KnownObjectsAutocompleteSelect
            kwargs["widget"] = widget_class(db_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if labelled and formfield is not None:
            formfield.label_from_instance = target.autocomplete_label
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        target = self._target_admin(db_field, request)
        labelled = isinstance(target, AnchorNetModelAdmin)
        if labelled and "widget" not in kwargs:
            kwargs["widget"] = LabelledAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if labelled and formfield is not None:
            formfield.label_from_instance = target.autocomplete_label
        return formfield


# ------------------------------------------------------------------------------
# Base classes
# ------------------------------------------------------------------------------
class StorableIdsMixin:
    """Every many-to-many field of an admin form refuses ids no database can hold, as a choice
    from the list (``core.forms.IdMultipleChoiceField``), rather than overflowing the database
    driver into a server error. In every AnchorNet admin and inline, and in Django's and
    django-axes' own admins as re-registered below."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class QuerySetMethodFilter(admin.SimpleListFilter):
    """A two-way list filter by the QuerySet method that states a rule (``current()``,
    ``live()``), so the admin never restates it: "yes" lists what the method returns, "no" the
    rest. Subclasses set ``title``, ``parameter_name``, ``method`` and ``labels`` (the "yes"
    label, then the "no" label)."""

    method: str
    labels: tuple[str, str]

    def lookups(self, request, model_admin):
        return [("yes", self.labels[0]), ("no", self.labels[1])]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        matching = getattr(queryset, self.method)()
        return matching if self.value() == "yes" else queryset.exclude(pk__in=matching.values("pk"))


class SafeHistoryMixin:
    """django-simple-history's history pages, answering 404 for an id the model's key cannot
    hold (``abc``, a 30-digit number), where the package would let the database refuse it with
    a server error; and refusing a revert (403) where ``revert_allowed`` is False, which the
    package only hides behind a missing button. Security records (calendar subscriptions) set
    it False: a revoked private calendar address must never come back from its history."""

    revert_allowed = True

    def history_view(self, request, object_id, extra_context=None):
        if not _is_key(self.model, object_id):
            raise Http404
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            # Imported reference data (postcodes) keeps no audit history of its own: the admin's
            # log of officers' actions is all there is to show.
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if (
            not _is_key(self.model, object_id)
            or not is_storable_id(version_id)
            or not hasattr(self.model._meta, "simple_history_manager_attribute")
        ):
            raise Http404
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return not self.revert_allowed or super().revert_disabled(request, obj)


def _is_key(model: type[models.Model], object_id: str) -> bool:
    """Whether ``object_id`` (as the admin's URLs quote it) can be ``model``'s primary key."""
    value = unquote(str(object_id))
    if has_integer_key(model):
        return is_storable_id(value)
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return "\x00" not in value


class AccessibleWidgetsMixin:
    """For every admin and inline: widgets whose inputs all have labels (see
    ``LabelledSplitDateTime``); the autocompletes come from ``AutocompleteLabelMixin``."""

    formfield_overrides: ClassVar[dict] = {models.DateTimeField: {"widget": LabelledSplitDateTime}}


class OfficersOnlyMixin:
    """Every admin permission answers ``core.permissions.is_officer``: officers (active staff)
    may do everything, nobody else anything. Model permissions are not consulted, so an
    officer needs no per-model grants and nobody else can be granted a way in by accident."""

    def has_module_permission(self, request):
        return permissions.is_officer(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_officer(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.is_officer(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_officer(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_officer(request.user)


class ExportableAdminMixin(ExportMixin):
    """Adds "Export" to a changelist: what the changelist shows, with its search and filters
    applied, as CSV or XLSX, through the admin's ``resource_classes`` (django-import-export;
    resources in each app's ``resources.py``, based on ``core.exports.ExportResource``).
    Officers only, as the rest of the admin; every export is logged (who, what, how many).

    Put it before ``AnchorNetModelAdmin`` in the bases. ``export_prefetch`` names what a page of
    rows needs (many-to-many fields, reverse relations), so an export costs a fixed number of
    queries per page of rows however many there are.
    """

    formats = (CSV, XLSX)
    # The plain form: the selectable-fields form needs inline script our CSP refuses, and
    # which columns leave the system is the resource's decision, not the person's.
    export_form_class = ExportForm
    export_prefetch: tuple[str, ...] = ()

    def has_export_permission(self, request):
        """Officers only, as every other admin permission (``OfficersOnlyMixin``)."""
        return permissions.is_officer(request.user)

    def get_export_queryset(self, request):
        try:
            queryset = super().get_export_queryset(request)
        except (IncorrectLookupParameters, FieldError, ValidationError, ValueError) as exc:
            # The changelist's filters travel in the address; one it cannot apply is the
            # request's fault (400), as on the changelist itself, not a server error.
            raise BadRequest(str(exc)) from exc
        return queryset.prefetch_related(*self.export_prefetch) if self.export_prefetch else queryset

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        logger.info(
            "%s exported %s %s as %s",
            request.user,
            queryset.count(),
            self.opts.verbose_name_plural,
            file_format.get_title(),
        )
        return data


class ImportableAdminMixin(ImportMixin):
    """Adds "Import" to a changelist (django-import-export), through the admin's
    ``resource_classes`` (``core.imports.ImportResource`` subclasses, in each app's
    ``resources.py``). Officers only. Always in two steps:

    1. the officer uploads a CSV or XLSX file and sees a preview (a dry run, rolled back):
       per row, whether it will be added, updated or skipped, and why (which record it
       matched, possible duplicates); a file or row that cannot be imported is explained and
       nothing more is offered;
    2. "Confirm import" applies the whole file in one transaction, or, if any row fails now,
       nothing at all, and says why. Each record's history row names the officer and the file.

    Put it before ``ExportableAdminMixin`` (if any) and ``AnchorNetModelAdmin`` in the bases.
    """

    import_formats = (CSVImport, XLSXImport)
    import_template_name = "admin/import_export/anchornet_import.html"
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    # Messages, never tracebacks: an officer cannot act on a stack, and it shows our code.
    import_error_display = ("message",)

    def has_import_permission(self, request):
        """Officers only, as every other admin permission (``OfficersOnlyMixin``)."""
        return permissions.is_officer(request.user)

    def get_import_formats(self):
        columns = [name for resource in self.get_resource_classes(None) for name in resource().known_columns()]
        return [file_format.for_columns(columns) for file_format in self.import_formats]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            logger.warning("Unreadable import file for %s: %r", self.opts.label, e)
            form.add_error("import_file", _("The file could not be read. Save it as CSV or .xlsx and try again."))

    def import_action(self, request, **kwargs):
        """django-import-export's import page; a file of more rows than
        ``settings.IMPORT_BACKGROUND_ROWS`` goes to the task worker instead (``core.import_jobs``)
        and the officer to its progress page."""
        if request.method == "POST" and self.has_import_permission(request):
            background = self._submit_background_import(request)
            if background is not None:
                return background
        return super().import_action(request, **kwargs)

    def _submit_background_import(self, request):
        """The redirect to a background import of the uploaded file, or ``None`` when the file
        is small enough for the request, or unreadable (the import page then explains it)."""
        form = self.create_import_form(request)
        if not form.is_valid():
            return None
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        try:
            rows = len(file_format.create_dataset(data))
        except Exception:  # whatever it is, the import page explains it as for any file
            return None
        if rows <= settings.IMPORT_BACKGROUND_ROWS:
            return None
        try:
            job = import_job_submit(
                kind=self.opts.label_lower, file_name=upload.name, data=data, rows_total=rows, user=request.user
            )
        except ImportJobRefused as refused:
            link = reverse(f"{self.admin_site.name}:core_importjob_progress", args=[refused.job.pk])
            messages.error(request, format_html('{} <a href="{}">{}</a>', str(refused), link, _("See that import.")))
            return HttpResponseRedirect(request.path)
        logger.info("%s submitted %s (%s rows) for a background import", request.user, upload.name, rows)
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:core_importjob_progress", args=[job.pk]))

    def process_result(self, result, request):
        """After "Confirm import": on success, Django's messages and log entries; on any failure
        (the data changed since the preview), the page again with every row's problem, and a
        clear statement that nothing was imported."""
        if import_failed(result):
            messages.error(request, _("Nothing was imported: fix these problems in the file and import it again."))
            context = {
                **self.admin_site.each_context(request),
                **self.get_import_context_data(),
                "title": _("Import"),
                "opts": self.model._meta,
                "result": result,
                "problems": row_messages(result),
                "import_error_display": self.import_error_display,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)


def count_column(annotation: str, description: str):
    """A list column showing ``annotation`` of ``AnchorNetModelAdmin.counted_relations``,
    sortable by it::

        counted_relations = {"item_count": "items"}
        item_count = count_column("item_count", _("items"))
    """

    @admin.display(description=description, ordering=annotation)
    def column(model_admin, obj: models.Model) -> int:
        return getattr(obj, annotation)

    return column


class AnchorNetModelAdmin(
    OfficersOnlyMixin,
    StorableIdsMixin,
    AccessibleWidgetsMixin,
    AutocompleteLabelMixin,
    SafeHistoryMixin,
    SimpleHistoryAdmin,
):
    """The base of every AnchorNet ModelAdmin: shared defaults, audit history with revert
    (django-simple-history), logged bulk updates, a safety net for refused saves, change forms
    that refuse a save made on a stale copy (``core.concurrency``), and labelled autocompletes.
    See the module docstring.

    The admin is the officers' tool: every permission check asks ``core.permissions.is_officer``
    (an active staff user). Editors, councillors and the public use the front-end pages, scoped
    by each app's QuerySet methods and ``permissions.py`` (docs/adr/0006-layers.md).
    """

    save_on_top = True
    list_per_page = 50
    empty_value_display = "—"

    # Substrings of database error messages (from triggers) mapped to what to tell the officer.
    # Constraint violations are explained from the models' own ``violation_error_message``.
    database_error_messages: ClassVar[dict[str, str]] = {}

    # List columns that count a relation, as {annotation: relation}, e.g. {"item_count": "items"};
    # show one with ``count_column``. One GROUP BY for the whole page, never a count per row;
    # not in autocomplete answers, which show no columns.
    counted_relations: ClassVar[dict[str, str]] = {}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.counted_relations and not self.is_autocomplete_request(request):
            queryset = queryset.annotate(
                **{name: Count(relation, distinct=True) for name, relation in self.counted_relations.items()}
            )
        return queryset

    # -- Autocomplete --------------------------------------------------------
    def autocomplete_label(self, obj: models.Model) -> str:
        """How ``obj`` is labelled in autocompletes pointing at this model; ``str(obj)`` here."""
        return str(obj)

    def is_autocomplete_request(self, request: HttpRequest) -> bool:
        """True while answering an autocomplete search (e.g. to order results differently)."""
        match = getattr(request, "resolver_match", None)
        return bool(match and match.url_name and match.url_name.endswith("autocomplete"))

    def get_urls(self):
        view = self.admin_site.admin_view(LabelledAutocompleteJsonView.as_view(admin_site=self.admin_site))
        return [
            path("autocomplete/", view, name=autocomplete_url_name(self.model)),
            *super().get_urls(),
        ]

    # -- Bulk actions --------------------------------------------------------
    def update_queryset(self, request: HttpRequest, queryset: models.QuerySet, **values: Any) -> int:
        """Set ``values`` on every object in ``queryset`` that does not already have them, in one
        UPDATE; record a "changed" entry per object in the admin log. Returns how many changed.

        ``updated_at`` is set too: ``auto_now`` only fires in ``save()``.
        """
        pks = list(queryset.prefetch_related(None).exclude(models.Q(**values)).values_list("pk", flat=True))
        if not pks:
            return 0
        changes = dict(values)
        field_names = {f.name for f in self.model._meta.concrete_fields}
        if "updated_at" in field_names:
            changes.setdefault("updated_at", timezone.now())
        objs = list(self.model._default_manager.filter(pk__in=pks))
        for obj in objs:
            for name, value in changes.items():
                setattr(obj, name, value)
        if hasattr(self.model, "history"):
            # One UPDATE and one INSERT of history rows, so the audit trail misses nothing.
            changed = bulk_update_with_history(
                objs,
                self.model,
                list(changes),
                default_user=request.user,
                default_change_reason=str(_("Bulk change in the admin")),
            )
        else:
            changed = self.model._default_manager.bulk_update(objs, list(changes))
        labels = [str(self.model._meta.get_field(name).verbose_name) for name in values]
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=self.model._default_manager.filter(pk__in=pks),
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": labels}}],
        )
        return changed

    # -- Safety net for database rules and refused saves ------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Show the form again, with the reason, when the database or a service refuses the save.

        The forms explain every rule we know of first; this catches what they cannot see: a
        database rule (e.g. two edits in one submission that conflict), or a service's
        ``ValidationError`` from ``save_model`` (e.g. the record changed since the form was
        loaded). Django's ``changeform_view`` runs in a transaction, so nothing of the failed
        save remains; the second pass validates the same POST data with the reason added as a
        form error, so everything typed is shown again.
        """
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, ValidationError) as exc:
            if request.method != "POST" or hasattr(request, _REFUSAL_ATTR):
                raise
            if isinstance(exc, IntegrityError):
                logger.warning("Database refused an admin save of %s: %s", self.opts.label, exc)
                message = self.integrity_error_message(exc)
            else:
                message = " ".join(exc.messages)
            setattr(request, _REFUSAL_ATTR, message)
            if isinstance(exc, EditConflict):
                setattr(request, _CONFLICT_ATTR, exc)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and self.is_versioned():
            form = type(form.__name__, (VersionedFormMixin, form), {})
        message = getattr(request, _REFUSAL_ATTR, None)
        if message is None:
            return form
        conflict = getattr(request, _CONFLICT_ATTR, None)

        class FormWithRefusal(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if conflict is not None and self.is_bound:
                    # Saving again, having seen what changed, keeps this officer's changes.
                    refresh_after_conflict(self, conflict)

            def clean(self):
                cleaned_data = super().clean()
                self.add_error(None, ValidationError(message, code="database"))
                return cleaned_data

        return FormWithRefusal

    # -- Concurrent edits ------------------------------------------------------
    def is_versioned(self) -> bool:
        """Whether the change form refuses a save made on a stale copy (``core.concurrency``):
        every model with ``updated_at``."""
        return any(field.name == "updated_at" for field in self.model._meta.concrete_fields)

    def save_model(self, request, obj, form, change):
        if change and self.is_versioned():
            self.check_version(obj, form)
        super().save_model(request, obj, form, change)

    def check_version(self, obj: models.Model, form) -> None:
        """Lock the row and refuse the save if it changed since the form was loaded.

        Raises:
            EditConflict: shown on the form again by ``changeform_view``.
        """
        locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
        check_versions(
            [locked],
            form.cleaned_data.get(VERSION_FIELD),
            noun=_("this %(thing)s") % {"thing": self.opts.verbose_name},
        )

    def integrity_error_message(self, exc: IntegrityError) -> str:
        """Explain a database refusal in words an officer can act on."""
        detail = str(exc)
        for fragment, message in self.database_error_messages.items():
            if fragment in detail:
                return str(message)
        models_involved = [self.model, *(inline.model for inline in self.inlines)]
        for model in models_involved:
            for constraint in model._meta.constraints:
                if constraint_matches_error(model, constraint, detail):
                    return str(constraint.get_violation_error_message())
        return str(
            _("Nothing was saved: the change breaks a rule the database enforces (%(detail)s).")
            % {"detail": detail.strip().splitlines()[0] if detail.strip() else exc.__class__.__name__}
        )


def constraint_matches_error(model: type[models.Model], constraint: models.BaseConstraint, detail: str) -> bool:
    """Whether a database error message ``detail`` reports ``constraint`` being broken.

    PostgreSQL names the constraint (``... violates unique constraint "name"``), and so does
    SQLite for a CHECK constraint (``CHECK constraint failed: name``); for a unique index SQLite
    lists the columns instead (``UNIQUE constraint failed: table.a, table.b``).
    """
    if f'"{constraint.name}"' in detail or detail.rstrip().endswith(f": {constraint.name}"):
        return True
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        table = model._meta.db_table
        columns = ", ".join(f"{table}.{model._meta.get_field(name).column}" for name in constraint.fields)
        return detail.strip() == f"UNIQUE constraint failed: {columns}"
    return False


class InlineModelForm(forms.ModelForm):
    """The default form of AnchorNet inlines: checks the model's constraints that involve the
    parent too.

    Django leaves an inline's parent key out of model validation (the parent may not be saved
    yet), which also skips every constraint naming it, e.g. "one membership per person and
    organisation": the database would refuse such a row with an IntegrityError. Once the rest
    of the row is valid, check them all. A new parent has no rows yet, and constraints skip a
    NULL, so this only ever finds real clashes with saved rows. Outside an inline it does
    nothing more than a plain ModelForm.
    """

    def validate_unique(self):
        super().validate_unique()
        if self.errors or not any(isinstance(field, InlineForeignKeyField) for field in self.fields.values()):
            return
        try:
            self.instance.validate_constraints()
        except ValidationError as exc:
            self.add_error(None, exc)


class AnchorNetInlineFormSet(BaseInlineFormSet):
    """The default formset of AnchorNet inlines: each saved row's autocomplete widgets are
    labelled from the row's own related objects, and the row knows its parent, so a page of
    rows costs no query per row (give the inline a ``get_queryset`` with ``select_related``
    for its autocomplete fields)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        instance = form.instance
        if instance.pk is None:
            return
        if getattr(instance, self.fk.attname) == self.instance.pk:
            # The row's parent is the page's object: no query when the row names it.
            self.fk.set_cached_value(instance, self.instance)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the "+" wrapper
            if not isinstance(widget, _KnownObjectsMixin):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.is_relation and model_field.is_cached(instance):
                obj = model_field.get_cached_value(instance)
                if obj is not None:
                    widget.known_objects = {str(obj.pk): obj}


class AnchorNetTabularInline(
    OfficersOnlyMixin, StorableIdsMixin, AccessibleWidgetsMixin, AutocompleteLabelMixin, admin.TabularInline
):
    """The base of every AnchorNet tabular inline: no blank rows unless asked for, constraints
    that involve the parent checked in the form, and labelled autocompletes that cost no query
    per row."""

    form = InlineModelForm
    formset = AnchorNetInlineFormSet
    extra = 0


class AnchorNetStackedInline(
    OfficersOnlyMixin, StorableIdsMixin, AccessibleWidgetsMixin, AutocompleteLabelMixin, admin.StackedInline
):
    """The base of every AnchorNet stacked inline (see ``AnchorNetTabularInline``)."""

    form = InlineModelForm
    formset = AnchorNetInlineFormSet
    extra = 0


# ------------------------------------------------------------------------------
# Django's and django-axes' own admins, under the same officers-only rule
# ------------------------------------------------------------------------------
def _reregister(
    model: type[models.Model], base: type[admin.ModelAdmin], *, mixins: tuple[type, ...] = (), **attrs: Any
) -> None:
    """Replace ``model``'s admin with ``base`` under the officers-only rule (and audit history
    where the model keeps one), so Django's and django-axes' pages answer exactly as ours."""
    history = (SafeHistoryMixin, SimpleHistoryAdmin) if hasattr(model, "history") else ()
    bases = (*mixins, OfficersOnlyMixin, StorableIdsMixin, AccessibleWidgetsMixin, *history, base)
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"AnchorNet{base.__name__}", bases, attrs))


class NoGreaterPowerMixin:
    """For the accounts and groups admins: nobody changes an account with more power than their
    own, or grants a power they lack, by any admin view.

    An officer (staff, not superuser) manages accounts, staff status and groups. Only a
    superuser may make superusers, grant raw permissions, or change, delete or set the
    password of a superuser: for an officer a superuser's account is read-only (Django's
    password view asks ``has_change_permission`` too), and a bulk delete that includes one is
    refused."""

    powerful_fields = ("is_superuser", "user_permissions", "permissions")

    def _outranks(self, request, obj) -> bool:
        return bool(getattr(obj, "is_superuser", False)) and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return not self._outranks(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._outranks(request, obj) and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in self.powerful_fields]})
            for name, opts in fieldsets
        ]

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(self._outranks(request, obj) for obj in objs):
            perms_needed = {*perms_needed, str(_("superuser accounts"))}
        return to_delete, model_count, perms_needed, protected


def _register_third_party_admins() -> None:
    _reregister(get_user_model(), UserAdmin, mixins=(NoGreaterPowerMixin,))
    _reregister(Group, GroupAdmin, mixins=(NoGreaterPowerMixin,))
    # Axes' records are written by axes alone: officers read them and may clear a lockout.
    for model, base in (
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ):
        _reregister(model, base, has_add_permission=lambda self, request, obj=None: False)
    # The task queue is the operators' concern (the worker's log, `prune_db_task_results`),
    # not the officers': its rows hold the arguments of every task. What officers need to know
    # of emails is in "Emails sent".
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)


_register_third_party_admins()


@admin.register(SentEmail)
class SentEmailAdmin(AnchorNetModelAdmin):
    """Which event's email went out, and when: written by ``core.notifications.send_once``
    alone, so officers read it (and may delete a row to let an email be sent again)."""

    list_display = ("key", "template", "recipient_count", "sent_at")
    list_filter = ("template",)
    search_fields = ("key", "template")
    date_hierarchy = "sent_at"
    fields = ("key", "template", "recipient_count", "sent_at")
    readonly_fields = ("key", "template", "recipient_count", "sent_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(AnchorNetModelAdmin):
    """Background imports (``core.import_jobs``): written by the import page and the task worker
    alone, so officers read them here, follow one on its progress page and confirm it there."""

    list_display = ("file_name", "kind", "state", "rows_total", "created_by", "created_at", "progress_link")
    list_filter = ("state", "kind")
    search_fields = ("file_name", "sha256", "created_by__username")
    date_hierarchy = "created_at"
    list_select_related = ("created_by",)
    fields = (
        "kind",
        "file_name",
        "sha256",
        "state",
        "created_by",
        "created_at",
        "confirmed_by",
        "confirmed_at",
        "finished_at",
        "rows_total",
        "rows_done",
        "new_count",
        "update_count",
        "skip_count",
        "messages",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress_link(self, job: ImportJob) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse(f"{self.admin_site.name}:core_importjob_progress", args=[job.pk]),
            _("Progress"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.progress_view)
        return [path("<path:object_id>/progress/", view, name="core_importjob_progress"), *super().get_urls()]

    def progress_view(self, request, object_id):
        """The progress page: state, rows read of the total, totals and flagged rows once
        previewed, "Confirm import" when ready, each row's problem when failed. Plain HTML: a
        "Check again" link reloads it (no script, no automatic refresh)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not is_storable_id(object_id):
            raise Http404
        job = ImportJob.objects.select_related("created_by", "confirmed_by").filter(pk=object_id).first()
        if job is None:
            raise Http404
        if request.method == "POST":
            try:
                import_job_confirm(job_id=job.pk, user=request.user)
            except ImportJobRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Confirmed: the import is being applied."))
            return HttpResponseRedirect(request.path)
        model = apps.get_model(job.kind)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "opts": self.opts,
            "job": job,
            "kind_name": model._meta.verbose_name_plural,
            "changelist_url": reverse(
                f"{self.admin_site.name}:{model._meta.app_label}_{model._meta.model_name}_changelist"
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/importjob/progress.html", context)
