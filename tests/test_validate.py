"""Front matter validation: schema, vocabularies, times and exact messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.config import Config
from generator.load import load_postmortem
from generator.model import Postmortem

BASE = """\
title: Checkout errors from exhausted database connection pool
impact: Checkout failed
root_cause: {category: data}
services: [checkout]
started: 2025-01-01 10:00
detected: 2025-01-01 10:05
resolved: 2025-01-01 11:00
"""
ACTIONS = "## Action Items\n\n- Add an alert (Owner: sre, Due: 2025-02-01)\n"


def load(front_matter: str, body: str = ACTIONS, config: Config | None = None):
    """Load one report made of ``front_matter`` and ``body`` as r.md."""
    text = f"---\n{front_matter}---\n{body}"
    return load_postmortem(
        "r.md", text.encode(), config or Config(content_dir=Path("."))
    )


def problems_of(front_matter: str, body: str = ACTIONS) -> list[str]:
    return [p.format() for p in load(front_matter, body).problems]


def loaded(front_matter: str, body: str = ACTIONS) -> Postmortem:
    result = load(front_matter, body)
    assert [p.format() for p in result.problems] == []
    assert result.postmortem is not None
    return result.postmortem


CASES = [
    (
        "severity: sev1x\n" + BASE,
        "r.md:2:11: error: unknown severity 'sev1x' (did you mean 'SEV1'?)",
    ),
    (
        "severity: SEV1\n"
        + BASE.replace("category: data", "category: resource-exhaustio"),
        "r.md:5:24: error: unknown root-cause category 'resource-exhaustio' "
        "(did you mean 'resource-exhaustion'?)",
    ),
    (
        "severity: SEV1\n" + BASE.replace("10:05", "09:00"),
        "r.md:8:11: error: 'detected' (2025-01-01 09:00) is before 'started' "
        "(2025-01-01 10:00) (times must follow started <= detected <= mitigated <= resolved)",
    ),
    (
        "severity: SEV1\ntimezone: Mars/Base\n" + BASE,
        "r.md:3:11: error: unknown time zone 'Mars/Base' "
        "(use an IANA name such as 'Asia/Seoul' or an offset like '+09:00')",
    ),
    (
        "severity: SEV1\n" + BASE.replace("2025-01-01 11:00", "tomorrow"),
        "r.md:9:11: error: invalid time 'tomorrow' for 'resolved' "
        "(write it as YYYY-MM-DD HH:MM, optionally with seconds and an offset like +09:00)",
    ),
    (
        "severity: SEV1\nusers_affected: many\n" + BASE,
        "r.md:3:17: error: 'users_affected' must be a whole number, got 'many' "
        "(write a count such as 1200)",
    ),
    (
        "severity: SEV1\naliases: ['../../etc']\n" + BASE,
        "r.md:3:11: error: '../../etc' in 'aliases' points outside the site "
        "(use a plain id such as 2024-11-02-redis-pool-leak)",
    ),
    (
        "severity: SEV1\nsevrity: x\n" + BASE,
        "r.md:3:1: warning: unknown field 'sevrity' (did you mean 'severity'?)",
    ),
    (
        "severity: SEV1\ntrigger: deploy-push\n" + BASE,
        "r.md:3:10: error: unknown trigger 'deploy-push' (did you mean 'deploy'?)",
    ),
    (
        "severity: SEV1\nstatus: final\n" + BASE,
        "r.md:3:9: error: unknown status 'final' (use one of: draft, review, published)",
    ),
    (
        "severity: SEV1\nservices: {a: 1}\n"
        + BASE.replace("services: [checkout]\n", ""),
        "r.md:3:11: error: 'services' must be a list (write it as [a, b] or one '- item' per line)",
    ),
    (
        "severity: SEV1\naction_items:\n  - task: A\n    due: soon\n" + BASE,
        "r.md:5:10: error: invalid date 'soon' for 'due' (write it as YYYY-MM-DD)",
    ),
    (
        "severity: SEV1\naction_items:\n  - owner: y\n" + BASE,
        "r.md:4:5: error: action item 1 needs a 'task' "
        "(write it as '- task: …' with owner, due and status)",
    ),
    (
        "severity: SEV1\naction_items:\n  - task: A\n    status: finished\n" + BASE,
        "r.md:5:13: error: unknown action item status 'finished' "
        "(use one of: open, in-progress, done, wont-do)",
    ),
]


@pytest.mark.parametrize(("front_matter", "expected"), CASES)
def test_invalid_field_message(front_matter: str, expected: str) -> None:
    assert problems_of(front_matter) == [expected]


def test_missing_fields_reported_by_level() -> None:
    assert problems_of("tags: [x]\n", body="") == [
        "r.md:1:1: error: missing required field 'title' (add a title that says what broke and how)",
        "r.md:1:1: error: missing required field 'severity' (add severity: SEV1 … SEV4)",
        "r.md:1:1: warning: missing recommended field 'started' (add the time the impact began)",
        "r.md:1:1: warning: missing recommended field 'detected' (add the time the incident was detected)",
        "r.md:1:1: warning: missing recommended field 'resolved' (add the time the impact ended)",
        "r.md:1:1: error: missing required field 'impact' (add one line on who was affected and how)",
        "r.md:1:1: error: missing required field 'root_cause.category' "
        "(add root_cause: {category: …, summary: …})",
        "r.md:1:1: warning: missing recommended field 'services' (list the affected services)",
        "r.md:1:1: warning: missing recommended field 'action_items' "
        "(list follow-ups in front matter or under an '## Action Items' heading)",
    ]


def test_lone_string_becomes_list() -> None:
    postmortem = loaded(
        "severity: SEV1\ntags: database\n" + BASE.replace("[checkout]", "checkout")
    )
    assert postmortem.tags == ["database"]
    assert postmortem.services == ["checkout"]


def test_severity_alias_and_count_with_commas() -> None:
    postmortem = loaded("severity: major\nusers_affected: 1,200\n" + BASE)
    assert postmortem.severity.key == "SEV2"
    assert postmortem.users_affected == 1200


def test_category_list_and_summary() -> None:
    text = BASE.replace(
        "{category: data}", "{category: [process, data], summary: No review}"
    )
    postmortem = loaded("severity: SEV1\n" + text)
    assert postmortem.root_cause.categories == ["process", "data"]
    assert postmortem.root_cause.summary == "No review"


def test_naive_times_use_report_zone() -> None:
    postmortem = loaded("severity: SEV1\ntimezone: Asia/Seoul\n" + BASE)
    assert postmortem.started == datetime(2025, 1, 1, 1, 0, tzinfo=UTC)
    assert postmortem.started.utcoffset() == timedelta(hours=9)


def test_offset_in_value_wins_over_zone() -> None:
    text = BASE.replace("2025-01-01 10:00", "2025-01-01T10:00:00+02:00")
    text = text.replace("2025-01-01 10:05", "2025-01-01 08:05")
    text = text.replace("2025-01-01 11:00", "2025-01-01 09:00")
    postmortem = loaded("severity: SEV1\ntimezone: UTC\n" + text)
    assert postmortem.time_to_detect == timedelta(minutes=5)


def test_field_aliases_and_defaults() -> None:
    config = Config(content_dir=Path("."))
    config.field_aliases = {
        "start_time": "started",
        "end_time": "resolved",
        "categories": "root_cause.category",
    }
    config.defaults = {
        "severity": "SEV4",
        "impact": "Not stated",
        "title": "Report by {company}",
    }
    config.field_levels["detected"] = "off"
    config.extra_fields = ("company",)
    text = (
        "company: Example\nstart_time: 2020-01-01T10:00:00Z\nend_time: 2020-01-01T12:00:00Z\n"
        "categories: [time]\nservices: [a]\n"
    )
    result = load(text, config=config)
    assert [p.format() for p in result.problems] == []
    postmortem = result.postmortem
    assert postmortem is not None
    assert postmortem.title == "Report by Example"
    assert postmortem.severity.key == "SEV4"
    assert postmortem.duration == timedelta(hours=2)
    assert postmortem.category == "time"
    assert postmortem.extra == {"company": "Example"}


def test_alias_and_canonical_both_given() -> None:
    config = Config(content_dir=Path("."))
    config.field_aliases = {"start_time": "started"}
    result = load(
        "severity: SEV1\nstart_time: 2025-01-01 09:00\n" + BASE, config=config
    )
    assert [p.format() for p in result.problems] == [
        "r.md:8:1: error: field 'started' is given twice (first on line 3) (keep one of the two keys)"
    ]


def test_invalid_utf8_names_byte() -> None:
    result = load_postmortem(
        "r.md", b"---\ntitle: caf\xe9\n---\n", Config(content_dir=Path("."))
    )
    assert [p.format() for p in result.problems] == [
        "r.md:2:11: error: file is not valid UTF-8 (byte 0xe9) (save the file as UTF-8)"
    ]


def test_body_and_front_matter_items_merge() -> None:
    text = "severity: SEV1\naction_items:\n  - task: Add an alert\n    owner: sre\n    due: 2025-02-01\n    status: done\n  - task: Write runbook\n    owner: ops\n    due: 2025-03-01\n"
    body = ACTIONS + "- [ ] Add load test (Owner: qa, Due: 2025-04-01)\n"
    postmortem = loaded(text + BASE, body)
    tasks = [(i.task, i.owner, i.status, i.source) for i in postmortem.action_items]
    assert tasks == [
        ("Add an alert", "sre", "done", "front matter and body"),
        ("Write runbook", "ops", "open", "front matter"),
        ("Add load test", "qa", "open", "body"),
    ]
    assert [i.anchor for i in postmortem.action_items] == [
        "action-add-an-alert",
        "action-write-runbook",
        "action-add-load-test",
    ]


def test_severity_list_is_error() -> None:
    text = "severity: [SEV1, SEV2]\n" + BASE
    assert problems_of(text) == [
        "r.md:2:11: error: 'severity' must be one value, not a list "
        "(keep the highest severity the incident reached)",
    ]


def test_time_in_dst_gap_is_error() -> None:
    text = BASE.replace("2025-01-01 10:00", "2026-03-29 02:30")
    text = text.replace("2025-01-01 10:05", "2026-03-29 03:07").replace(
        "2025-01-01 11:00", "2026-03-29 03:40"
    )
    assert problems_of("severity: SEV1\ntimezone: Europe/Berlin\n" + text) == [
        "r.md:8:10: error: 'started' (2026-03-29 02:30) does not exist in Europe/Berlin: "
        "the clocks skipped it (write the time with its UTC offset, like +02:00)",
    ]


def test_repeated_local_time_warns() -> None:
    text = BASE.replace("2025-01-01 10:00", "2026-10-25 02:30")
    text = text.replace("2025-01-01 10:05", "2026-10-25 03:07").replace(
        "2025-01-01 11:00", "2026-10-25 03:40"
    )
    assert problems_of("severity: SEV1\ntimezone: Europe/Berlin\n" + text) == [
        "r.md:8:10: warning: 'started' (2026-10-25 02:30) happens twice in Europe/Berlin: "
        "the clocks went back (write the time with its UTC offset to say which one)",
    ]


def test_date_without_time_warns() -> None:
    text = BASE.replace("started: 2025-01-01 10:00", "started: 2025-01-01")
    assert problems_of("severity: SEV1\n" + text) == [
        "r.md:7:10: warning: 'started' has a date but no time, so it is read as 00:00 "
        "(add the time, like 2025-01-15 03:00, because durations otherwise count from 00:00)",
    ]


def test_action_item_owner_types() -> None:
    text = (
        "severity: SEV1\naction_items:\n  - task: A\n    owner: [sre, dba]\n  - task: B\n    owner: {x: 1}\n"
        + BASE
    )
    result = load(text)
    assert [p.format() for p in result.problems] == [
        "r.md:7:12: error: 'owner' must be text or a list of names (write it as owner: team-name)"
    ]
    text = (
        "severity: SEV1\naction_items:\n  - task: A\n    owner: [sre, dba]\n  - task:\n"
        + BASE
    )
    assert [p.format() for p in load(text).problems] == [
        "r.md:6:5: error: action item 2 needs a 'task' (write it as '- task: …' with owner, due and status)"
    ]
    postmortem = loaded(
        "severity: SEV1\naction_items:\n  - task: A\n    owner: [sre, dba]\n" + BASE
    )
    assert postmortem.action_items[0].owner == "sre, dba"


def test_file_name_without_letters() -> None:
    result = load_postmortem(
        "🔥.md",
        ("---\nseverity: SEV1\n" + BASE + "---\n" + ACTIONS).encode(),
        Config(content_dir=Path(".")),
    )
    assert [p.format() for p in result.problems] == [
        "🔥.md:1:1: error: file name '🔥.md' has no letters or digits to make an id from "
        "(rename the file, like 2025-01-15-short-title.md)"
    ]


def test_empty_key_reported_at_its_line() -> None:
    assert problems_of(
        "severity: SEV1\n" + BASE.replace("services: [checkout]", "services:")
    ) == [
        "r.md:6:1: warning: missing recommended field 'services' (list the affected services)"
    ]
