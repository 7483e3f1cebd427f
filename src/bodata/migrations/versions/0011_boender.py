"""Boenderegister: run issues, run messages and integration alerts stored as codes with parameters (shown in the
reader's language); a run's named records stored as one list per kind and action; a user's language.

Rows written before keep their text; the migration gives known English texts their codes, so old run reports
are translated too, and leaves any other text as it was (it is then shown as stored). Named records are gathered
into lists in the order they were written.

Revision ID: 0011_boender
Revises: 0010_standin
Create Date: 2026-12-07
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0011_boender"
down_revision = "0010_standin"
branch_labels = None
depends_on = None

# Texts of releases before 0010 → (code, parameter names of the pattern's groups).
_ISSUES = [
    (r"Reference ID is missing", "refid_missing", ()),
    (r"Reference ID does not start with a 4-digit Lantmäteriet number", "refid_no_number", ()),
    (r"the 4-digit number is not followed by an underscore", "refid_no_underscore", ()),
    (r"the identifier after the underscore is empty", "identifier_empty", ()),
    (
        r"the identifier after the underscore has (\d+) characters; at most (\d+) are allowed",
        "identifier_too_long",
        ("length", "max"),
    ),
    (
        r"the groups (.*) share this Reference ID but give different Apartment number or Floor values",
        "conflicting_duplicates",
        ("groups",),
    ),
    (r"the groups (.*) share this Reference ID; residents merged", "duplicate_merged", ("groups",)),
    (r"Floor '(.*)' is not a Lantmäteriet floor code; the number's is used", "floor_not_a_code", ("floor",)),
    (r"floor code (\d\d) is implausible \(storey (-?\d+)\)", "floor_implausible", ("code", "storey")),
    (r"door 00 in (\d{4}) is implausible: doors count from 01", "door_zero", ("number",)),
    (
        r"Apartment number '(.*)' is longer than (\d+) characters; ignored",
        "internal_number_too_long",
        ("number", "max"),
    ),
    (
        r"the address '(.*)' belongs to another integration \('(.*)'\); an integration never changes another's records",
        "address_of_another_integration",
        ("address", "owner"),
    ),
]
_RUN_MESSAGES = [
    (r"No changes in Axema since the last run\.", "no_changes", ()),
    (r"Internal error while writing; nothing was changed\.", "internal_error", ()),
    (r"The run was interrupted \(its process stopped\); nothing it had not finished was written\.", "interrupted", ()),
    (r"The Axema system has no B60 domain controller; .*", "no_b60", ()),
]
_SOURCE_FAILURES = {
    "The Axema system could not be reached": "unreachable",
    "The Axema system refused the integration account": "auth",
    "The Axema system answered with an error": "http_error",
    "The Axema system returned incomplete data": "partial",
    "The Axema system's answer could not be read": "invalid",
}


def _code(text: str, patterns) -> tuple[str, dict] | None:
    for pattern, code, names in patterns:
        match = re.fullmatch(pattern, text, flags=re.DOTALL)
        if match:
            return code, dict(zip(names, match.groups(), strict=True))
    return None


def upgrade() -> None:
    with op.batch_alter_table("br_run_issue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
    with op.batch_alter_table("br_integration_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_code", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("message_params", sa.JSON(), nullable=True))
    with op.batch_alter_table("br_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("br_integration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_code", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("alert_params", sa.JSON(), nullable=True))
    connection = op.get_bind()
    issues = sa.table(
        "br_run_issue", sa.column("id"), sa.column("reason"), sa.column("code"), sa.column("params", sa.JSON())
    )
    for row in connection.execute(sa.select(issues.c.id, issues.c.reason)).all():
        found = _code(row.reason, _ISSUES)
        if found:
            connection.execute(issues.update().where(issues.c.id == row.id).values(code=found[0], params=found[1]))
    runs = sa.table(
        "br_integration_run",
        sa.column("id"),
        sa.column("status"),
        sa.column("message"),
        sa.column("changes", sa.JSON()),
        sa.column("message_code"),
        sa.column("message_params", sa.JSON()),
    )
    for row in connection.execute(sa.select(runs.c.id, runs.c.status, runs.c.message, runs.c.changes)).all():
        message = row.message or ""
        found = _code(message, _RUN_MESSAGES)
        failure, _, detail = message.partition(": ")
        if found is None and failure in _SOURCE_FAILURES:
            found = ("source_failed", {"kind": _SOURCE_FAILURES[failure], "detail": detail})
        if found is None and row.status == "succeeded" and row.changes:
            found = ("changes", {"changes": row.changes})
        if found:
            connection.execute(
                runs.update().where(runs.c.id == row.id).values(message_code=found[0], message_params=found[1])
            )
    _gather_run_records(connection)


def _gather_run_records(connection) -> None:
    old = sa.table(
        "br_run_record",
        sa.column("id"),
        sa.column("run_id"),
        sa.column("kind"),
        sa.column("action"),
        sa.column("label"),
    )
    gathered: dict[tuple, list[str]] = {}
    for row in connection.execute(sa.select(old.c.run_id, old.c.kind, old.c.action, old.c.label).order_by(old.c.id)):
        gathered.setdefault((row.run_id, row.kind, row.action), []).append(row.label)
    connection.execute(old.delete())
    with op.batch_alter_table("br_run_record", schema=None) as batch_op:
        batch_op.drop_column("label")
        batch_op.add_column(sa.Column("labels", sa.JSON(), nullable=False))
    new = sa.table(
        "br_run_record", sa.column("run_id"), sa.column("kind"), sa.column("action"), sa.column("labels", sa.JSON())
    )
    if gathered:
        connection.execute(
            new.insert(),
            [
                {"run_id": run_id, "kind": kind, "action": action, "labels": labels}
                for (run_id, kind, action), labels in gathered.items()
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("br_user", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("br_integration", schema=None) as batch_op:
        batch_op.drop_column("alert_params")
        batch_op.drop_column("alert_code")
    records = sa.table(
        "br_run_record", sa.column("run_id"), sa.column("kind"), sa.column("action"), sa.column("labels", sa.JSON())
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(records)).all()
    connection.execute(records.delete())
    with op.batch_alter_table("br_run_record", schema=None) as batch_op:
        batch_op.drop_column("labels")
        batch_op.add_column(sa.Column("label", sa.String(length=400), nullable=False))
    old = sa.table("br_run_record", sa.column("run_id"), sa.column("kind"), sa.column("action"), sa.column("label"))
    named = [
        {"run_id": row.run_id, "kind": row.kind, "action": row.action, "label": label[:400]}
        for row in rows
        for label in row.labels
    ]
    if named:
        connection.execute(old.insert(), named)
    with op.batch_alter_table("br_integration_run", schema=None) as batch_op:
        batch_op.drop_column("message_params")
        batch_op.drop_column("message_code")
    with op.batch_alter_table("br_run_issue", schema=None) as batch_op:
        batch_op.drop_column("params")
        batch_op.drop_column("code")
