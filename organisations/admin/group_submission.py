"""New groups sent through "Add your group": the officers' review queue for them, with the
organisations the directory may already hold under another spelling."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin

from ..duplicates import possible_duplicates
from ..models import GroupSubmission


@admin.register(GroupSubmission)
class GroupSubmissionAdmin(AnchorNetModelAdmin):
    """Officers see every new group, the anchor it went to, its possible duplicates and the
    decision on it. Deciding happens on the group's page in the front end
    (``/new-groups/<id>/``, ``services.group_submission_decide``: one decision, one email to the
    sender), so the decision is read-only here; an officer corrects a published group on its
    organisation page."""

    list_display = ("organisation", "status", "reviewer", "locality", "created_at", "decided_at")
    list_select_related = ("organisation", "reviewer", "locality")
    list_filter = ("status", "organisation__status")
    search_fields = ("organisation__name", "submitter_name", "submitter_email")
    _decision = ("status", "decided_at", "decided_by", "duplicate_of", "decline_reason")
    fields = (
        "organisation",
        "reviewer",
        "locality",
        "duplicates",
        "warned_about",
        *_decision,
        "submitter_name",
        "submitter_email",
        "submitter_phone",
        "created_at",
    )
    readonly_fields = ("organisation", "locality", "duplicates", "warned_about", *_decision, "created_at")
    autocomplete_fields = ("reviewer",)

    def has_add_permission(self, request, obj=None):
        return False  # groups arrive through the public form

    @admin.display(description=_("possible duplicates"))
    def duplicates(self, obj: GroupSubmission):
        organisation = obj.organisation
        found = possible_duplicates(
            organisation.name, organisation.postcode, organisation.charity_number, exclude_pk=organisation.pk
        )
        if not found:
            return _("None found: no organisation with this charity number, or this name in this postcode district.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {})</li>',
                (
                    (
                        reverse("admin:organisations_organisation_change", args=[other.pk]),
                        other.name,
                        other.get_status_display(),
                        other.postcode or "—",
                    )
                    for other in found
                ),
            ),
        )
