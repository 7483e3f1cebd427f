"""Migration 0011_boender: runs written before it get their codes (so old reports are translated too) and their named
records gathered into one list per kind and action."""

from __future__ import annotations

import json

from sqlalchemy import text

from bodata.boenderegister.messages import CATALOGUE, issue_reason, run_message
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade

NOW = "2026-03-01 12:00:00"


def test_old_runs_get_codes_and_their_records_are_gathered(empty_database: Database) -> None:
    engine = empty_database.engine
    upgrade(engine, "0009_boenderegister_ownership")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO br_account (id, name, shown_number, created_at) VALUES (1, 'A', 'lantmateriet', :now)"),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO br_integration (id, account_id, name, data_format, base_url, username, password_encrypted,"
                " schedule_time, timezone, enabled, removal_threshold, created_at) VALUES (1, 1, 'Axema', 'AXEMA',"
                " 'https://a.example', 'u', 'x', '02:00', 'Europe/Stockholm', true, 0.2, :now)"
            ),
            {"now": NOW},
        )
        for run_id, status, message, changes in (
            (1, "failed", "The Axema system could not be reached: POST /api/v1/token: boom", {}),
            (
                2,
                "succeeded",
                "addresses: 1 created; keys: 2 removed.",
                {"addresses": {"created": 1}, "keys": {"removed": 2}},
            ),
            (3, "failed", "Something nobody wrote down", {}),
        ):
            connection.execute(
                text(
                    "INSERT INTO br_integration_run (id, integration_id, trigger, status, started_at, message,"
                    " groups_read, persons_read, residents_seen, changes) VALUES (:id, 1, 'manual', :status,"
                    " :now, :message, 0, 0, 0, :changes)"
                ),
                {"id": run_id, "status": status, "now": NOW, "message": message, "changes": json.dumps(changes)},
            )
        for issue_id, reason in enumerate(
            (
                "Reference ID is missing",
                "the identifier after the underscore has 16 characters; at most 15 are allowed",
                "a reason from a later release",
            )
        ):
            connection.execute(
                text(
                    "INSERT INTO br_run_issue (id, run_id, kind, group_id, group_name, reason)"
                    " VALUES (:id, 2, 'excluded', 'g', 'G', :reason)"
                ),
                {"id": issue_id + 1, "reason": reason},
            )
        for label in ("Torget 1", "Torget 3", "Torget 1, 1001"):
            kind = "apartment" if "," in label else "address"
            connection.execute(
                text("INSERT INTO br_run_record (run_id, kind, action, label) VALUES (2, :kind, 'created', :label)"),
                {"kind": kind, "label": label},
            )

    upgrade(engine)

    english = CATALOGUE.translator("en")
    with engine.connect() as connection:
        runs = connection.execute(
            text("SELECT message_code, message_params, message FROM br_integration_run ORDER BY id")
        ).all()
        issues = connection.execute(text("SELECT code, params, reason FROM br_run_issue ORDER BY id")).all()
        records = connection.execute(text("SELECT kind, action, labels FROM br_run_record ORDER BY id")).all()
    loaded = lambda value: json.loads(value) if isinstance(value, str) else value  # noqa: E731  (SQLite: text)
    shown = [run_message(english, code, loaded(params), message) for code, params, message in runs]
    assert shown == [
        "The Axema system could not be reached. Nothing was changed. Technical detail: POST /api/v1/token: boom",
        "addresses: 1 created; keys: 2 removed.",
        "Something nobody wrote down",
    ]
    assert [run_message(CATALOGUE.translator("sv"), code, loaded(params), message) for code, params, message in runs][
        1
    ] == "adresser: 1 skapad; nycklar: 2 borttagna."
    reasons = [english.render(issue_reason(code, loaded(params), reason)) for code, params, reason in issues]
    assert reasons == [
        "Reference ID is missing",
        "the identifier after the underscore has 16 characters; at most 15 are allowed",
        "a reason from a later release",
    ]
    assert issues[1][0] == "identifier_too_long"
    assert sorted((kind, action, loaded(labels)) for kind, action, labels in records) == [
        ("address", "created", ["Torget 1", "Torget 3"]),
        ("apartment", "created", ["Torget 1, 1001"]),
    ]
