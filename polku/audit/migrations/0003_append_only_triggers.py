"""Database triggers that refuse to update, delete or truncate audit events.

The SQL is written out here rather than imported, so that this migration keeps doing what
it did when it was first applied. See docs/adr/0003-audit-log.md.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRESQL_FORWARDS = [
    """
    CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
]
POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
]

# SQLite has no TRUNCATE: an unconditional DELETE fires the delete trigger too.
SQLITE_FORWARDS = [
    """
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE is refused'); END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE is refused'); END
    """,
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARDS, POSTGRESQL_BACKWARDS),
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
}


def _run(schema_editor: BaseDatabaseSchemaEditor, *, forwards: bool) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for statement in statements[0 if forwards else 1]:
        schema_editor.execute(statement, params=None)


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, forwards=True)


def remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_one_successor_per_event"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
