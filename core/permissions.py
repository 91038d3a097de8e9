"""The role-free basics of who may do what: signed in, officer, councillor.

Everything about a record's scope lives with its model: each app answers the questions about
its own records in its QuerySet methods (``public()``, ``visible_to(user)``,
``editable_by(user)``) and its ``permissions.py``; roles that follow from the network's records
(lead-anchor editor, local-anchor editor) belong to ``organisations.permissions``. See
docs/adr/0006-layers.md.

The functions take ``user`` (possibly ``AnonymousUser``) and return booleans; none raises for
an anonymous or inactive user: they simply grant nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# The groups behind the roles that cannot be derived from records (core/migrations/0001_roles.py).
COUNCILLOR_GROUP = "Councillor"


def is_signed_in(user: User | None) -> bool:
    """An authenticated, active account."""
    return bool(user and user.is_authenticated and user.is_active)


def is_officer(user: User | None) -> bool:
    """An active staff user: a council officer, who may do everything."""
    return is_signed_in(user) and user.is_staff


def is_councillor(user: User | None) -> bool:
    """An active member of the ``Councillor`` group (one query)."""
    return is_signed_in(user) and user.groups.filter(name=COUNCILLOR_GROUP).exists()
