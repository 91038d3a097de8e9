"""The officers' admin for organisations, networks, anchor roles, services (taxonomy terms),
initiatives, memberships, opening times, languages and profile edits held for review: where council officers keep the
directory up to date. One module per model; importing them registers the admins."""

from . import group_submission, membership, network, opening, organisation, profile_revision, vocabulary  # noqa: F401
