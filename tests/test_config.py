"""kb.toml: defaults, every setting, and errors with their lines."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError


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
        "kb.toml:13:1: error: unknown field 'begin'",
        "kb.toml:10:1: error: invalid level 'fatal' for field 'started' (use 'error', 'warning' or 'off')",
        "kb.toml:7:1: error: invalid duration 'soon' for time_to_detect "
        '(write it like "5m", "1h 30m" or a number of minutes)',
        "kb.toml:16:1: error: recurrence.min_incidents must be a positive integer, got 0",
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
