"""The page types the accessibility statement says were tested: exactly the page types of the
browser gates (tests/browser/test_page_quality.py, and test_admin_quality.py for the officers'
admin at 1280 and 320 CSS px), by the gates' names, described for readers.

A test fails when the two lists differ, so the statement cannot claim a page the gate does not
check, nor leave out one it does. The statement itself renders ``tested_pages()``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Gate name → how the statement describes it, grouped as the statement lists them.
TESTED_PAGE_TYPES: list[tuple[str, dict[str, str]]] = [
    (
        _("Public pages"),
        {
            "home": _("the home page"),
            "directory": _("the directory of organisations"),
            "directory-search": _("the directory, searched"),
            "directory-filtered": _("the directory, filtered by area, role and service"),
            "directory-no-results": _("the directory with no results"),
            "directory-postcode-approximate": _("the directory searched by a postcode it cannot place exactly"),
            "directory-invalid-filter": _("the directory with a filter error"),
            "organisation-lead-anchor": _("a lead anchor's page"),
            "organisation-supporting-groups": _("an anchor's page, with the groups it supports"),
            "organisation-community-group": _("a community group's page"),
            "network-list": _("the list of networks"),
            "network": _("a network's page"),
            "area-list": _("the list of areas"),
            "district": _("a district's page"),
            "area": _("an area's page"),
            "ward-ended": _("the page of a ward that no longer exists"),
            "plan-list": _("the published locality plans"),
            "plan-list-filtered": _("the locality plans for one area"),
            "plan-list-invalid-filter": _("the locality plans with a filter error"),
            "plan-themes": _("the priorities and concerns of every locality plan, by theme and place"),
            "plan": _("a published locality plan"),
            "plan-superseded": _("a locality plan that has been replaced"),
            "meeting-list": _("the upcoming meetings"),
            "meeting-list-past": _("past meetings"),
            "meeting": _("a meeting with its minutes"),
            "meeting-cancelled": _("a cancelled meeting"),
            "meeting-subscribe": _("adding meetings to a calendar"),
            "meeting-subscribe-area": _("a calendar of one area's meetings"),
            "support-ask": _("asking for support for a community group"),
            "support-ask-error": _("asking for support, with a mistake"),
            "add-group": _("adding a community group to the directory"),
            "add-group-error": _("adding a group, with a mistake"),
            "add-group-duplicate": _("adding a group the directory may already list"),
            "accessibility-statement": _("this statement"),
            "privacy-notice": _("the privacy notice"),
            "cookies": _("the cookies page"),
        },
    ),
    (
        _("Signing in, and pages for people who have signed in"),
        {
            "sign-in": _("the sign-in page"),
            "sign-in-error": _("the sign-in page with a mistake"),
            "sign-in-locked-out": _("the page shown after too many failed sign-ins"),
            "account": _("a lead anchor editor's account page"),
            "account-edit-waiting": _("an account page with an edit waiting for review"),
            "dashboard": _("the monitoring dashboard of a network's figures, by ward and area"),
            "dashboard-empty-period": _("the monitoring dashboard for a period with nothing recorded"),
            "dashboard-error": _("the monitoring dashboard with a mistake in the dates"),
            "dashboard-print": _("the monitoring dashboard laid out for printing"),
            "return-list": _("the quarterly returns submitted, by network"),
            "return": _("a submitted quarterly return beside today's figures"),
            "return-submit": _("submitting a quarterly return again, replacing the one submitted"),
            "return-submit-error": _("submitting a quarterly return, with a mistake"),
            "support-request-queue": _("an anchor's requests for support, one of them overdue"),
            "follow-ups": _("an anchor's follow-ups to do, from its engagement log"),
            "new-groups": _("an anchor's queue of new groups to review, one of them a likely duplicate"),
            "new-group": _("a new group to review, with the decision to publish, merge or decline it"),
            "new-group-error": _("deciding on a new group, with a mistake"),
            "outreach": _("the outreach list of an anchor's community groups, quiet ones first"),
            "outreach-invalid-filter": _("the outreach list with a filter that is not one of its choices"),
            "engagement-log": _("an anchor's engagement log"),
            "engagement-add": _("recording a contact on the engagement log"),
            "engagement-add-error": _("recording a contact, with a mistake"),
            "quiet-note": _("recording why a community group is quiet"),
            "quiet-note-error": _("recording why a group is quiet, with a mistake"),
            "relationships": _("an anchor's support relationships, with their status"),
            "relationship-add": _("adding a support relationship"),
            "relationship-add-error": _("adding a support relationship, with a mistake"),
            "organisation-edit": _("editing an organisation's profile"),
            "organisation-edit-error": _("editing a profile, with a mistake"),
            "organisation-edit-waiting": _("editing a profile with an edit waiting for review"),
            "plan-shared": _("a locality plan shared with councillors, as a councillor sees it"),
            "plan-draft": _("a draft locality plan, as its writer sees it"),
            "plan-list-mine": _("a lead anchor's own plans"),
            "plan-start": _("starting a locality plan"),
            "plan-start-error": _("starting a plan, with a mistake"),
            "plan-not-allowed": _("the page for someone who cannot write plans"),
            "plan-editor": _("the locality plan editor"),
            "plan-editor-error": _("the plan editor, with a mistake"),
            "meeting-with-records": _("a meeting with its attendance and actions"),
            "meeting-subscribe-signed-in": _("a private calendar address"),
            "meeting-subscribe-new-address": _("a new private calendar address"),
            "meeting-actions": _("open actions"),
            "meeting-list-mine": _("a lead anchor's own meetings"),
            "meeting-add": _("adding a meeting"),
            "meeting-add-error": _("adding a meeting, with a mistake"),
            "meeting-edit": _("changing a meeting"),
            "meeting-edit-error": _("changing a meeting, with a mistake"),
            "meeting-records": _("recording attendance and actions"),
            "meeting-records-error": _("recording attendance and actions, with a mistake"),
            "meeting-not-allowed": _("the page for someone who cannot add meetings"),
            "exchange": _("the skills and assets exchange"),
            "exchange-matches": _("the needs in a network member's area that they could meet"),
            "exchange-accept": _("accepting a match in the exchange"),
            "exchange-add": _("adding an offer or a need to the exchange"),
            "exchange-add-error": _("adding an offer or a need, with a mistake"),
        },
    ),
    (
        _("Officers' administration"),
        {
            "officer-sign-in": _("the officers' sign-in page"),
            "admin-index": _("the officers' list of records"),
            "admin-organisation-list": _("the list of organisations"),
            "admin-organisation-change": _("changing an organisation, with its anchor roles and editors"),
            "admin-organisation-change-error": _("changing an organisation, with a mistake"),
            "admin-organisation-history": _("an organisation's history of changes"),
            "admin-organisation-delete-refused": _("deleting an organisation that other records refer to"),
            "admin-plan-list": _("the list of locality plans"),
            "admin-plan-change": _("changing a locality plan"),
            "admin-meeting-list": _("the list of meetings"),
            "admin-meeting-change": _("changing a meeting, with its attendance and actions"),
            "admin-series-list": _("the list of meeting series"),
            "admin-series-change": _("changing a meeting series, with its exceptions"),
            "admin-anchor-role-list": _("the list of anchor roles"),
            "admin-anchor-role-change": _("changing an anchor role"),
            "admin-network-list": _("the list of networks"),
            "admin-network-change": _("changing a network"),
            "admin-locality-list": _("the list of places"),
            "admin-locality-change": _("changing a place"),
            "admin-review-queue": _("the profile edits waiting for review"),
            "admin-review-edit": _("a profile edit waiting for review"),
            "admin-person-data": _("finding a person's data, to export or erase it"),
        },
    ),
    (
        _("Error pages"),
        {
            "forbidden": _("“you cannot see this page”"),
            "bad-request": _("“the address is not right”"),
            "not-found": _("“page not found”"),
            "server-error": _("“problem with the service”"),
            "service-unavailable": _("“the service is unavailable”"),
        },
    ),
]


def tested_pages() -> list[tuple[str, list[str]]]:
    """``(group, descriptions)`` for the statement, in order."""
    return [(str(group), [str(text) for text in pages.values()]) for group, pages in TESTED_PAGE_TYPES]


def tested_page_names() -> set[str]:
    """Every gate name the statement lists."""
    return {name for _group, pages in TESTED_PAGE_TYPES for name in pages}
