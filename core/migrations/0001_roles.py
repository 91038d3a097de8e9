"""The groups behind AnchorNet's roles (the roles and permissions issue).

Only roles that cannot be derived are groups: **Officer** (labels council officers; the admin
itself admits any active staff user, see ``core.permissions.is_officer``) and **Councillor**
(reads plans shared with councillors and network meetings). Lead- and local-anchor editors are
not groups: their scope follows from ``Membership`` and their organisation's current anchor
role, so it can never drift from the network's records.
"""

from django.db import migrations

GROUPS = ("Officer", "Councillor")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
