"""Forms and shared messages of the organisations admin: they explain the database's rules
before the database has to refuse a save."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetInlineFormSet, InlineModelForm

from ..models import AnchorRole, AnchorRoleKind

# What to tell an officer when a trigger in migration 0003 refuses a save that the forms did not
# catch first (e.g. two conflicting edits in one submission). Keys are fragments of the
# triggers' messages on PostgreSQL and SQLite.
ANCHOR_ROLE_DATABASE_ERRORS = {
    "does not fit": _(
        "Nothing was saved: an anchor role does not fit its network. A network with lead and "
        "local anchors takes only those roles; a network of peers takes only plain anchors."
    ),
    "do not fit": _(
        "Nothing was saved: the network still has current anchor roles that do not fit the new "
        "structure. End or change those roles first."
    ),
    "needs a current lead anchor": _(
        "Nothing was saved: a current local anchor needs a lead anchor that is a current lead "
        "anchor of the same network."
    ),
    "move this lead anchor": _(
        "Nothing was saved: a lead anchor still has current local anchors. Move them to another "
        "lead anchor (or record that they left) before this role ends or changes."
    ),
}


class AnchorRoleForm(InlineModelForm):
    """An anchor role. ``AnchorRole.clean`` and the model's constraints explain the rules; as an
    inline form it also checks the constraints that involve the parent (see ``InlineModelForm``)."""

    class Meta:
        model = AnchorRole
        fields = "__all__"  # the admin's fields/fieldsets choose what is shown


class AnchorRoleInlineFormSet(AnchorNetInlineFormSet):
    """Anchor roles edited together: catch conflicts between rows of one submission, which
    neither the rows' own validation nor the database (until it is too late) can see."""

    def clean(self):
        super().clean()
        errors: list[str] = []
        current_leads: set[tuple] = set()
        current_roles: set[tuple] = set()
        ending_leads: set[int] = set()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form.errors or (self.can_delete and data.get("DELETE")):
                continue
            rows.append((form, data))
            saved = form.instance
            if (
                saved.pk
                and saved.role == AnchorRoleKind.LEAD_ANCHOR
                and saved.left_on is None
                and (data.get("role") != AnchorRoleKind.LEAD_ANCHOR or data.get("left_on") is not None)
            ):
                ending_leads.add(saved.pk)
        for _form, data in rows:
            if data.get("left_on") is not None:
                continue
            network, locality, organisation = (
                data.get("network"),
                data.get("locality"),
                data.get("organisation"),
            )
            if network is None or locality is None or organisation is None:
                continue
            # The parent may be new (no pk yet); every row shares it, so "new" identifies it.
            place = (network.pk or "new", locality.pk)
            if data.get("role") == AnchorRoleKind.LEAD_ANCHOR:
                if place in current_leads:
                    errors.append(
                        _("%(place)s: two rows make a current lead anchor for the same area in %(network)s.")
                        % {"place": locality, "network": network}
                    )
                current_leads.add(place)
            org_place = (organisation.pk or "new", *place)
            if org_place in current_roles:
                errors.append(
                    _("%(organisation)s has two current roles for %(place)s in %(network)s.")
                    % {"organisation": organisation, "place": locality, "network": network}
                )
            current_roles.add(org_place)
            lead = data.get("lead")
            if data.get("role") == AnchorRoleKind.LOCAL_ANCHOR and lead is not None and lead.pk in ending_leads:
                errors.append(
                    _("%(organisation)s cannot work under %(lead)s: that lead anchor role ends in this change.")
                    % {"organisation": organisation, "lead": lead.organisation}
                )
        if errors:
            raise ValidationError(errors)
