"""kb.toml: defaults, every setting, and errors with their lines."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.vocabulary import (
    DEFAULT_SEVERITIES,
    Severity,
    did_you_mean,
    severity_hint,
)

FIELD_LIST = (
    "title, severity, status, timezone, started, detected, mitigated, resolved, "
    "impact, summary, users_affected, root_cause, root_cause.category, "
    "root_cause.summary, trigger, contributing_factors, services, tags, authors, "
    "action_items, related, aliases"
)
SETTING_LIST = (
    "title, description, base_url, timezone, repo_url, repo_branch, edit_url, "
    "theme_dir, severity, categories, default_categories, triggers, "
    "default_triggers, field_aliases, defaults, fields, extra_fields, targets, "
    "recurrence, rules"
)
SEVERITY_LIST = (
    "use one of: SEV1, SEV2, SEV3, SEV4, or an alias such as 'critical' or 'P1'"
)


def config_errors(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "kb.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    return [
        problem.format().replace(str(tmp_path) + "/", "")
        for problem in raised.value.problems
    ]


def test_defaults_without_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None
    assert [s.key for s in config.severities] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert config.severity("P1").key == "SEV1"
    assert config.severity("high").key == "SEV2"
    assert config.severity("sev-3").key == "SEV3"
    assert "resource-exhaustion" in config.categories
    assert "scheduled-job" in config.triggers
    assert config.targets.time_to_detect == timedelta(minutes=5)
    assert config.targets.time_to_recover == timedelta(minutes=30)
    assert config.timezone_name == "UTC"


def test_every_setting(tmp_path: Path) -> None:
    (tmp_path / "theme").mkdir()
    (tmp_path / "kb.toml").write_text(
        """
title = "Ops reviews"
base_url = "https://example.com/pm"
timezone = "Europe/Berlin"
repo_url = "https://github.com/acme/pm"
theme_dir = "theme"
extra_fields = ["ticket"]
default_triggers = false

[severity]
levels = [
  { key = "P0", label = "Emergency", aliases = ["sev0"] },
  { key = "P1", label = "High" },
]

[categories]
vendor = "A vendor broke something"

[triggers]
migration = "A data migration"

[field_aliases]
start_time = "started"
category = "root_cause.category"

[defaults]
severity = "P1"

[fields]
services = "off"
started = "error"

[targets]
time_to_detect = "10m"
[targets.P0]
time_to_recover = "1h 30m"

[recurrence]
min_incidents = 3
window_days = 90

[rules]
blame = "error"
""",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.title == "Ops reviews"
    assert config.base_url == "https://example.com/pm/"
    assert config.timezone_name == "Europe/Berlin"
    assert config.theme_dir == (tmp_path / "theme").resolve()
    assert [(s.key, s.rank) for s in config.severities] == [("P0", 1), ("P1", 2)]
    assert config.severity("SEV0").key == "P0"
    assert "vendor" in config.categories
    assert "deployment" in config.categories
    assert list(config.triggers) == ["migration"]
    assert config.field_aliases == {
        "start_time": "started",
        "category": "root_cause.category",
    }
    assert config.defaults == {"severity": "P1"}
    assert config.field_level("services") == "off"
    assert config.field_level("started") == "error"
    assert config.targets.time_to_detect == timedelta(minutes=10)
    assert config.targets_for("P0").time_to_recover == timedelta(hours=1, minutes=30)
    assert config.targets_for("P0").time_to_detect == timedelta(minutes=10)
    assert config.targets_for("P1").time_to_recover == timedelta(minutes=30)
    assert (config.recurrence_min_incidents, config.recurrence_window_days) == (3, 90)
    assert config.rules == {"blame": "error"}
    assert config.extra_fields == ("ticket",)


def test_syntax_error_has_line(tmp_path: Path) -> None:
    assert config_errors(tmp_path, 'title = "x"\ntimezone = \n') == [
        "kb.toml:2:12: error: invalid TOML: Invalid value (fix the syntax of kb.toml)"
    ]


def test_all_value_errors_in_one_run(tmp_path: Path) -> None:
    text = """title = "x"
timezone = "Mars/Olympus"
base_url = "example.com"
titel = "y"

[targets]
time_to_detect = "soon"

