"""Database triggers for the anchor-role rules that span rows.

A check constraint sees one row; these rules need others, so they are triggers:

1. A role fits its network's structure: ``lead_anchor``/``local_anchor`` in a tiered network,
   ``anchor`` in a peer network.
2. A current local anchor's lead is a current lead anchor of the same network.
3. A lead anchor with current local anchors cannot stop being a current lead anchor (leave,
   change role or network) until they are moved.
4. A network cannot change structure while it has current roles that no longer fit.

Violations raise an integrity error (SQLSTATE 23514 on PostgreSQL), which Django surfaces as
``django.db.IntegrityError``. The forms explain the same rules first (``AnchorRole.clean``).

SQLite rebuilds a table for many ALTERs and drops its triggers when it does: a later migration
that alters these tables must re-run ``SQLITE_SQL``. tests/organisations/test_rules.py fails if
the triggers are missing on either database.
"""

from django.db import migrations

POSTGRES_SQL = """
CREATE FUNCTION organisations_anchorrole_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    net_structure text;
    lead_ok boolean;
BEGIN
    SELECT structure INTO net_structure FROM organisations_network WHERE id = NEW.network_id;
    IF (net_structure = 'tiered' AND NEW.role NOT IN ('lead_anchor', 'local_anchor'))
       OR (net_structure = 'peer' AND NEW.role <> 'anchor') THEN
        RAISE EXCEPTION 'anchor role "%" does not fit a % network', NEW.role, net_structure
            USING ERRCODE = 'check_violation';
    END IF;

    IF NEW.role = 'local_anchor' AND NEW.left_on IS NULL THEN
        -- FOR SHARE: a concurrent change to the lead waits for us, and we for it.
        SELECT role = 'lead_anchor' AND left_on IS NULL AND network_id = NEW.network_id
          INTO lead_ok
          FROM organisations_anchorrole WHERE id = NEW.lead_id FOR SHARE;
        IF lead_ok IS NOT TRUE THEN
            RAISE EXCEPTION 'a current local anchor needs a current lead anchor of the same network'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    IF TG_OP = 'UPDATE' AND OLD.role = 'lead_anchor' AND OLD.left_on IS NULL
       AND (NEW.role <> 'lead_anchor' OR NEW.left_on IS NOT NULL OR NEW.network_id <> OLD.network_id)
       AND EXISTS (SELECT 1 FROM organisations_anchorrole
                   WHERE lead_id = NEW.id AND left_on IS NULL AND id <> NEW.id) THEN
        RAISE EXCEPTION 'move this lead anchor''s current local anchors to another lead anchor first'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER organisations_anchorrole_rules
    BEFORE INSERT OR UPDATE ON organisations_anchorrole
    FOR EACH ROW EXECUTE FUNCTION organisations_anchorrole_rules();

CREATE FUNCTION organisations_network_structure_rule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.structure <> OLD.structure AND EXISTS (
        SELECT 1 FROM organisations_anchorrole
        WHERE network_id = NEW.id AND left_on IS NULL
          AND ((NEW.structure = 'tiered' AND role NOT IN ('lead_anchor', 'local_anchor'))
               OR (NEW.structure = 'peer' AND role <> 'anchor'))) THEN
        RAISE EXCEPTION 'this network has current anchor roles that do not fit a % network', NEW.structure
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER organisations_network_structure_rule
    BEFORE UPDATE ON organisations_network
    FOR EACH ROW EXECUTE FUNCTION organisations_network_structure_rule();
"""

POSTGRES_REVERSE_SQL = """
DROP TRIGGER IF EXISTS organisations_network_structure_rule ON organisations_network;
DROP FUNCTION IF EXISTS organisations_network_structure_rule();
DROP TRIGGER IF EXISTS organisations_anchorrole_rules ON organisations_anchorrole;
DROP FUNCTION IF EXISTS organisations_anchorrole_rules();
"""

_SQLITE_ROLE_CHECKS = """
    SELECT RAISE(ABORT, 'anchor role does not fit the network structure')
    WHERE ((SELECT structure FROM organisations_network WHERE id = NEW.network_id) = 'tiered'
           AND NEW.role NOT IN ('lead_anchor', 'local_anchor'))
       OR ((SELECT structure FROM organisations_network WHERE id = NEW.network_id) = 'peer'
           AND NEW.role <> 'anchor');
    SELECT RAISE(ABORT, 'a current local anchor needs a current lead anchor of the same network')
    WHERE NEW.role = 'local_anchor' AND NEW.left_on IS NULL AND NOT EXISTS (
        SELECT 1 FROM organisations_anchorrole AS lead
        WHERE lead.id = NEW.lead_id AND lead.role = 'lead_anchor'
          AND lead.left_on IS NULL AND lead.network_id = NEW.network_id);
"""

SQLITE_SQL = [
    f"""CREATE TRIGGER organisations_anchorrole_rules_insert
    BEFORE INSERT ON organisations_anchorrole
    BEGIN {_SQLITE_ROLE_CHECKS} END;""",
    f"""CREATE TRIGGER organisations_anchorrole_rules_update
    BEFORE UPDATE ON organisations_anchorrole
    BEGIN {_SQLITE_ROLE_CHECKS}
    SELECT RAISE(ABORT, 'move this lead anchor''s current local anchors to another lead anchor first')
    WHERE OLD.role = 'lead_anchor' AND OLD.left_on IS NULL
      AND (NEW.role <> 'lead_anchor' OR NEW.left_on IS NOT NULL OR NEW.network_id <> OLD.network_id)
      AND EXISTS (SELECT 1 FROM organisations_anchorrole
                  WHERE lead_id = NEW.id AND left_on IS NULL AND id <> NEW.id);
    END;""",
    """CREATE TRIGGER organisations_network_structure_rule
    BEFORE UPDATE OF structure ON organisations_network
    BEGIN
    SELECT RAISE(ABORT, 'this network has current anchor roles that do not fit its new structure')
    WHERE NEW.structure <> OLD.structure AND EXISTS (
        SELECT 1 FROM organisations_anchorrole
        WHERE network_id = NEW.id AND left_on IS NULL
          AND ((NEW.structure = 'tiered' AND role NOT IN ('lead_anchor', 'local_anchor'))
               OR (NEW.structure = 'peer' AND role <> 'anchor')));
    END;""",
]

SQLITE_REVERSE_SQL = [
    "DROP TRIGGER IF EXISTS organisations_anchorrole_rules_insert;",
    "DROP TRIGGER IF EXISTS organisations_anchorrole_rules_update;",
    "DROP TRIGGER IF EXISTS organisations_network_structure_rule;",
]


def _run(schema_editor, postgres_sql: str, sqlite_sql: list[str]) -> None:
    # A plain cursor, not schema_editor.execute(): the PL/pgSQL bodies contain "%" (RAISE's
    # placeholder), which the schema editor would read as a query parameter.
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(postgres_sql)
        elif vendor == "sqlite":
            for statement in sqlite_sql:
                cursor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRES_SQL, SQLITE_SQL)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRES_REVERSE_SQL, SQLITE_REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_organisation_search_index")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
