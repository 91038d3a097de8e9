"""Our own deploy checks."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_deploy_check_warns_when_no_accessibility_contact_is_set(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    with pytest.raises(SystemCheckError, match=r"anchornet\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "compatibility")


def test_deploy_check_is_quiet_once_the_contact_is_set(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibility@example.org"
    call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "compatibility")
