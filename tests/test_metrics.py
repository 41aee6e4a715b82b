"""Per-incident metrics, aggregates, percentiles, bucketing and rolling windows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from metrics_kb import incident, load_kb

from generator.metrics import (
    choose_period,
    percentile,
    period_keys,
    summarize,
)
from generator.trends import group_table, over_target, trends_context

TODAY = date(2025, 12, 31)
MIN = timedelta(minutes=1)


def test_kst_example_values(make_kb) -> None:
    content = make_kb({"a.md": incident(
        timezone="Asia/Seoul", started="2025-01-15 03:00",
        detected="2025-01-15 03:02", resolved="2025-01-15 05:00",
    )})  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    values = analysis.metrics.incidents[0].values
    assert values["time_to_detect"] == 2 * MIN
    assert values["time_to_recover"] == timedelta(hours=1, minutes=58)
    assert values["duration"] == timedelta(hours=2)
    assert values["time_to_mitigate"] is None


def test_incident_across_midnight(make_kb) -> None:
    content = make_kb({"a.md": incident(
        started="2025-06-30 23:50", detected="2025-07-01 00:05", resolved="2025-07-01 01:00",
    )})  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    values = analysis.metrics.incidents[0].values
    assert values["time_to_detect"] == 15 * MIN
    assert values["time_to_recover"] == 55 * MIN
    assert values["duration"] == 70 * MIN
    assert [g.key for g in analysis.metrics.by_month] == ["2025-06"]


def test_duration_across_dst_change(make_kb) -> None:
    # Berlin skips from 02:00 to 03:00 on 30 March 2025: 01:30 to 04:00 is 1 h 30 min.
    content = make_kb({"a.md": incident(
        timezone="Europe/Berlin", started="2025-03-30 01:30",
        detected="2025-03-30 01:45", resolved="2025-03-30 04:00",
    )})  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    values = analysis.metrics.incidents[0].values
    assert values["duration"] == timedelta(hours=1, minutes=30)
    assert values["time_to_detect"] == 15 * MIN
    assert values["time_to_recover"] == timedelta(hours=1, minutes=15)


def test_missing_timestamps_counted(make_kb) -> None:
    content = make_kb({
        "a.md": incident(started="2025-03-04 10:00", detected="2025-03-04 10:04"),
        "b.md": incident(started="2025-03-04 09:00", detected=None),
        "c.md": incident(started=None, detected=None, resolved=None),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    overall = analysis.metrics.overall
    assert overall.count == 3
    assert overall.stats["time_to_detect"].count == 1
    assert overall.stats["time_to_detect"].missing == 2
    assert overall.stats["time_to_recover"].count == 1
    assert overall.stats["time_to_recover"].missing == 2
    assert overall.stats["duration"].count == 2
    assert overall.stats["duration"].missing == 1
    assert [i.postmortem.id for i in analysis.metrics.undated] == ["c"]


@pytest.mark.parametrize(
    ("minutes", "median", "p90", "mean"),
    [
        ([7], 7, 7, 7),
        ([10, 20], 15, 19, 15),
        ([5, 1, 4, 2, 3], 3, 4.6, 3),
        ([1, 1, 1, 10], 1, 7.3, 3.25),
    ],
)
def test_summarize_small_sets(minutes, median, p90, mean) -> None:
    stats = summarize([m * MIN for m in minutes] + [None])
    assert stats.count == len(minutes)
    assert stats.missing == 1
    assert stats.median == timedelta(minutes=median)
    assert stats.p90 == timedelta(minutes=p90)
    assert stats.mean == timedelta(minutes=mean)
    assert stats.minimum == min(minutes) * MIN
    assert stats.maximum == max(minutes) * MIN


def test_summarize_without_values() -> None:
    stats = summarize([None, None])
    assert stats.count == 0
    assert stats.missing == 2
    assert stats.mean is None
    assert stats.median is None
    assert stats.p90 is None


def test_percentile_interpolates() -> None:
    assert percentile([0.0, 100.0], 0.25) == 25.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.0) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 1.0) == 5.0
    with pytest.raises(ValueError, match="percentile of an empty sequence"):
        percentile([], 0.5)


def test_bucket_by_local_start_date(make_kb) -> None:
    content = make_kb({
        # 07:00 on 1 April in Seoul is 22:00 on 31 March in UTC.
        "seoul.md": incident(timezone="Asia/Seoul", started="2025-04-01 07:00",
                             detected="2025-04-01 07:05", resolved="2025-04-01 08:00"),
        # 20:00 on 31 March in Los Angeles is 03:00 on 1 April in UTC.
        "la.md": incident(timezone="America/Los_Angeles", started="2025-03-31 20:00",
                          detected="2025-03-31 20:10", resolved="2025-03-31 21:00"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    months = {
        g.key: [i.postmortem.id for i in g.incidents] for g in analysis.metrics.by_month
    }
    quarters = {
        g.key: [i.postmortem.id for i in g.incidents]
        for g in analysis.metrics.by_quarter
    }
    assert months == {"2025-03": ["la"], "2025-04": ["seoul"]}
    assert quarters == {"2025-Q1": ["la"], "2025-Q2": ["seoul"]}


def test_period_keys_fill_gaps() -> None:
    assert period_keys(date(2024, 11, 5), date(2025, 2, 1), "month") == [
        "2024-11", "2024-12", "2025-01", "2025-02",
    ]  # fmt: skip
    assert period_keys(date(2024, 12, 31), date(2025, 7, 1), "quarter") == [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3",
    ]  # fmt: skip


def test_period_chosen_by_span() -> None:
    assert choose_period([date(2023, 1, 1), date(2024, 12, 31)]) == "month"
    assert choose_period([date(2023, 1, 1), date(2025, 1, 1)]) == "quarter"
    assert choose_period([]) == "month"


def test_trend_periods_capped(make_kb) -> None:
    files = {
        f"q{year}.md": incident(started=f"{year}-02-01 10:00", detected=f"{year}-02-01 10:05",
                                resolved=f"{year}-02-01 11:00")
        for year in range(2010, 2026)
    }  # fmt: skip
    _, _, analysis = load_kb(make_kb(files), TODAY)
    metrics = analysis.metrics
    assert metrics.period == "quarter"
    assert len(metrics.by_period) == 40
    assert metrics.by_period[0].key == "2015-Q2"
    assert metrics.by_period[-1].key == "2025-Q1"
    assert metrics.earlier is not None
    assert metrics.earlier.label == "Before Q2 2015"
    assert metrics.earlier.count == 6
    assert len(metrics.by_quarter) == 16


def test_rolling_windows(make_kb) -> None:
    today = date(2025, 6, 30)
    days = {"in-current": "2025-04-02", "in-previous": "2025-04-01", "too-old": "2025-01-01",
            "future": "2025-07-01", "today": "2025-06-30"}  # fmt: skip
    files = {
        f"{name}.md": incident(started=f"{day} 10:00", detected=f"{day} 10:05", resolved=f"{day} 11:00")
        for name, day in days.items()
    }  # fmt: skip
    _, _, analysis = load_kb(make_kb(files), today)
    current, previous = analysis.metrics.current, analysis.metrics.previous
    assert (current.start, current.end) == (date(2025, 4, 2), today)
    assert (previous.start, previous.end) == (date(2025, 1, 2), date(2025, 4, 1))
    assert sorted(i.postmortem.id for i in current.group.incidents) == [
        "in-current",
        "today",
    ]
    assert [i.postmortem.id for i in previous.group.incidents] == ["in-previous"]


def test_targets_per_severity(make_kb) -> None:
    content = make_kb({
        "kb.toml": '[targets]\ntime_to_detect = "10m"\n[targets.SEV1]\ntime_to_detect = "2m"\n',
        "sev1.md": incident(severity="SEV1", detected="2025-03-04 10:04"),
        "sev2.md": incident(severity="SEV2", detected="2025-03-04 10:04"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    by_id = {i.postmortem.id: i for i in analysis.metrics.incidents}
    assert by_id["sev1"].target("time_to_detect") == 2 * MIN
    assert by_id["sev1"].within_target("time_to_detect") is False
    assert by_id["sev2"].target("time_to_detect") == 10 * MIN
    assert by_id["sev2"].within_target("time_to_detect") is True
    assert by_id["sev2"].target("time_to_recover") == 30 * MIN
    assert [
        i.postmortem.id for i in analysis.metrics.overall.over_target("time_to_detect")
    ] == ["sev1"]


def test_groups_by_names(make_kb) -> None:
    content = make_kb({
        "a.md": incident(services=("api", "db"), trigger="deploy", category="deployment"),
        "b.md": incident(services=("api",), category="software-bug"),
        "c.md": incident(severity="SEV1", services=("db",), trigger="deploy"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    metrics = analysis.metrics
    assert [(g.key, g.count) for g in metrics.by_service] == [("api", 2), ("db", 2)]
    assert [(g.key, g.count) for g in metrics.by_trigger] == [
        ("deploy", 2),
        ("none", 1),
    ]
    assert [(g.key, g.count) for g in metrics.by_severity] == [("SEV1", 1), ("SEV2", 2)]
    assert {g.key: g.count for g in metrics.by_category} == {
        "dependency-failure": 1, "deployment": 1, "software-bug": 1,
    }  # fmt: skip


def test_group_table_sums_the_rest(make_kb) -> None:
    content = make_kb({
        "a.md": incident(services=("api", "db"), detected="2025-03-04 10:02"),
        "b.md": incident(services=("api",), detected="2025-03-04 10:10"),
        "c.md": incident(services=("db", "cache"), detected="2025-03-04 10:20"),
        "d.md": incident(services=("queue",), detected="2025-03-04 10:30"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    groups = analysis.metrics.by_service
    table = group_table(
        "By service", "by-service", "services", groups, "services", limit=1
    )
    assert [g.key for g in table.groups] == ["api"]
    assert table.other is not None
    assert table.other.label == "3 other services"
    # c is in two of the other services and counts once.
    assert sorted(i.postmortem.id for i in table.other.incidents) == ["a", "c", "d"]
    assert table.other.stats["time_to_detect"].median == 20 * MIN
    whole = group_table("By service", "by-service", "services", groups, "services")
    assert whole.groups == groups
    assert whole.other is None


def test_over_target_newest_first(make_kb) -> None:
    content = make_kb({
        "old.md": incident(started="2025-01-01 10:00", detected="2025-01-01 10:30",
                           resolved="2025-01-01 10:40"),
        "fine.md": incident(started="2025-02-01 10:00", detected="2025-02-01 10:01",
                            resolved="2025-02-01 10:10"),
        "new.md": incident(started="2025-03-01 10:00", detected="2025-03-01 10:01",
                           resolved="2025-03-01 12:00"),
        "undated.md": incident(started=None, detected=None, resolved=None),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    metrics = analysis.metrics
    assert [i.postmortem.id for i in over_target(metrics)] == ["new", "old"]
    context = trends_context(metrics)
    assert context["over_target_total"] == 2
    assert [i.postmortem.id for i in context["over_target"]] == ["new", "old"]
    assert [t.anchor for t in context["name_tables"]] == ["by-service", "by-trigger"]