[fields]
started = "fatal"

[field_aliases]
start = "begin"

[recurrence]
min_incidents = 0
"""
    assert config_errors(tmp_path, text) == [
        "kb.toml:3:1: error: invalid base_url 'example.com' "
        "(use an absolute URL such as 'https://example.com/postmortems/')",
        "kb.toml:2:1: error: unknown time zone 'Mars/Olympus' "
        "(use an IANA name such as 'Europe/Berlin' or an offset like '+09:00')",
        f"kb.toml:13:1: error: unknown field 'begin' (use one of: {FIELD_LIST})",
        "kb.toml:10:1: error: invalid level 'fatal' for field 'started' (use 'error', 'warning' or 'off')",
        "kb.toml:7:1: error: invalid duration 'soon' for time_to_detect "
        '(write it like "5m", "1h 30m" or a number of minutes)',
        "kb.toml:16:1: error: recurrence.min_incidents must be a positive integer, got 0 "
        "(write a whole number of 1 or more, like min_incidents = 3)",
        "kb.toml:4:1: error: unknown setting 'titel' (did you mean 'title'?)",
    ]


def test_severity_default_must_exist(tmp_path: Path) -> None:
    assert config_errors(tmp_path, '[defaults]\nseverity = "unrated"\n') == [
        "kb.toml:2:1: error: default severity 'unrated' is not on the severity scale "
        "(add it to [severity] levels)"
    ]


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, tmp_path / "nope.toml")
    assert raised.value.problems[0].message == "configuration file not found"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("title = 5\n", 'kb.toml:1:1: error: \'title\' must be a string, got 5 (put the value in quotes, like title = "5")'),
        ("repo_url = [1]\n", 'kb.toml:1:1: error: \'repo_url\' must be a string, got [1] (put the value in quotes, like repo_url = "…")'),
        ("[severity]\nlevels = []\n", 'kb.toml:2:1: error: severity.levels must be a non-empty array of tables (write one table per level, most severe first, like levels = [{ key = "SEV1", label = "Critical" }])'),
        ('[severity]\nlevels = [{ key = "SEV1" }, { key = "P1", aliases = ["sev1"] }]\n', "kb.toml:2:1: error: severity name 'sev1' is used twice (rename or remove one, because each key and alias must name one level, ignoring case)"),
        ('[severity]\nlevels = [{ key = "SEV1", aliases = "P1" }]\n', 'kb.toml:2:1: error: severity aliases must be a list of strings (write them like aliases = ["critical", "P1"])'),
        ("unknown_key = 1\n", f"kb.toml:1:1: error: unknown setting 'unknown_key' (use one of: {SETTING_LIST})"),
        ('theme_dir = "/nonexistent"\n', "kb.toml:1:1: error: theme folder not found: /nonexistent (create the folder, or give its path relative to the folder of kb.toml)"),
        ('extra_fields = "ticket"\n', 'kb.toml:1:1: error: extra_fields must be a list of field names (write it like extra_fields = ["ticket", "customer"])'),
        ('default_triggers = "no"\n', "kb.toml:1:1: error: default_triggers must be true or false (write default_triggers = false to drop the default triggers, or leave it out)"),
        ("[categories]\nvendor = 1\n", 'kb.toml:2:1: error: the description of category \'vendor\' must be a string (write it like vendor = "what this category means")'),
        ("[field_aliases]\nbegin = 1\n", 'kb.toml:2:1: error: field alias \'begin\' must name a field as a string (write it like begin = "started")'),
        ("[defaults]\nnonexistent_field = 1\n", f"kb.toml:2:1: error: unknown field 'nonexistent_field' (use one of: {FIELD_LIST})"),
        ('[defaults]\nseverity = "SEV9"\n', "kb.toml:2:1: error: default severity 'SEV9' is not on the severity scale (add it to [severity] levels)"),
        ('[defaults]\nseverity = "critcal"\n', "kb.toml:2:1: error: default severity 'critcal' is not on the severity scale (did you mean 'critical'?)"),
        ('[defaults]\ncategory = "procss"\n', "kb.toml:2:1: error: default category 'procss' is not in [categories] (did you mean 'process'?)"),
        ('[defaults]\ncategory = ["network", "vendor"]\n', "kb.toml:2:1: error: default category 'vendor' is not in [categories] (add it to [categories], or use one of: config-change, deployment, software-bug, resource-exhaustion, capacity, dependency-failure, infrastructure, network, certificate-expiry, data, security, time, process, unknown)"),
        ('[targets.SEV9]\ntime_to_detect = "5m"\n', f"kb.toml:1:1: error: 'SEV9' in [targets.SEV9] is not a severity of the scale ({SEVERITY_LIST})"),
        ('[targets.sev01]\ntime_to_detect = "5m"\n', "kb.toml:1:1: error: 'sev01' in [targets.sev01] is not a severity of the scale (did you mean 'SEV1'?)"),
        ('[targets]\nSEV1 = "5m"\n', "kb.toml:2:1: error: the targets of SEV1 must be a table, like [targets.SEV1] (give time_to_detect and time_to_recover in that table)"),
        ('[targets]\ntime_to_detec = "5m"\n', "kb.toml:2:1: error: unknown target setting 'time_to_detec' (did you mean 'time_to_detect'?)"),
        ('[targets]\nlimit = "5m"\n', "kb.toml:2:1: error: unknown target setting 'limit' (use time_to_detect, time_to_recover or a [targets.SEVERITY] table)"),
        ('[rules]\nblaming = "error"\n', "kb.toml:2:1: error: unknown rule 'blaming' (did you mean 'blame'?)"),
    ],
)  # fmt: skip
def test_error_has_hint(tmp_path: Path, text: str, expected: str) -> None:
    assert config_errors(tmp_path, text) == [expected]


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "kb.toml").write_bytes(b"\xff\xfetitle = 'x'\n")
    # Line 2 contains "é" in UTF-8, then a Latin-1 "é": columns count characters.
    (tmp_path / "other.toml").write_bytes(
        'title = "x"\ndescription = "é'.encode() + b'\xe9"\n'
    )
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert [p.format() for p in raised.value.problems] == [
        f"{tmp_path}/kb.toml:1:1: error: kb.toml is not valid UTF-8 (byte 0xff) (save the file as UTF-8)"
    ]
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, tmp_path / "other.toml")
    assert [p.format() for p in raised.value.problems] == [
        f"{tmp_path}/other.toml:2:17: error: other.toml is not valid UTF-8 (byte 0xe9) (save the file as UTF-8)"
    ]


def test_config_is_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, tmp_path)
    assert [p.format() for p in raised.value.problems] == [
        f"{tmp_path}:1:1: error: cannot read {tmp_path.name}: Is a directory (check that the path names a file you can read)"
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("SEV9", SEVERITY_LIST),
        ("3", "did you mean 'SEV3'?"),
        (3, "did you mean 'SEV3'?"),
        ("sev1x", "did you mean 'SEV1'?"),
        ("P0", SEVERITY_LIST),
        ("critcal", "did you mean 'critical'?"),
        ("crit", SEVERITY_LIST),
        ("unrated", SEVERITY_LIST),
    ],
)
def test_severity_hint(value: object, expected: str) -> None:
    assert severity_hint(value, DEFAULT_SEVERITIES) == expected


def test_severity_hint_without_aliases() -> None:
    levels = (Severity("high", "High", 1), Severity("low", "Low", 2))
    assert severity_hint("2", levels) == "use one of: high, low"


def test_did_you_mean_long_list() -> None:
    choices = [f"id-{number:02}" for number in range(30)]
    assert did_you_mean("zzz", choices) == (
        "use one of: id-00, id-01, id-02, id-03, id-04, id-05, id-06, id-07, "
        "id-08, id-09 and 20 more"
    )
    assert did_you_mean("zzz", choices[:25]).endswith(", id-23, id-24")


def test_rule_level_and_table_messages(tmp_path: Path) -> None:
    assert config_errors(tmp_path, 'rules = "blame"\n') == [
        "kb.toml:1:1: error: 'rules' must be a table, like [rules] "
        "(write [rules] on a line of its own, then one 'name = value' per line)"
    ]
    assert config_errors(tmp_path, "[rules]\nblame = true\n") == [
        "kb.toml:2:1: error: invalid level true for rule 'blame' "
        "(use 'error', 'warning' or 'off')"
    ]
