"""Action items written in the body: owner, due, done and status; durations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.actions import parse_item, read_date
from generator.timeparse import parse_duration

REFERENCE = date(2025, 1, 15)

ITEMS = [
    ("Release connections in a finally block (Owner: backend, Due: 2025-02-15)", None,
     "Release connections in a finally block", "backend", date(2025, 2, 15), None, "open"),
    ("Export pool metrics (Owner: sre, Done: 1/16)", None,
     "Export pool metrics", "sre", None, date(2025, 1, 16), "done"),
    ("Add an alert - Owner: sre, Due: Feb 20", None,
     "Add an alert", "sre", date(2025, 2, 20), None, "open"),
    ("Write the failover runbook @ops", None,
     "Write the failover runbook", "ops", None, None, "open"),
    ("Load test (Owner: qa; Due: 2025-03-01; Status: in progress)", None,
     "Load test", "qa", date(2025, 3, 1), None, "in-progress"),
    ("Rotate keys (Owner: sec, Due: 15 Mar 2025)", True,
     "Rotate keys", "sec", date(2025, 3, 15), None, "done"),
    ("Rotate keys (Owner: sec, Due: 2025-03-15)", False,
     "Rotate keys", "sec", date(2025, 3, 15), None, "open"),
    ("Drop the old cluster (Owner: infra, Status: won't do)", None,
     "Drop the old cluster", "infra", None, None, "wont-do"),
    ("**Monitor subnets**: add an IP capacity alert", None,
     "**Monitor subnets**: add an IP capacity alert", "", None, None, "open"),
    ("TODO: a change that prevents a repeat (Owner: TODO, Due: YYYY-MM-DD)", None,
     "TODO: a change that prevents a repeat", "", None, None, "open"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "checked", "task", "owner", "due", "done_on", "status"), ITEMS
)
def test_item_fields(text, checked, task, owner, due, done_on, status) -> None:
    item = parse_item(text, checked, REFERENCE)
    assert item.task == task
    assert item.owner == owner
    assert item.due == due
    assert item.done_on == done_on
    assert (item.status or "open") == status
    assert item.invalid == ""


def test_item_invalid_due_date() -> None:
    item = parse_item("Thing (Owner: a, Due: tomorrow)", None, REFERENCE)
    assert item.invalid == "invalid due date 'tomorrow'"


def test_item_unknown_status() -> None:
    item = parse_item("Thing (Owner: a, Status: maybe)", None, REFERENCE)
    assert item.invalid == "unknown action item status 'maybe'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-15", date(2025, 2, 15)),
        ("2025/02/15", date(2025, 2, 15)),
        ("15 February 2025", date(2025, 2, 15)),
        ("Feb 15, 2025", date(2025, 2, 15)),
        ("1/16", date(2025, 1, 16)),
        ("12/30", date(2024, 12, 30)),
        ("3/1/26", date(2026, 3, 1)),
        ("someday", None),
    ],
)
def test_read_date(text: str, expected: date | None) -> None:
    assert read_date(text, REFERENCE) == expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h30m", 90),
        ("1 hour 30 minutes", 90),
        ("2d", 2880),
        ("45 mins", 45),
        ("90s", 1.5),
    ],
)
def test_parse_duration(text: str, minutes: float) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)
