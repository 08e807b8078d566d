"""The audit log is append-only in the database itself, not only by the application's habit.

Triggers refuse UPDATE and DELETE on audit_event. Migration 0005 installs them; retention
(deleting events older than the law requires) is done by a database administrator who drops
and recreates the trigger in one reviewed transaction, never by the application.
"""

from __future__ import annotations

_PG = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql""",
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event"
    " FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]
_SQLITE = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event"
    " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event"
    " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END",
]


def append_only_statements(dialect: str) -> list[str]:
    return _PG if dialect == "postgresql" else _SQLITE if dialect == "sqlite" else []


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "DROP TRIGGER audit_event_no_update ON audit_event",
            "DROP TRIGGER audit_event_no_truncate ON audit_event",
            "DROP FUNCTION audit_event_append_only()",
        ]
    if dialect == "sqlite":
        return ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"]
    return []
