"""Profile edits held for review: the officers' review queue."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin

from ..models import ProfileRevision, ProfileRevisionStatus
from ..services import profile_revision_approve, profile_revision_changes, profile_revision_reject


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(AnchorNetModelAdmin):
    """Officers review editors' edits to published profiles: see what changed, then approve
    (the edit goes live) or reject with a note."""

    list_display = ("organisation", "status", "submitted_by", "created_at", "reviewed_by")
    list_filter = ("status",)
    list_select_related = ("organisation", "submitted_by", "reviewed_by")
    search_fields = ("organisation__name", "submitted_by__username", "submitted_by__email")
    fields = (
        "organisation",
        "status",
        "submitted_by",
        "created_at",
        "changes",
        "review_note",
        "reviewed_by",
        "reviewed_at",
    )
    readonly_fields = ("organisation", "status", "submitted_by", "created_at", "changes", "reviewed_by", "reviewed_at")
    change_form_template = "admin/organisations/profilerevision/change_form.html"

    def has_add_permission(self, request, obj=None):
        return False  # edits arrive from editors through the front end

    @admin.display(description=_("what changed"))
    def changes(self, obj: ProfileRevision):
        rows = profile_revision_changes(obj)
        if not rows:
            return _("Nothing: the edit matches the published profile.")
        changed_since = any(row[3] for row in rows)
        note = (
            format_html(
                "<p><strong>{}</strong></p>",
                _(
                    "Someone changed the profile after this edit was made: the last column shows the value "
                    "live now. Approving publishes the proposed value; fields the editor did not change keep "
                    "their live values."
                ),
            )
            if changed_since
            else ""
        )
        return format_html(
            '{}<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            note,
            _("Field"),
            _("When the edit was made"),
            _("Proposed"),
            _("Live now, if changed since"),
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>', rows),
        )

    def response_change(self, request, obj):
        """Say what the decision did, rather than Django's "was changed successfully"."""
        if "_approve" in request.POST or "_reject" in request.POST:
            obj.refresh_from_db()
            if obj.status == ProfileRevisionStatus.APPROVED:
                message = _("The edit to %(name)s is approved and live on its public page.")
            else:
                message = _("The edit to %(name)s is rejected; the editor sees your note.")
            self.message_user(request, message % {"name": obj.organisation.name}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:organisations_profilerevision_changelist"))
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("review_note", "")
        if "_approve" in request.POST:
            profile_revision_approve(revision=obj, user=request.user, note=note)
        elif "_reject" in request.POST:
            profile_revision_reject(revision=obj, user=request.user, note=note)
        else:
            obj.save(update_fields=["review_note", "updated_at"])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ReviewForm(form):
            def clean(self):
                cleaned_data = super().clean()
                if self.instance.pk and not self.instance.is_pending and ({"_approve", "_reject"} & set(request.POST)):
                    raise ValidationError(_("This edit has already been reviewed."))
                if "_reject" in request.POST and not (cleaned_data.get("review_note") or "").strip():
                    self.add_error("review_note", _("Say why the edit is rejected, so the editor can put it right."))
                return cleaned_data

        return ReviewForm
